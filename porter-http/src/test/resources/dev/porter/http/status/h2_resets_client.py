# An HTTP/2 client (python3-h2, h2c prior knowledge) for StatusPageTest: one reset each way, then a plain request.
# Usage: h2_resets_client.py PORT; prints what it saw, one line each.
#  1. GET /hello with its HEADERS not ending the stream: the server answers and, the request's end never having
#     come, resets the stream with NO_ERROR (RFC 9113 §8.1): one reset sent;
#  2. POST /echo, whose handler waits for the body, then RST_STREAM CANCEL from here: one reset received;
#  3. GET /hello: its answer shows the server read the reset before it (frames are read in order).
import socket, sys
import h2.config, h2.connection, h2.errors, h2.events

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
conn.initiate_connection()


def flush():
    out = conn.data_to_send()
    if out:
        sock.sendall(out)


def until(done):
    while not done():
        data = sock.recv(65536)
        if not data:
            raise SystemExit("connection closed")
        for e in conn.receive_data(data):
            if isinstance(e, h2.events.ResponseReceived):
                print("response %d %s" % (e.stream_id, dict(e.headers)[b":status"].decode()))
                seen.add(("response", e.stream_id))
            elif isinstance(e, h2.events.StreamReset):
                print("reset %d %s" % (e.stream_id, e.error_code.name))
                seen.add(("reset", e.stream_id))
            elif isinstance(e, h2.events.StreamEnded):
                seen.add(("ended", e.stream_id))
        flush()


seen = set()
flush()
req = [(":method", "GET"), (":scheme", "http"), (":authority", "127.0.0.1"), (":path", "/hello")]
conn.send_headers(1, req, end_stream=False)
flush()
until(lambda: ("reset", 1) in seen)
conn.send_headers(3, [(":method", "POST"), (":scheme", "http"), (":authority", "127.0.0.1"), (":path", "/echo")],
                  end_stream=False)
conn.reset_stream(3, h2.errors.ErrorCodes.CANCEL)
conn.send_headers(5, req, end_stream=True)
flush()
until(lambda: ("ended", 5) in seen)
conn.close_connection()
flush()
sock.close()

# Two forms on one h2c connection (prior knowledge): a malformed one, then a good one. Prints each stream's
# status and body, and whether the connection saw a GOAWAY.
import socket, sys, h2.connection, h2.events, h2.config
port = int(sys.argv[1])
s = socket.create_connection(('127.0.0.1', port), timeout=30)
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
c.initiate_connection()
s.sendall(c.data_to_send())
def form(body):
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(':method', 'POST'), (':path', '/parts'), (':scheme', 'http'), (':authority', 'x'),
                         ('content-type', 'multipart/form-data; boundary=B'), ('content-length', str(len(body)))])
    c.send_data(sid, body, end_stream=True)
    s.sendall(c.data_to_send())
    status, data, done, goaway = None, b'', False, False
    while not done:
        chunk = s.recv(65536)
        if not chunk: break
        for e in c.receive_data(chunk):
            if isinstance(e, h2.events.ResponseReceived) and e.stream_id == sid: status = dict(e.headers)[b':status'].decode()
            elif isinstance(e, h2.events.DataReceived) and e.stream_id == sid:
                data += e.data; c.acknowledge_received_data(e.flow_controlled_length, sid)
            elif isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)) and e.stream_id == sid: done = True
            elif isinstance(e, h2.events.ConnectionTerminated): goaway = True; done = True
        s.sendall(c.data_to_send())
    print(sid, status, data.decode().strip(), 'goaway' if goaway else 'open')
form(b'--B\r\nContent-Disposition: form-data; name=a\r\n\r\nno close delimiter')
form(b'--B\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--B--\r\n')

# RFC 8441 client for Porter's tests (python3-h2): extended CONNECT on an h2c connection (prior knowledge), then
# RFC 6455 frames inside DATA. Usage: h2ws_client.py PORT SCENARIO; prints one line per observation.
import os, socket, sys
import h2.config, h2.connection, h2.events, h2.settings

ENABLE_CONNECT_PROTOCOL = 0x8


class Peer:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        cfg = h2.config.H2Configuration(client_side=True, validate_outbound_headers=False,
                                        normalize_outbound_headers=False, validate_inbound_headers=False)
        self.conn = h2.connection.H2Connection(cfg)
        self.conn.initiate_connection()
        self.flush()
        self.events = []
        self.data = {}        # stream id -> bytes received, not yet parsed as frames
        self.ended = set()    # streams the server ended (END_STREAM)
        self.resets = {}      # stream id -> error code
        self.responses = {}   # stream id -> response headers
        self.server_settings = {}
        self.pump(lambda: self.server_settings)

    def flush(self):
        out = self.conn.data_to_send()
        if out:
            self.sock.sendall(out)

    def pump(self, done):
        while not done():
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            for e in self.conn.receive_data(chunk):
                self.events.append(e)
                if isinstance(e, h2.events.RemoteSettingsChanged):
                    for k, v in e.changed_settings.items():
                        self.server_settings[int(k)] = v.new_value
                elif isinstance(e, h2.events.ResponseReceived):
                    self.responses[e.stream_id] = {k.decode(): v.decode() for k, v in e.headers}
                elif isinstance(e, h2.events.DataReceived):
                    self.data[e.stream_id] = self.data.get(e.stream_id, b"") + e.data
                    self.conn.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    self.ended.add(e.stream_id)
                elif isinstance(e, h2.events.StreamReset):
                    self.resets[e.stream_id] = int(e.error_code)
            self.flush()

    def request(self, headers, end=False):
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(sid, headers, end_stream=end)
        self.flush()
        return sid

    def connect(self, path="/echo", extra=(), protocol="websocket"):
        h = [(":method", "CONNECT"), (":protocol", protocol), (":scheme", "http"), (":path", path),
             (":authority", "127.0.0.1"), ("sec-websocket-version", "13")] + list(extra)
        sid = self.request(h)
        self.pump(lambda: sid in self.responses or sid in self.resets)
        return sid

    def send(self, sid, data, end=False):
        while data:
            window = self.conn.local_flow_control_window(sid)
            if window == 0:
                self.pump(lambda: self.conn.local_flow_control_window(sid) > 0 or sid in self.resets)
                continue
            n = min(window, self.conn.max_outbound_frame_size, len(data))
            self.conn.send_data(sid, data[:n])
            data = data[n:]
            self.flush()
        if end:
            self.conn.end_stream(sid)
            self.flush()

    def frame(self, sid):
        """Waits for one whole WebSocket frame from the server: (fin, opcode, payload, masked)."""
        while True:
            f = parse(self.data.get(sid, b""))
            if f is not None:
                fin, op, payload, masked, used = f
                self.data[sid] = self.data[sid][used:]
                return fin, op, payload, masked
            if sid in self.ended or sid in self.resets:
                return None
            self.pump(lambda: len(self.data.get(sid, b"")) > 0 and parse(self.data[sid]) is not None
                      or sid in self.ended or sid in self.resets)

    def message(self, sid):
        parts, first = [], None
        while True:
            f = self.frame(sid)
            if f is None:
                return None, None
            fin, op, payload, _ = f
            if op in (8, 9, 10):
                return op, payload
            first = op if first is None else first
            parts.append(payload)
            if fin:
                return first, b"".join(parts)


def frame(op, payload, fin=True, mask=True):
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | op])
    m = 0x80 if mask else 0
    if n < 126:
        head += bytes([m | n])
    elif n < 65536:
        head += bytes([m | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([m | 127]) + n.to_bytes(8, "big")
    if not mask:
        return head + payload
    key = os.urandom(4)
    k = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big") if n else b""
    return head + key + masked


def parse(b):
    if len(b) < 2:
        return None
    fin, op, masked, n, p = b[0] & 0x80 != 0, b[0] & 0x0F, b[1] & 0x80 != 0, b[1] & 0x7F, 2
    if n == 126:
        if len(b) < 4:
            return None
        n, p = int.from_bytes(b[2:4], "big"), 4
    elif n == 127:
        if len(b) < 10:
            return None
        n, p = int.from_bytes(b[2:10], "big"), 10
    if masked:
        p += 4
    if len(b) < p + n:
        return None
    return fin, op, b[p:p + n], masked, p + n


def close_payload(code, reason=b""):
    return code.to_bytes(2, "big") + reason


def main(port, scenario):
    p = Peer(port)
    if scenario == "settings":
        print("enable_connect_protocol", p.server_settings.get(ENABLE_CONNECT_PROTOCOL, 0))
    elif scenario == "reset-without-setting":
        sid = p.connect()
        print("reset", p.resets.get(sid), "response", p.responses.get(sid, {}).get(":status"))
    elif scenario == "protocol-on-get":
        sid = p.request([(":method", "GET"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/echo"),
                         (":authority", "127.0.0.1")], end=True)
        p.pump(lambda: sid in p.responses or sid in p.resets)
        print("reset", p.resets.get(sid))
        sid = p.request([(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"),
                         (":authority", "127.0.0.1")])
        p.pump(lambda: sid in p.responses or sid in p.resets)
        print("no path: reset", p.resets.get(sid))
    elif scenario == "handshake":
        sid = p.connect("/echo", [("sec-websocket-protocol", "superchat, chat"), ("origin", "http://127.0.0.1")])
        r = p.responses[sid]
        print("status", r[":status"], "subprotocol", r.get("sec-websocket-protocol"),
              "accept", r.get("sec-websocket-accept"), "upgrade", r.get("upgrade"))
        sid = p.connect("/echo", [("sec-websocket-extensions", "permessage-deflate; client_max_window_bits")])
        print("deflate", p.responses[sid].get("sec-websocket-extensions"))
        sid = p.connect("/echo", [("origin", "https://evil.example")])
        print("foreign origin", p.responses[sid][":status"])
        h = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/echo"),
             (":authority", "127.0.0.1"), ("sec-websocket-version", "8")]
        sid = p.request(h)
        p.pump(lambda: sid in p.responses)
        print("version 8", p.responses[sid][":status"], p.responses[sid].get("sec-websocket-version"))
        sid = p.connect("/echo", protocol="webtransport")
        print("other protocol", p.responses[sid][":status"])
        sid = p.connect("/plain")
        print("no endpoint", p.responses[sid][":status"])
    elif scenario == "echo":
        sid = p.connect()
        print("status", p.responses[sid][":status"])
        p.send(sid, frame(1, "héllo".encode()))
        op, m = p.message(sid)
        print("text", op, m.decode())
        p.send(sid, frame(2, bytes(range(256))))
        op, m = p.message(sid)
        print("binary", op, m == bytes(range(256)))
        p.send(sid, frame(1, b"frag", fin=False) + frame(0, b"ment", fin=False) + frame(0, b"ed"))
        op, m = p.message(sid)
        print("fragmented", op, m.decode())
        big = os.urandom(1 << 20)
        p.send(sid, frame(2, big))
        op, m = p.message(sid)
        print("1 MiB", op, m == big)
        # Another stream on the same connection while the WebSocket is open.
        g = p.request([(":method", "GET"), (":scheme", "http"), (":path", "/plain"), (":authority", "127.0.0.1")],
                      end=True)
        p.pump(lambda: g in p.ended)
        print("get", p.responses[g][":status"], p.data.get(g, b"").decode().strip())
        p.send(sid, frame(9, b"are you there"))
        op, m = p.message(sid)
        print("pong", op, m.decode())
        p.send(sid, frame(8, close_payload(1000, b"done")))
        op, m = p.message(sid)
        print("close", op, int.from_bytes(m[:2], "big"))
        p.pump(lambda: sid in p.ended or sid in p.resets)
        print("server ended stream", sid in p.ended, "reset", p.resets.get(sid))
        p.send(sid, b"", end=True)
        g = p.request([(":method", "GET"), (":scheme", "http"), (":path", "/plain"), (":authority", "127.0.0.1")],
                      end=True)
        p.pump(lambda: g in p.ended)
        print("after", p.responses[g][":status"])
    elif scenario == "server-close":
        sid = p.connect("/close")
        op, m = p.message(sid)
        print("close", op, int.from_bytes(m[:2], "big"), m[2:].decode())
        p.send(sid, frame(8, m[:2]))
        p.pump(lambda: sid in p.ended or sid in p.resets)
        print("server ended stream", sid in p.ended, "reset", p.resets.get(sid))
        p.send(sid, b"", end=True)
    elif scenario == "unmasked":
        sid = p.connect()
        p.send(sid, frame(1, b"naked", mask=False))
        op, m = p.message(sid)
        print("close", op, int.from_bytes(m[:2], "big"))
    elif scenario == "too-big":
        sid = p.connect()
        # Only the head of a 3 MiB frame: the limit (2 MiB) is judged on it.
        p.send(sid, bytes([0x82, 0x80 | 127]) + (3 << 20).to_bytes(8, "big") + os.urandom(4) + b"x" * 100)
        op, m = p.message(sid)
        print("close", op, int.from_bytes(m[:2], "big"))
    elif scenario == "reset":
        sid = p.connect("/record")
        p.send(sid, frame(1, b"one"))
        op, m = p.message(sid)
        print("echo", m.decode())
        p.conn.reset_stream(sid, 8)  # CANCEL
        p.flush()
        g = p.request([(":method", "GET"), (":scheme", "http"), (":path", "/plain"), (":authority", "127.0.0.1")],
                      end=True)
        p.pump(lambda: g in p.ended)
        print("get", p.responses[g][":status"])
    p.conn.close_connection()
    p.flush()
    p.sock.close()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])

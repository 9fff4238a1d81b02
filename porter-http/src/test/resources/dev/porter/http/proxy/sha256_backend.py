# A backend for the proxy tests: answers POST with the SHA-256 and length of the body it read (Content-Length
# or chunked), GET /name with its name. Python's http.server on a free port; prints the port first.
import hashlib
import http.server
import sys

NAME = sys.argv[1] if len(sys.argv) > 1 else "python"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.answer(NAME.encode())

    def do_POST(self):
        digest = hashlib.sha256()
        total = 0
        length = self.headers.get("Content-Length")
        if length is not None:
            left = int(length)
            while left > 0:
                block = self.rfile.read(min(left, 1 << 20))
                if not block:
                    break
                digest.update(block)
                total += len(block)
                left -= len(block)
        elif "chunked" in (self.headers.get("Transfer-Encoding") or ""):
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                left = size
                while left > 0:
                    block = self.rfile.read(min(left, 1 << 20))
                    digest.update(block)
                    total += len(block)
                    left -= len(block)
                self.rfile.readline()
        self.answer(("%s %d" % (digest.hexdigest(), total)).encode())

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

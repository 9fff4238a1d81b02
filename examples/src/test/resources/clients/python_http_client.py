#!/usr/bin/env python3
"""Drives a Porter server (the demo app, DemoApp) with Python's http.client.

usage: python_http_client.py PORT
1. one HTTPConnection for GET, POST (Content-Length and chunked), HEAD and 404: the same socket throughout;
2. pipelining: several requests written at once on one raw socket, the answers parsed by http.client in order.
Prints one line per check and 'all checks passed'; exits non-zero at the first failure.
"""
import http.client
import socket
import sys

port = int(sys.argv[1])


def check(cond, what):
    if not cond:
        print("FAILED: " + what)
        sys.exit(1)
    print("ok: " + what)


# --- 1. one persistent connection ----------------------------------------------------------------
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
conn.request("GET", "/plaintext")
r = conn.getresponse()
check(r.status == 200 and r.read() == b"Hello, World!", "GET /plaintext")
sock = conn.sock

conn.request("GET", "/json")
r = conn.getresponse()
check(r.getheader("Content-Type") == "application/json" and r.read() == b'{"message":"Hello, World!"}', "GET /json")

conn.request("POST", "/", body=b"python body", headers={"Content-Type": "text/plain"})
r = conn.getresponse()
check(r.read() == b"python body", "POST / with Content-Length")

conn.request("POST", "/", body=iter([b"chunk one, ", b"chunk two"]), encode_chunked=True,
             headers={"Transfer-Encoding": "chunked"})
r = conn.getresponse()
check(r.read() == b"chunk one, chunk two", "POST / chunked")

conn.request("HEAD", "/plaintext")
r = conn.getresponse()
check(r.status == 200 and r.getheader("Content-Length") == "13" and r.read() == b"", "HEAD /plaintext")

conn.request("GET", "/missing")
r = conn.getresponse()
check(r.status == 404 and r.read() == b"Not Found\n", "GET /missing is 404")

check(conn.sock is sock, "all requests on one persistent connection")
conn.close()


# --- 2. pipelining on a raw socket ---------------------------------------------------------------
class SharedReader:
    """One buffered reader for every response of the socket (http.client closes its file after each)."""

    def __init__(self, f):
        self.f = f

    def makefile(self, mode, *args, **kwargs):
        return self

    def readline(self, *args):
        return self.f.readline(*args)

    def read(self, *args):
        return self.f.read(*args)

    def readinto(self, b):
        return self.f.readinto(b)

    def read1(self, *args):
        return self.f.read1(*args)

    def peek(self, *args):
        return self.f.peek(*args)

    def flush(self):
        pass

    def close(self):
        pass  # keep the reader (and what it buffered) for the next response


raw = socket.create_connection(("127.0.0.1", port), timeout=10)
raw.sendall(b"GET /json HTTP/1.1\r\nHost: py\r\n\r\n"
            b"POST / HTTP/1.1\r\nHost: py\r\nContent-Length: 9\r\n\r\npipelined"
            b"HEAD /plaintext HTTP/1.1\r\nHost: py\r\n\r\n"
            b"GET /plaintext HTTP/1.1\r\nHost: py\r\nConnection: close\r\n\r\n")
reader = SharedReader(raw.makefile("rb"))
expected = [("GET", b'{"message":"Hello, World!"}'), ("POST", b"pipelined"), ("HEAD", b""), ("GET", b"Hello, World!")]
for i, (method, body) in enumerate(expected):
    resp = http.client.HTTPResponse(reader, method=method)
    resp.begin()
    check(resp.status == 200 and resp.read() == body, "pipelined answer %d (%s) in order" % (i + 1, method))
check(reader.f.read() == b"", "server closed after Connection: close, nothing more")
raw.close()
print("all checks passed")

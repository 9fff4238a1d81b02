#!/usr/bin/env python3
"""Writes the hand-made seed inputs of Porter's fuzz tests into porter-http's test resources (run from anywhere).

Seeds are named for what they exercise. Findings of campaigns are added next to them by hand (finding-*)."""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "porter-http", "src", "test", "resources",
                    "dev", "porter", "http", "internal")

HEADS = {
    "get": b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "get-http10": b"GET /x?y=1 HTTP/1.0\r\n\r\n",
    "post-content-length": b"POST /up HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 5\r\n\r\nhello",
    "post-chunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "pipelined": b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    "leading-empty-lines": b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "absolute-form": b"GET http://a.example/p?q HTTP/1.1\r\nHost: a.example\r\n\r\n",
    "connect": b"CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n",
    "options-asterisk": b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    "expect-continue": b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    "keep-alive-10": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "many-headers": b"GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: t\r\nX-A: 1\r\nX-B:\t2 \r\nCookie: c=d\r\n\r\n",
    "ipv6-host": b"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
    "cl-list": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc",
    # Smuggling and ambiguity attempts: each must be refused.
    "smuggle-cl-te": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "smuggle-te-cl": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
    "smuggle-double-cl": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "smuggle-te-not-last": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    "smuggle-te-space-colon": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n",
    "smuggle-obs-fold": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n",
    "smuggle-te-http10": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "smuggle-cl-plus": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
    "smuggle-cl-hex": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello",
    "smuggle-te-xchunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: a\n\n",
    "bare-cr": b"GET / HTTP/1.1\rHost: a\r\n\r\n",
    "nul-in-value": b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n",
    "two-hosts": b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "no-host": b"GET / HTTP/1.1\r\n\r\n",
    "http2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "http09": b"GET /\r\n",
    "double-space": b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
    "huge-cl": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
    "expect-other": b"GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n",
    "truncated": b"GET / HTTP/1.1\r\nHost: a\r\n",
    "obs-text": b"GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\n\r\n",
}

CHUNKED = {
    "simple": b"5\r\nhello\r\n0\r\n\r\n",
    "two-chunks": b"3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\n",
    "extensions": b"5;name=value;flag\r\nhello\r\n0;last\r\n\r\n",
    "quoted-extension": b"5 ; q=\"a \\\" b\"\r\nhello\r\n0\r\n\r\n",
    "trailers": b"1\r\nx\r\n0\r\nChecksum: abc\r\nX-T:\t1 \r\n\r\n",
    "next-request-follows": b"2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "uppercase-hex": b"A\r\n0123456789\r\n0\r\n\r\n",
    "leading-zeros": b"0005\r\nhello\r\n000\r\n\r\n",
    "bare-lf": b"5\nhello\n0\n\n",
    "missing-crlf-after-data": b"5\r\nhelloX\r\n0\r\n\r\n",
    "size-overflow": b"ffffffffffffffffff\r\nx\r\n",
    "negative-size": b"-1\r\nx\r\n0\r\n\r\n",
    "truncated-data": b"10\r\nshort",
    "no-last-chunk": b"5\r\nhello\r\n",
    "over-limit": b"3e9\r\n" + b"x" * 16,
    "obs-fold-trailer": b"0\r\nA: b\r\n c\r\n\r\n",
    "space-before-size": b" 5\r\nhello\r\n0\r\n\r\n",
    "bad-extension": b"5;=x\r\nhello\r\n0\r\n\r\n",
}


def write(directory, seeds):
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


write(os.path.join(HERE, "RequestHeadFuzzTestInputs", "acceptsOnlyWellFormedUnambiguousHeads"), HEADS)
write(os.path.join(HERE, "HttpExchangeFuzzTestInputs", "rejectedRequestsNeverReachTheHandler"), HEADS)
write(os.path.join(HERE, "ChunkedBodyFuzzTestInputs", "decodesExactlyWhatTheGrammarDefines"), CHUNKED)

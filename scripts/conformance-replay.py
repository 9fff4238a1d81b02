#!/usr/bin/env python3
# Replays the llhttp request vectors against an HTTP/1.1 server and prints "N passed, N failed"; exits 1 if any
# failed. Used by scripts/conformance (which starts porter demo for it); docs/http.md, "Conformance", says what
# each class of vector asserts, and where porter-http's ConformanceTest is stricter.
#
#   python3 scripts/conformance-replay.py HOST PORT [VECTORS]
#
# VECTORS defaults to porter-http/src/test/resources/conformance/llhttp-requests.json (nodejs/llhttp's fixtures,
# MIT, with their notice there). This is the replayer the project's shared conformance kit came with, kept as it
# was but for the default VECTORS and the exit status.
"""Replay llhttp strict request fixtures against an HTTP/1.1 server on loopback.
reject-cases: expect a 4xx/5xx status (or close) and no 2xx; accept-cases: expect non-4xx for every message."""
import json, socket, sys, base64, re, time, collections
import os
if len(sys.argv) not in (3, 4): sys.exit("usage: conformance-replay.py HOST PORT [VECTORS]")
VECTORS = sys.argv[3] if len(sys.argv) == 4 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
    'porter-http', 'src', 'test', 'resources', 'conformance', 'llhttp-requests.json')
host, port = sys.argv[1], int(sys.argv[2]); cases = json.load(open(VECTORS))
def add_host(d):
    i = 0
    while d[i:i+2] == b'\r\n': i += 2
    j = d.find(b'\r\n', i)
    if j < 0 or b'\r' in d[i:j] or b'\n' in d[i:j]: return d
    if not d[i:j].endswith(b'HTTP/1.1') or re.search(rb'\r\nhost:', d, re.I): return d
    # add Host to every pipelined message too
    return re.sub(rb'(^|\r\n\r\n|\r\n(?=[A-Z]+ /))((?:\r\n)*)([A-Z-]+ [^\r\n]* HTTP/1\.1\r\n)', lambda m: m.group(1)+m.group(2)+m.group(3)+b'Host: localhost\r\n', d, count=0)
def run(data, timeout=1.5):
    s = socket.create_connection((host, port), timeout=timeout); s.sendall(data); buf = b''; state='open'
    t0 = time.time()
    try:
        while time.time()-t0 < timeout:
            s.settimeout(timeout); ch = s.recv(65536)
            if not ch: state='closed'; break
            buf += ch
    except socket.timeout: state = 'timeout' if not buf else 'open'
    except ConnectionResetError: state='reset'
    s.close(); return [int(x) for x in re.findall(rb'(?:^|\r\n|\n)HTTP/1\.[01] (\d{3})', buf)], state
res = collections.Counter(); fails = []
for c in cases:
    if 'pausing' in c['file'] or c['type'] == 'request-finish': continue
    d = add_host(base64.b64decode(c['input_b64']))
    sts, state = run(d)
    exp = c['server_expect']
    if exp in ('server-dependent','parser-api-only','accept-or-reject'): res[('skipped',True)]+=0; continue
    if exp == 'reject': ok = (sts and sts[0] >= 400 and all(x >= 400 for x in sts[:1])) or (not sts and state in ('closed','reset'))
    elif exp == 'incomplete': ok = not sts or all(x in (400,408) for x in sts)
    elif exp == 'accept-first-then-close': ok = bool(sts) and sts[0] < 400 or sts[0] in (404,405,501)
    else: ok = bool(sts) and len(sts) >= c['messages_complete'] and all(x < 400 or x in (404,405,501) for x in sts)
    res[(exp, ok)] += 1
    if not ok: fails.append(f"{exp:6s} {c['file']}:{c['line']} got={sts} {state} | {c['title'][-60:]}")
print('\n'.join(fails)); print(dict(res)); print(f"{sum(v for k,v in res.items() if k[1])} passed, {sum(v for k,v in res.items() if not k[1])} failed")
sys.exit(1 if fails else 0)

// The Node `ws` WebSocket echo for bench/run's WebSocket jobs: listens on 127.0.0.1:PORT, accepts the
// upgrade at /ws only, and sends every message back as it came (text as text, binary as binary), as `ws`'s
// own echo example does. No compression (perMessageDeflate: false), messages up to 16 MiB, no idle timeout.
// For the idle job's memory figures, GET /gc runs a full garbage collection (when node runs with --expose-gc) and
// answers the V8 heap in use after it, in bytes, as the JVM servers' live heap is read after a full GC.
//
//   node --expose-gc bench/ws/echo-server.js PORT   (with `ws` on NODE_PATH; bench/run installs it into
//                                                     bench/target/node with npm)
'use strict';

const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node echo-server.js PORT');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/gc' && typeof global.gc === 'function') {
    global.gc();
    const body = String(process.memoryUsage().heapUsed);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
    res.end(body);
    return;
  }
  res.writeHead(404, { 'Content-Length': '0' });
  res.end();
});
server.keepAliveTimeout = 300000;

const wss = new WebSocketServer({
  server,
  path: '/ws',
  perMessageDeflate: false,
  maxPayload: 16 * 1024 * 1024,
  clientTracking: false,
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => ws.terminate());
});

server.listen(port, '127.0.0.1', () => console.log(`ws ${require('ws/package.json').version} echo on 127.0.0.1:${port}/ws`));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

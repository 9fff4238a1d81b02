// The Node `ws` WebSocket echo for bench/run's WebSocket jobs: listens on 127.0.0.1:PORT, accepts the
// upgrade at /ws only, and sends every message back as it came (text as text, binary as binary), as `ws`'s
// own echo example does. No compression (perMessageDeflate: false), messages up to 16 MiB, no idle timeout.
//
//   node bench/ws/echo-server.js PORT      (with `ws` on NODE_PATH; bench/run installs it into
//                                           bench/target/node with npm)
'use strict';

const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node echo-server.js PORT');
  process.exit(2);
}

const server = http.createServer((req, res) => {
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

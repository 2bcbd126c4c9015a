// The Socket.IO peer of the Switchboard benchmark (docs/benchmarks.md): Socket.IO 4.8 with the Redis
// adapter, WebSocket transport only. Each client names its user in the handshake auth
// ({user: "..."}) and is put in room "user:<id>", so io.to("user:<id>") reaches it on any process.
//
// Events: "send" {to, body} emits "message" body to room `to` (a "user:" or "room:" name);
// "join" room (with an ack) joins "room:<room>".
// GET /stats runs a full GC (node --expose-gc) and answers process.memoryUsage() and the socket count.
'use strict';

const http = require('http');
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-adapter');

const port = Number(process.env.PORT || 3000);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

let io;
const httpServer = http.createServer((req, res) => {
  if (req.url === '/stats') {
    if (global.gc) {
      global.gc();
    }
    const m = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external,
      arrayBuffers: m.arrayBuffers, sockets: io ? io.engine.clientsCount : 0 }));
    return;
  }
  res.writeHead(404);
  res.end();
});

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io = new Server(httpServer, { transports: ['websocket'], serveClient: false, perMessageDeflate: false,
    maxHttpBufferSize: 1e6 });
  io.adapter(createAdapter(pub, sub));
  io.on('connection', (socket) => {
    const user = socket.handshake.auth && socket.handshake.auth.user;
    if (typeof user !== 'string' || user.length === 0) {
      socket.disconnect(true);
      return;
    }
    socket.join('user:' + user);
    socket.on('send', (m) => {
      if (m && typeof m.to === 'string') {
        io.to(m.to).emit('message', m.body);
      }
    });
    socket.on('join', (room, ack) => {
      socket.join('room:' + room);
      if (typeof ack === 'function') {
        ack(room);
      }
    });
  });
  httpServer.listen(port, '127.0.0.1', () => console.log('socket.io listening on ' + port));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

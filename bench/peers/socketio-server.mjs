// Peer (a): what most teams pick. Socket.IO 4 with @socket.io/redis-adapter; run two (or more) of these sharing
// Redis. Server 0 subscribes to the event channel and emits each message to everyone with io.emit(): the adapter
// relays it through Redis to the other servers, which emit it to their own sockets (the documented way to
// broadcast across a Socket.IO cluster).
// Usage: node peers/socketio-server.mjs <port> <redis-uri> <index> [channel]; GET /health answers 200 when ready.
import http from 'node:http';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';

const port = Number(process.argv[2] ?? 8092);
const redisUri = process.argv[3] ?? 'redis://127.0.0.1:6379';
const index = Number(process.argv[4] ?? 0);
const channel = process.argv[5] ?? 'tocsin:events';
let ready = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') res.writeHead(ready ? 200 : 503).end(ready ? 'UP' : 'DOWN');
});
const pub = new Redis(redisUri);
const sub = pub.duplicate();
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.adapter(createAdapter(pub, sub));
io.on('connection', (socket) => {
  socket.on('ping_bench', (data, ack) => { if (typeof ack === 'function') ack(data); });
});

if (index === 0) {
  const events = new Redis(redisUri);
  events.on('message', (_channel, message) => io.emit('alert', message));
  await events.subscribe(channel);
}
server.listen(port, '127.0.0.1', () => {
  ready = true;
  console.log(`socket.io peer ${index} on ${port}`);
});
const stop = () => { io.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// Peer (b): what teams write by hand (the seeds' design). A Node `ws` server that subscribes to the Redis event
// channel and forwards every message, as is, to every open socket. No auth, no filters, no queues.
// Usage: node peers/ws-server.mjs <port> <redis-uri> [channel]; GET /health answers 200 once subscribed.
import http from 'node:http';
import Redis from 'ioredis';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 8091);
const redisUri = process.argv[3] ?? 'redis://127.0.0.1:6379';
const channel = process.argv[4] ?? 'tocsin:events';
let subscribed = false;

const server = http.createServer((req, res) => {
  res.writeHead(subscribed ? 200 : 503).end(subscribed ? 'UP' : 'DOWN');
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: true });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })); // echo: client pings
  socket.on('error', () => {});
});

const sub = new Redis(redisUri);
sub.on('message', (_channel, message) => {
  for (const socket of wss.clients) {
    if (socket.readyState === 1) socket.send(message);
  }
});
await sub.subscribe(channel);
subscribed = true;
server.listen(port, '127.0.0.1', () => console.log(`ws peer on ${port}, subscribed to ${channel}`));
const stop = () => { wss.close(); server.close(); sub.disconnect(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

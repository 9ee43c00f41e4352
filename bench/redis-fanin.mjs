#!/usr/bin/env node
// Redis pub/sub fan-in: what Redis pays to hand every event to every gateway. Every alert-gateway replica
// subscribes to the one channel `tocsin:events`, so Redis writes each event once per replica; this measures that
// write cost (Redis CPU per delivered message) against the number of subscribers and the event's size, the input
// to docs/operations.md's capacity section. Tocsin itself is not involved: S subscriber connections stand for S
// gateways, spread over child processes so that the readers keep up with Redis.
//
//   node bench/redis-fanin.mjs [--subscribers 1,10,50,100] [--messages 20000] [--size 1200] [--readers 2] [--json f]
//   node bench/redis-fanin.mjs --smoke      (CI: 2 and 4 subscribers, 500 messages, counts only)
//
// Exit 1 when a subscriber missed a message.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { freePort, startChild, stopChild, waitPort, procCpuMs, killAllChildren, loadAverage } from './lib/proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

if (process.argv[2] === '--reader') {
  await reader();
} else {
  await main();
}

/** A child process holding some of the subscribers; reports counts when told to. */
async function reader() {
  const [, , , uri, countText] = process.argv;
  const subs = [];
  const received = [];
  for (let i = 0; i < Number(countText); i++) {
    const sub = new Redis(uri, { enableAutoPipelining: false });
    received.push(0);
    sub.on('messageBuffer', () => { received[i]++; });
    await sub.subscribe('tocsin:events');
    subs.push(sub);
  }
  process.send({ ready: true });
  process.on('message', (m) => {
    if (m === 'count') process.send({ received });
    if (m === 'stop') { subs.forEach((s) => s.disconnect()); process.exit(0); }
  });
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

async function main() {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const counts = (option(args, '--subscribers', smoke ? '2,4' : '1,10,50,100')).split(',').map(Number);
  const messages = Number(option(args, '--messages', smoke ? '500' : '20000'));
  const size = Number(option(args, '--size', '1200'));
  const readers = Number(option(args, '--readers', '2'));
  const jsonFile = option(args, '--json', null);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-fanin-'));
  const port = await freePort();
  const redis = startChild('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', dir], path.join(dir, 'redis.log'));
  process.on('exit', killAllChildren);
  await waitPort(port);
  const uri = `redis://127.0.0.1:${port}`;
  const payload = Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) }).slice(0, size));
  const rows = [];
  let failed = false;
  try {
    for (const subscribers of counts) {
      const row = await measure(uri, redis.pid, subscribers, messages, payload, readers);
      rows.push(row);
      if (row.missing > 0) failed = true;
      console.log(`${String(subscribers).padStart(5)} subscribers: ${row.messages} publishes, ` +
        `${row.deliveries} deliveries, missing ${row.missing}; Redis CPU ${row.redisCpuMs} ms = ` +
        `${row.usPerPublish.toFixed(2)} µs per publish, ${row.usPerDelivery.toFixed(3)} µs per delivery; ` +
        `${Math.round(row.deliveriesPerSecond)} deliveries/s (${(row.egressBytesPerSecond / 1e6).toFixed(1)} MB/s)`);
    }
  } finally {
    await stopChild(redis);
  }
  const result = { size, messages, loadBefore: loadAverage(), rows };
  if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify(result, null, 2));
  process.exit(failed ? 1 : 0);
}

async function measure(uri, redisPid, subscribers, messages, payload, readers) {
  const children = [];
  for (let r = 0; r < readers; r++) {
    const share = Math.floor(subscribers / readers) + (r < subscribers % readers ? 1 : 0);
    if (share === 0) continue;
    const child = fork(path.join(here, 'redis-fanin.mjs'), ['--reader', uri, String(share)]);
    await new Promise((resolve) => child.once('message', resolve));
    children.push(child);
  }
  const pub = new Redis(uri);
  const cpu0 = procCpuMs(redisPid);
  const t0 = performance.now();
  // Batches of 100 in flight: enough to keep Redis busy without building an unbounded client-side queue.
  for (let sent = 0; sent < messages; sent += 100) {
    const batch = pub.pipeline();
    for (let k = sent; k < Math.min(messages, sent + 100); k++) batch.publish('tocsin:events', payload);
    await batch.exec();
  }
  const expected = messages * subscribers;
  const deadline = Date.now() + 120000;
  let received = 0;
  while (Date.now() < deadline) {
    const replies = await Promise.all(children.map((c) => new Promise((resolve) => {
      c.once('message', (m) => resolve(m.received));
      c.send('count');
    })));
    received = replies.flat().reduce((a, b) => a + b, 0);
    if (received >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  const redisCpuMs = procCpuMs(redisPid) - cpu0;
  pub.disconnect();
  for (const c of children) c.send('stop');
  return {
    subscribers, messages, deliveries: received, missing: expected - received, redisCpuMs,
    usPerPublish: (redisCpuMs * 1000) / messages,
    usPerDelivery: (redisCpuMs * 1000) / Math.max(1, received),
    deliveriesPerSecond: received / seconds,
    egressBytesPerSecond: (received * payload.length) / seconds,
  };
}

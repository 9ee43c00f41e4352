// One client worker process: opens its share of the connections at a paced rate from its own source addresses,
// speaks the target's protocol, and records per-client receipts and latencies. Driven by run.mjs over IPC.
import WebSocket from 'ws';
import { io as ioClient } from 'socket.io-client';
import { Signer } from './jwt.mjs';
import { alertShape, filterFor, matches, nowMs } from './alerts.mjs';

const MAX_SAMPLES = 4_000_000;

let cfg;
let clients = [];
let samples = new Float64Array(1 << 16);
let sampleCount = 0;
let sampleSeen = 0;
const stats = {
  attempted: 0, established: 0, ready: 0, failed: 0, failReasons: {}, closedEarly: 0, closeCodes: {},
  deliveries: 0, stale: 0, gaps: 0, errors: 0, errorCodes: {}, pongs: 0, firstAttempt: null, lastEstablished: null,
  firstReceipt: null, lastReceipt: null, tokenMs: 0,
};
// Reconnect storm: every attempt after a drop, its failures by reason, and how each resume ended.
const storm = {
  attempts: 0, failures: 0, failReasons: {}, recovered: 0, notRecovered: 0, notRecoveredReasons: {}, droppedAgain: {},
};
// The TypeScript client's reconnect schedule (clients/typescript/src/backoff.ts): the cap starts at 500 ms, doubles
// per attempt up to 30 s, and the delay is a uniform pick in [0, cap] (full jitter); it resets once live again.
const BACKOFF = { initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2 };
// Like the TypeScript client's connectTimeoutMs (default 15 s): the greeting, then the sync's answer, must come within
// it, or the attempt is given up and the next one follows the backoff. The centrifuge clients get the same limit.
const REPLY_TIMEOUT_MS = 15_000;
const cpuMarks = {};
let closing = false;

function record(latency) {
  sampleSeen++;
  if (sampleCount < MAX_SAMPLES) {
    if (sampleCount === samples.length) {
      const bigger = new Float64Array(Math.min(samples.length * 2, MAX_SAMPLES));
      bigger.set(samples);
      samples = bigger;
    }
    samples[sampleCount++] = latency;
  } else {
    // reservoir: keeps a uniform sample once the cap is reached
    const j = Math.floor(Math.random() * sampleSeen);
    if (j < MAX_SAMPLES) samples[j] = latency;
  }
}

function receipt(client, alert, t) {
  const md = alert && alert.metadata;
  if (!md || md.bench !== cfg.runId) {
    stats.stale++;
    return;
  }
  const i = md.i;
  if (i >= 0 && i < cfg.alerts) {
    if (client.recv[i] < 255) client.recv[i]++;
  }
  stats.deliveries++;
  if (stats.firstReceipt === null) stats.firstReceipt = t;
  stats.lastReceipt = t;
  record(t - md.sentAt);
}

function onText(client, text) {
  const t = nowMs();
  let msg;
  try { msg = JSON.parse(text); } catch { stats.errors++; return; }
  // storm: keep the resume position (protocol.md "Resuming"): every frame's cursor, but not a reconnect's greeting
  if (cfg.scenario === 'storm' && msg.cursor !== undefined && !(client.resuming && msg.type === 'connection_established')) {
    client.cursor = msg.cursor;
    if (msg.epoch !== undefined) client.epoch = msg.epoch;
  }
  switch (msg.type) {
    case 'alert': receipt(client, msg.alert, t); return;
    case 'alert_batch': for (const a of msg.alerts || []) receipt(client, a.alert, t); return;
    case 'connection_established':
      if (client.resuming) {
        // back on a server: resume from the stored cursor before anything else
        client.backAt = t;
        sendSync(client);
        return;
      }
      established(client, t);
      if (client.filter !== undefined) {
        client.ws.send(JSON.stringify({ type: 'update_filters', id: 'f', filters: client.filter }));
      } else {
        ready(client);
      }
      return;
    case 'subscription_response':
      ready(client);
      return;
    case 'sync_response':
      if (msg.recovered) {
        storm.recovered++;
      } else {
        storm.notRecovered++;
        storm.notRecoveredReasons[msg.reason] = (storm.notRecoveredReasons[msg.reason] || 0) + 1;
      }
      live(client, t);
      return;
    case 'ping': client.ws.send('{"type":"pong"}'); stats.pongs++; return;
    case 'pong': return;
    case 'gap': stats.gaps++; return;
    case 'error':
      stats.errors++;
      stats.errorCodes[msg.code] = (stats.errorCodes[msg.code] || 0) + 1;
      if (!client.ready && msg.ref === 'f') { client.failedFilter = true; }
      if (client.resuming && msg.ref === 's' && msg.code === 'unavailable') retrySync(client);
      return;
    case undefined:
      if (msg.op && msg.alert) receipt(client, msg.alert, t); // peers forward the raw AlertEvent
      return;
    default:
      return;
  }
}

/**
 * The gateway could not read its history for the sync: ask again on the same connection after a backoff, as the
 * TypeScript client does (a new connection would start over, and would be handed again what this one already got).
 */
function retrySync(client) {
  storm.syncRetries = (storm.syncRetries || 0) + 1;
  client.syncAttempt = (client.syncAttempt || 0) + 1;
  const ws = client.ws;
  setTimeout(() => {
    if (client.ws !== ws || !client.resuming || ws.readyState !== 1) return;
    sendSync(client);
  }, backoffDelay(client.syncAttempt - 1));
}

/** Sends `sync` from the stored cursor; its answer must come within REPLY_TIMEOUT_MS. */
function sendSync(client) {
  awaitReply(client, 'sync_not_answered');
  client.ws.send(JSON.stringify({ type: 'sync', id: 's', since: client.cursor, epoch: client.epoch }));
}

/** The delay before attempt n (from 0) of BACKOFF's schedule: uniform in [0, cap], the cap doubling up to the max. */
function backoffDelay(attempt) {
  const cap = Math.min(BACKOFF.maxDelayMs, BACKOFF.initialDelayMs * BACKOFF.multiplier ** attempt);
  return Math.floor(Math.random() * cap);
}

function established(client, t) {
  client.established = true;
  stats.established++;
  stats.lastEstablished = t;
}

/** A moved client is live again: reconnected and resumed (sync_response / recovering subscribe reply). */
function live(client, t) {
  clearTimeout(client.replyTimer);
  client.syncAttempt = 0;
  client.resuming = false;
  client.backoff = 0;
  client.caughtUpAt = t;
}

function ready(client) {
  if (client.ready) return;
  client.ready = true;
  stats.ready++;
}

// Centrifuge's JSON protocol (v1, as the Go library 0.15 speaks it): a command is {"id", "method", "params"}
// with method 0 = connect (omitted) and 1 = subscribe; replies carry the command's id; a publication is a push
// without id, {"result":{"channel","data":{"data":<published JSON>}}}. One frame may hold several messages, one
// per line. The connect and the subscribe go out together in one frame, as centrifuge-js batches them.
const CENTRIFUGE_CONNECT = 1;
const CENTRIFUGE_SUBSCRIBE = 2;
// The connect carries the run's RS256 token (the peer verifies it, as the gateway does). A resume subscribes with
// `recover` from the last offset and epoch: the library sends what was missed in the subscribe reply.
function centrifugeHello(client) {
  const sub = { channel: 'alerts' };
  if (client.resuming) Object.assign(sub, { recover: true, offset: client.offset ?? 0, epoch: client.epoch ?? '' });
  return `{"id":${CENTRIFUGE_CONNECT},"params":${JSON.stringify({ token: client.token })}}\n`
    + `{"id":${CENTRIFUGE_SUBSCRIBE},"method":1,"params":${JSON.stringify(sub)}}`;
}

function onCentrifugeText(client, text) {
  const t = nowMs();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let msg;
    try { msg = JSON.parse(line); } catch { stats.errors++; continue; }
    if (msg.error) {
      stats.errors++;
      const code = `centrifuge_${msg.error.code}`;
      stats.errorCodes[code] = (stats.errorCodes[code] || 0) + 1;
    } else if (msg.id === CENTRIFUGE_CONNECT) {
      if (client.resuming) {
        client.backAt = t;
        awaitReply(client, 'subscribe_not_answered');
      } else {
        established(client, t);
      }
    } else if (msg.id === CENTRIFUGE_SUBSCRIBE) {
      const result = msg.result ?? {};
      if (result.epoch !== undefined) client.epoch = result.epoch; // storm: the recoverable stream's position
      client.offset = result.offset ?? 0;
      if (client.resuming) {
        for (const pub of result.publications ?? []) if (pub.data?.alert) receipt(client, pub.data.alert, t);
        if (result.recovered) storm.recovered++; else storm.notRecovered++;
        live(client, t);
      } else {
        ready(client);
      }
    } else if (msg.id === undefined && msg.result?.type === undefined && msg.result?.data) {
      const event = msg.result.data.data; // the peer publishes the raw AlertEvent
      if (msg.result.data.offset !== undefined) client.offset = msg.result.data.offset;
      if (event?.alert) receipt(client, event.alert, t);
    }
  }
}

function fail(client, reason) {
  if (client.settled) return;
  client.settled = true;
  stats.failed++;
  stats.failReasons[reason] = (stats.failReasons[reason] || 0) + 1;
}

function sourceAddress(i) {
  // 16 loopback source addresses per worker: ~28,000 ephemeral ports each, so ports never run out
  return `127.0.${(cfg.workerIndex % 250) + 1}.${(i % 16) + 1}`;
}

function openWs(client, url, headers) {
  const ws = new WebSocket(url, {
    headers, localAddress: sourceAddress(client.index), perMessageDeflate: Boolean(cfg.deflate), handshakeTimeout: 60000,
  });
  client.ws = ws;
  const centrifuge = cfg.target.kind === 'centrifuge';
  ws.on('open', () => {
    client.settled = true;
    if (centrifuge) {
      ws.send(centrifugeHello(client)); // established and ready on the replies
    } else if (cfg.target.kind !== 'tocsin') {
      established(client, nowMs());
      ready(client);
    }
  });
  const onFrame = centrifuge ? onCentrifugeText : onText;
  ws.on('message', (data, isBinary) => { if (!isBinary) onFrame(client, data.toString()); });
  ws.on('unexpected-response', (_req, res) => { fail(client, `http_${res.statusCode}`); ws.terminate(); });
  ws.on('error', (e) => { if (!client.established) fail(client, e.code || e.message); });
  ws.on('close', (code) => {
    if (!client.settled) fail(client, `close_${code}`);
    if (client.established && !closing) {
      stats.closedEarly++;
      stats.closeCodes[code] = (stats.closeCodes[code] || 0) + 1;
      if (cfg.scenario === 'storm' && client.ws === ws) dropped(client, code === 1006);
    }
    client.open = false;
  });
}

/**
 * Storm: the connection (or a reconnect attempt) ended; the next attempt follows the client's backoff delay. It goes
 * to the other server when this one is gone (a live connection dropped without a close frame, or no HTTP answer at
 * all), as a load balancer routes away from a dead server; a server that answered (a refusal, a close code) is alive
 * and is tried again.
 */
function dropped(client, serverGone) {
  if (closing) return;
  clearTimeout(client.replyTimer);
  if (client.droppedAt === undefined) client.droppedAt = nowMs();
  client.resuming = true;
  if (serverGone) client.urlIndex = (client.urlIndex + 1) % cfg.target.urls.length;
  setTimeout(() => reconnect(client), backoffDelay(client.backoff++));
}

function reconnect(client) {
  if (closing) return;
  storm.attempts++;
  const centrifuge = cfg.target.kind === 'centrifuge';
  const headers = cfg.target.kind === 'tocsin' ? { Authorization: `Bearer ${client.token}` } : {};
  const ws = new WebSocket(cfg.target.urls[client.urlIndex], {
    headers, localAddress: sourceAddress(client.index), perMessageDeflate: false, handshakeTimeout: 30000,
  });
  client.ws = ws;
  client.failAttempt = (reason) => {
    if (ws.failed || !client.resuming) return;
    ws.failed = true;
    storm.failures++;
    storm.failReasons[reason] = (storm.failReasons[reason] || 0) + 1;
  };
  const failure = client.failAttempt;
  let answered = false;
  awaitReply(client, centrifuge ? 'connect_not_answered' : 'no_greeting_in_time');
  ws.on('upgrade', () => { answered = true; });
  ws.on('open', () => { if (centrifuge) ws.send(centrifugeHello(client)); });
  const onFrame = centrifuge ? onCentrifugeText : onText;
  ws.on('message', (data, isBinary) => { if (!isBinary && client.ws === ws) onFrame(client, data.toString()); });
  ws.on('unexpected-response', (_req, res) => { answered = true; failure(`http_${res.statusCode}`); ws.terminate(); });
  ws.on('error', (e) => failure(e.code || e.message));
  ws.on('close', (code) => {
    const wasLive = !client.resuming;
    if (wasLive && client.ws === ws && !closing) {
      // a resumed connection closed again (centrifuge, for one, closes a subscriber that lost its stream position)
      storm.droppedAgain[code] = (storm.droppedAgain[code] || 0) + 1;
    }
    failure(`close_${code}`);
    if (client.ws === ws && !closing) dropped(client, wasLive ? code === 1006 : !answered);
  });
}

/** Gives the current attempt REPLY_TIMEOUT_MS for its next answer; without one it fails and is closed. */
function awaitReply(client, reason) {
  clearTimeout(client.replyTimer);
  const ws = client.ws;
  client.replyTimer = setTimeout(() => {
    if (client.ws !== ws || !client.resuming || closing) return;
    client.failAttempt(reason);
    ws.terminate();
  }, REPLY_TIMEOUT_MS);
}

function openSocketIo(client, url) {
  const socket = ioClient(url, {
    transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60000,
    localAddress: sourceAddress(client.index), perMessageDeflate: false,
  });
  client.ws = socket;
  socket.on('connect', () => {
    client.settled = true;
    established(client, nowMs());
    ready(client);
  });
  socket.on('alert', (text) => onText(client, text));
  socket.on('connect_error', (e) => fail(client, e.message));
  socket.on('disconnect', (reason) => {
    if (client.established && !closing) {
      stats.closedEarly++;
      stats.closeCodes[reason] = (stats.closeCodes[reason] || 0) + 1;
    }
  });
}

function open(client) {
  stats.attempted++;
  if (stats.firstAttempt === null) stats.firstAttempt = nowMs();
  const urls = cfg.target.urls;
  client.urlIndex = client.index % urls.length; // round-robin over replicas
  const url = urls[client.urlIndex];
  if (cfg.target.kind === 'socketio') {
    openSocketIo(client, url);
  } else if (cfg.target.kind === 'tocsin') {
    openWs(client, url, { Authorization: `Bearer ${client.token}` });
  } else {
    openWs(client, url, {});
  }
}

async function connectAll() {
  const n = cfg.count;
  clients = new Array(n);
  let signer = null;
  if (cfg.target.kind === 'tocsin' || cfg.target.kind === 'centrifuge') {
    const t0 = Date.now();
    signer = new Signer(cfg.privatePem);
    const tokens = new Map();
    for (let k = 0; k < n; k++) {
      const global = cfg.first + k;
      const user = `bench-u${global % cfg.users}`;
      let token = tokens.get(user);
      if (!token) {
        token = signer.token(user, ['viewer', 'bench'], 6 * 3600);
        tokens.set(user, token);
      }
      clients[k] = { index: global, token, backoff: 0 };
    }
    stats.tokenMs = Date.now() - t0;
  } else {
    for (let k = 0; k < n; k++) clients[k] = { index: cfg.first + k };
  }
  for (const c of clients) {
    c.recv = new Uint8Array(cfg.alerts);
    if (cfg.scenario === 'filtered' && cfg.target.kind === 'tocsin') c.filter = filterFor(c.index);
  }
  process.send({ type: 'tokens', tokenMs: stats.tokenMs });

  // pace: `rate` connections per second, at most `maxInflight` handshakes outstanding
  const rate = cfg.connectRate;
  const start = Date.now();
  let next = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(n, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
      while (next < due && next - (stats.established + stats.failed) < cfg.maxInflight) {
        open(clients[next++]);
      }
      if (next >= n) { clearInterval(tick); resolve(); }
    }, 5);
  });
  // wait until every attempt has settled (bounded)
  const deadline = Date.now() + cfg.settleTimeoutMs;
  while (Date.now() < deadline && stats.ready + stats.failed + failedFilters() < n) {
    await new Promise((r) => setTimeout(r, 50));
  }
  process.send({ type: 'connected', stats: progress() });
}

function failedFilters() {
  let f = 0;
  for (const c of clients) if (c.failedFilter) f++;
  return f;
}

function progress() {
  return {
    attempted: stats.attempted, established: stats.established, ready: stats.ready, failed: stats.failed,
    deliveries: stats.deliveries, closedEarly: stats.closedEarly, expected: expectedTotal(), stale: stats.stale,
    ...(cfg.scenario === 'storm' ? stormProgress() : {}),
  };
}

/** Storm: clients that lost their server, and how many of them are back and resumed. */
function stormProgress() {
  let moved = 0, back = 0, movedExpected = 0;
  const victim = cfg.target.urls.length - 1; // run.mjs kills the last server
  for (const c of clients) {
    if (!c) continue;
    if (c.established && c.index % cfg.target.urls.length === victim) movedExpected++;
    if (c.droppedAt === undefined) continue;
    moved++;
    if (!c.resuming) back++;
  }
  return { moved, back, movedExpected };
}

/** Storm: each moved client's drop, reconnect (greeting) and resume times, NaN where it never came back. */
function stormTimes() {
  const moved = clients.filter((c) => c && c.droppedAt !== undefined);
  const times = (f) => Float64Array.from(moved, f);
  return {
    ...storm, ...stormProgress(),
    droppedAt: times((c) => c.droppedAt),
    backAt: times((c) => (c.resuming ? NaN : c.backAt ?? NaN)),
    caughtUpAt: times((c) => (c.resuming ? NaN : c.caughtUpAt ?? NaN)),
  };
}

let expectedCache = null;
function expectedFor(client, count = cfg.alerts) {
  if (!client.established) return 0;
  if (client.filter === undefined || client.filter === null) return count;
  let e = 0;
  for (let i = 0; i < count; i++) if (matches(alertShape(i, cfg.scenario), client.filter)) e++;
  return e;
}
function expectedTotal() {
  if (cfg.alerts === 0) return 0;
  if (expectedCache !== null) return expectedCache;
  let total = 0;
  for (const c of clients) if (c) total += expectedFor(c);
  return total;
}

function results() {
  let missing = 0, dupes = 0, unexpected = 0, clientsMissing = 0, clientsDupes = 0, maxMissing = 0;
  const shapes = [];
  for (let i = 0; i < cfg.alerts; i++) shapes.push(alertShape(i, cfg.scenario));
  for (const c of clients) {
    if (!c || !c.established) continue;
    let m = 0, d = 0;
    for (let i = 0; i < cfg.alerts; i++) {
      const want = c.filter == null ? true : matches(shapes[i], c.filter);
      const got = c.recv[i];
      if (want && got === 0) m++;
      if (got > 1) d += got - 1;
      if (!want && got > 0) unexpected += got;
    }
    missing += m;
    dupes += d;
    if (m) clientsMissing++;
    if (d) clientsDupes++;
    if (m > maxMissing) maxMissing = m;
  }
  return {
    ...stats, expected: expectedTotal(), missing, dupes, unexpected, clientsMissing, clientsDupes, maxMissing,
    cpu: process.cpuUsage(), cpuMarks, samples: samples.subarray(0, sampleCount), sampleSeen,
    storm: cfg.scenario === 'storm' ? stormTimes() : null,
  };
}

process.on('message', async (m) => {
  switch (m.type) {
    case 'init':
      cfg = m.cfg;
      process.send({ type: 'init-ok' });
      break;
    case 'connect':
      await connectAll();
      break;
    case 'mark':
      cpuMarks[m.name] = process.cpuUsage();
      break;
    case 'progress':
      process.send({ type: 'progress', stats: progress() });
      break;
    case 'expected-for': {
      let total = 0;
      for (const c of clients) if (c) total += expectedFor(c, m.count);
      process.send({ type: 'expected-for', expected: total });
      break;
    }
    case 'freeze-expected':
      expectedCache = null;
      expectedCache = expectedTotal();
      process.send({ type: 'expected', expected: expectedCache });
      break;
    case 'results':
      process.send({ type: 'results', results: results() });
      break;
    case 'close':
      closing = true;
      for (const c of clients) {
        try {
          if (cfg.target.kind === 'socketio') c.ws?.disconnect(); else c.ws?.terminate();
        } catch { /* already closed */ }
      }
      setTimeout(() => process.exit(0), 200);
      break;
    default:
      break;
  }
});
process.on('disconnect', () => process.exit(0));

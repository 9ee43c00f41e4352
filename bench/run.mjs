#!/usr/bin/env node
// Tocsin load tool: one command runs one scenario against one or more targets, one after the other, in the same
// run, with the same clients and the same publisher, and prints one table (Tocsin's figures and its ratios to
// each peer). See docs/benchmarks.md.
//
//   node bench/run.mjs --target tocsin,ws,socketio,vertx --scenario broadcast --clients 5000 --alerts 40 --json out.json
//   node bench/run.mjs --smoke
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, TARGETS, e2eBuilt, startTarget, serverHeap, targetBuilt } from './lib/targets.mjs';
import { generateKeys, Signer } from './lib/jwt.mjs';
import { RedisPublisher, RestPublisher, publishAll } from './lib/publisher.mjs';
import { nowMs } from './lib/alerts.mjs';
import { STAGE_ORDER, readStages, stageDeltas } from './lib/stages.mjs';
import {
  procCpuMs, procRssBytes, jvmGc, sleep, killAllChildren, loadAverage, procOpenFiles, jitCpuMs, metricSums,
} from './lib/proc.mjs';

const USAGE = `usage: node bench/run.mjs [options]
  --target LIST        tocsin,ws,socketio,vertx,centrifuge or all (default tocsin)
  --scenario NAME      broadcast | filtered | idle | e2e | storm (default broadcast)
  --clients N          connections per target (default 1000; storm 10000)
  --alerts A           alerts to publish (default 40; e2e: rate x duration)
  --rate R             alerts per second, 0 = all at once (default 0; e2e 100)
  --duration S         e2e, storm: seconds of publishing; idle: seconds idle (default 10; storm 20)
  --kill-after S       storm: seconds of publishing before the last server is killed with SIGKILL (default 5);
                       storm runs tocsin with 2 gateways, centrifuge with 2 instances on its Redis broker, and
                       publishes at --rate (default 10/s) for --duration
  --connect-rate C     new connections per second, all workers together (default 2000)
  --max-inflight K     handshakes outstanding per worker (default 500)
  --workers W          client processes (default: one per 18,000 connections, at least 1)
  --gateways G         Tocsin gateway replicas sharing Redis (default 1)
  --users U            distinct JWT users (default: one per connection)
  --xmx SIZE           heap limit of the JVM servers (default 1g)
  --jfr PREFIX         record JFR on servers whose name starts with PREFIX (e.g. alert-gateway-0)
  --gateway-prop K=V   extra -D for the gateways (repeatable)
  --jvm-arg ARG        extra JVM option for Tocsin's JVMs (gateways, e2e: alert-ingest), {name} replaced by the
                       server's name
                       (repeatable; e.g. an async-profiler -agentpath, see docs/benchmarks.md)
  --warmup N           alerts published and drained before the measured ones, not counted
                       (default: as many as --alerts; e2e: 3 s worth; idle and smoke: 0)
  --warmup-settle P    repeat the warm-up in rounds of --warmup alerts (and of --warmup-connections) until no JVM's
                       JIT compiler threads used more than P % of a core during the last round (steady state on a
                       contended machine)
  --warmup-rounds N    at most this many warm-up rounds with --warmup-settle (default 10)
  --warmup-connections K
                       before the measured connections, open K connections and close them again, so the connect
                       phase measures a warm server; the servers' health and metrics endpoints are polled meanwhile,
                       as a deployed replica's are (default 0; one round holds K open at once, so K stays under the
                       server's descriptor limit: repeat rounds with --warmup-settle)
  --drain MS           longest wait after the last publish for deliveries (default 60000)
  --oplog-seconds S    e2e: the embedded MongoDB drops oplog entries older than this, like a capped oplog
                       (default 10; a tailer further behind than that would miss changes, which the run reports
                       as missing alerts; the embedded server scans its whole oplog on every poll, a replica set
                       does not, so a short oplog keeps the stand-in's cost closer to the real one)
  --no-gc              do not force a GC before memory readings
  --no-appcds          start the gateways without the class-data-sharing archive their image ships (by default
                       the tool makes one from the copied app, as Dockerfile.jvm does, and starts them with it)
  --deflate            WebSocket clients offer permessage-deflate, as browsers do (default: they do not)
  --json FILE          write the results as JSON
  --work-dir DIR       logs, keys, app copies (default bench/results/<time>)
  --smoke              CI: 50 clients, 5 alerts, broadcast, every available target; then a storm of 100 clients
                       against tocsin and centrifuge where built, after two rounds of 100 warm-up connections
                       (counts only); then, when alert-ingest and local-infra are built, a small e2e run of tocsin
                       whose every stage histogram must count the alerts; exit 0/1`;

function parseArgs(argv) {
  const o = {
    target: 'tocsin', scenario: 'broadcast', clients: null, alerts: null, rate: null, duration: null, killAfter: 5,
    connectRate: 2000, maxInflight: 500, workers: null, gateways: 1, users: null, xmx: '1g', jfr: null,
    gatewayProps: [], jvmArgs: [], drain: 60000, warmup: null, warmupSettle: null, warmupRounds: 10, warmupConnections: 0, gc: true, appcds: true, deflate: false,
    json: null, workDir: null, smoke: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--target': case '--targets': o.target = v(); break;
      case '--scenario': o.scenario = v(); break;
      case '--clients': o.clients = Number(v()); break;
      case '--alerts': o.alerts = Number(v()); break;
      case '--rate': o.rate = Number(v()); break;
      case '--duration': o.duration = Number(v()); break;
      case '--kill-after': o.killAfter = Number(v()); break;
      case '--connect-rate': o.connectRate = Number(v()); break;
      case '--max-inflight': o.maxInflight = Number(v()); break;
      case '--workers': o.workers = Number(v()); break;
      case '--gateways': o.gateways = Number(v()); break;
      case '--users': o.users = Number(v()); break;
      case '--xmx': o.xmx = v(); break;
      case '--jfr': o.jfr = v(); break;
      case '--gateway-prop': o.gatewayProps.push(v()); break;
      case '--jvm-arg': o.jvmArgs.push(v()); break;
      case '--drain': o.drain = Number(v()); break;
      case '--oplog-seconds': o.oplogSeconds = Number(v()); break;
      case '--warmup': o.warmup = Number(v()); break;
      case '--warmup-settle': o.warmupSettle = Number(v()); break;
      case '--warmup-rounds': o.warmupRounds = Number(v()); break;
      case '--warmup-connections': o.warmupConnections = Number(v()); break;
      case '--no-gc': o.gc = false; break;
      case '--no-appcds': o.appcds = false; break;
      case '--deflate': o.deflate = true; break;
      case '--json': o.json = v(); break;
      case '--work-dir': o.workDir = v(); break;
      case '--smoke': o.smoke = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (o.smoke) {
    o.clients = 50; o.alerts = 5; o.rate = 0; o.warmup = 0; o.scenario = 'broadcast'; o.drain = 10000; o.gc = false;
    o.connectRate = 500; o.xmx = '256m';
    const targets = TARGETS.filter(targetBuilt);
    o.target = targets.join(',');
  }
  if (o.target === 'all') o.target = TARGETS.join(',');
  o.targets = o.target.split(',').map((s) => s.trim()).filter(Boolean);
  for (const t of o.targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}`);
  return finishOptions(o);
}

/** Defaults that depend on the scenario (also used for the smoke run's storm pass). */
function finishOptions(o) {
  if (!['broadcast', 'filtered', 'idle', 'e2e', 'storm'].includes(o.scenario)) throw new Error(`unknown scenario ${o.scenario}`);
  if (o.scenario === 'e2e' && o.targets.some((t) => t !== 'tocsin')) throw new Error('e2e runs against tocsin only');
  const storm = o.scenario === 'storm';
  if (storm && o.targets.some((t) => t !== 'tocsin' && t !== 'centrifuge')) throw new Error('storm runs against tocsin and centrifuge only');
  if (o.clients === null) o.clients = storm ? 10000 : 1000;
  if (o.duration === null) o.duration = storm ? 20 : 10;
  if (storm) o.gateways = Math.max(2, o.gateways);
  if (o.rate === null) o.rate = o.scenario === 'e2e' ? 100 : storm ? 10 : 0;
  if (storm && !(o.rate > 0)) throw new Error('storm publishes at a steady --rate');
  if (storm && o.alerts === null) o.alerts = Math.round(o.rate * o.duration);
  if (o.alerts === null) {
    o.alerts = o.scenario === 'idle' ? 0 : o.scenario === 'e2e' ? Math.round(o.rate * o.duration) : 40;
  }
  if (o.scenario === 'idle') o.alerts = 0;
  if (o.warmup === null) {
    o.warmup = o.smoke || o.scenario === 'idle' || storm ? 0 : o.scenario === 'e2e' ? Math.round(o.rate * 3) : o.alerts;
  }
  if (o.alerts > 0 && o.rate > 0 && (o.scenario === 'e2e' || storm)) o.duration = o.alerts / o.rate;
  if (storm && !(o.killAfter > 0 && o.killAfter < o.duration)) throw new Error('--kill-after must be within --duration');
  o.users = o.users ?? o.clients;
  o.workers = o.workers ?? Math.max(1, Math.ceil(o.clients / 18000));
  if (Math.ceil(o.clients / o.workers) >= 19000) throw new Error('each worker must hold fewer than 19,000 sockets');
  o.workDir = path.resolve(o.workDir ?? path.join(BENCH_DIR, 'results', new Date().toISOString().replace(/[:.]/g, '-')));
  return o;
}

// ---------------------------------------------------------------- workers

class Worker {
  constructor(index) {
    this.index = index;
    this.child = fork(path.join(BENCH_DIR, 'lib/worker.mjs'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.waiters = new Map();
    this.last = { attempted: 0, established: 0, ready: 0, failed: 0, deliveries: 0, closedEarly: 0, expected: 0 };
    this.child.on('message', (m) => {
      if (m.type === 'progress' || m.type === 'connected') this.last = m.stats;
      const w = this.waiters.get(m.type);
      if (w) { this.waiters.delete(m.type); w(m); }
    });
    this.exited = new Promise((r) => this.child.once('exit', r));
  }

  ask(msg, reply, timeoutMs = 600000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiters.delete(reply); reject(new Error(`worker ${this.index}: no ${reply}`)); }, timeoutMs);
      this.waiters.set(reply, (m) => { clearTimeout(timer); resolve(m); });
      this.child.send(msg);
    });
  }

  send(msg) { this.child.send(msg); }
}

// ---------------------------------------------------------------- measurement helpers

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** The servers measured: in a storm, from its measured phase on, the survivors only (the victim is killed in it). */
function measured(target) {
  return target.servers.filter((s) => s !== target.victim);
}

function serversCpu(target) {
  let sum = 0;
  for (const s of measured(target)) sum += procCpuMs(s.pid) ?? 0;
  return sum;
}

/** The target's JVMs: gateways and, end to end, alert-ingest (the Vert.x peer too). */
function jvms(target) {
  return [...measured(target), ...target.infra].filter((s) => s.jvm);
}

/** CPU ms of each JVM's JIT compiler threads, by server name. */
function jitCpu(target) {
  return Object.fromEntries(jvms(target).map((s) => [s.name, jitCpuMs(s.pid)]));
}

function deltas(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
}

// End to end: the gateways' mean time from an alert's createdAt (set by alert-ingest before the insert) to the
// socket write, over the measured phase; the rest of the client's latency is the REST call before it and the
// client's side after it. (alert-ingest's change-stream lag metric is not used: the embedded MongoDB gives no
// wallTime, and its clusterTime counts whole seconds.)
const LATENCY_METRICS = ['tocsin_gateway_delivery_latency_seconds_count', 'tocsin_gateway_delivery_latency_seconds_sum'];

async function gatewayLatencySums(target) {
  if (target.kind !== 'tocsin') return null;
  const sums = await Promise.all(measured(target).filter((s) => s.metricsUrl).map((s) => metricSums(s.metricsUrl, LATENCY_METRICS)));
  const [count, sum] = LATENCY_METRICS;
  return { count: sums.reduce((a, m) => a + (m[count] ?? 0), 0), sum: sums.reduce((a, m) => a + (m[sum] ?? 0), 0) };
}

function meanMs(before, after) {
  if (!before || !after || after.count <= before.count) return null;
  return ((after.sum - before.sum) / (after.count - before.count)) * 1000;
}

/** The stage histograms of Tocsin's services (gateways, and alert-ingest end to end); null for peers. */
async function stageHistograms(target) {
  if (target.kind !== 'tocsin') return null;
  const urls = [
    ...target.servers.filter((s) => s.metricsUrl).map((s) => ({ service: 'gateway', url: s.metricsUrl })),
    ...target.infra.filter((s) => s.name === 'alert-ingest' && s.metricsUrl).map((s) => ({ service: 'ingest', url: s.metricsUrl })),
  ];
  return readStages(urls);
}

function infraCpu(target) {
  const out = {};
  for (const s of target.infra) out[s.name] = procCpuMs(s.pid);
  return out;
}

async function memory(target, gc) {
  if (gc) for (const s of target.servers) if (s.jvm) jvmGc(s.pid);
  let rss = 0;
  let heap = 0;
  let heapKnown = true;
  for (const s of target.servers) {
    rss += procRssBytes(s.pid) ?? 0;
    const h = await serverHeap(s);
    if (h === null) heapKnown = false; else heap += h;
  }
  return { rss, heap: heapKnown ? heap : null };
}

const cpuSum = (u) => (u.user + u.system) / 1000; // ms

let lastPrinted = 0;
let lastPhase = '';

function progressLine(name, phase, workers, extra = '') {
  const t = workers.reduce((a, w) => {
    for (const k of Object.keys(a)) a[k] += w.last[k] ?? 0;
    return a;
  }, { attempted: 0, established: 0, ready: 0, failed: 0, deliveries: 0, closedEarly: 0, expected: 0, stale: 0, moved: 0, back: 0, movedExpected: 0 });
  const moved = t.movedExpected ? ` | moved ${t.back}/${t.moved} back (of ${t.movedExpected})` : '';
  const line = `[${name}] ${phase}: ${t.ready}/${t.attempted} ready, ${t.failed} failed, ${t.closedEarly} dropped | deliveries ${t.deliveries}${t.expected ? `/${t.expected}` : ''}${t.stale ? ` (+${t.stale} warm-up)` : ''}${moved} ${extra}`;
  if (process.stderr.isTTY) {
    process.stderr.write(`\r${line.padEnd(120)}`);
  } else if (Date.now() - lastPrinted >= 2000 || phase !== lastPhase) {
    // logs get a line every 2 s, not every poll
    process.stderr.write(`${line}\n`);
    lastPrinted = Date.now();
    lastPhase = phase;
  }
  return t;
}

async function pollProgress(workers) {
  await Promise.all(workers.map((w) => w.ask({ type: 'progress' }, 'progress', 30000).catch(() => null)));
}

// ---------------------------------------------------------------- one target

/**
 * Warm-up: alerts of another run id (clients count them as stale, not as deliveries), so JIT compilation and
 * first-use allocation happen before the measured alerts; each round is drained until the stale count reaches
 * what it should. With --warmup-settle, rounds repeat until no JVM's JIT compiler threads used more than that
 * share of a core in the last round. Returns each round's duration and JIT CPU.
 */
async function warmUp(name, o, target, workers, keys) {
  const rounds = [];
  const warm = o.scenario === 'e2e'
    ? new RestPublisher(target.ingestUrl, new Signer(keys.privatePem).token('bench-admin', ['admin'], 6 * 3600), `${o.runId}w`)
    : new RedisPublisher(target.redis.uri, `${o.runId}w`);
  for (let round = 0; ; round++) {
    const jit0 = jitCpu(target);
    const started = nowMs();
    // round r publishes alerts r*warmup.. of the warm-up run id, so the expectation is cumulative
    const warmExpected = (await Promise.all(workers.map((w) => w.ask({ type: 'expected-for', count: (round + 1) * o.warmup }, 'expected-for'))))
      .reduce((a, m) => a + m.expected, 0);
    const warmDone = publishAll(warm, o.warmup, o.rate, o.scenario, null, round * o.warmup);
    let warmPublished = null;
    warmDone.then((r) => { warmPublished = r; });
    while (true) {
      await Promise.race([warmDone, sleep(1000)]);
      await pollProgress(workers);
      const t = progressLine(name, 'warm-up', workers, `(round ${round + 1}, ${o.warmup} warm-up alerts)`);
      if (warmPublished && t.stale >= warmExpected) break;
      if (warmPublished && nowMs() > warmPublished.end + o.drain) {
        console.error(`\n[${name}] warm-up: only ${t.stale} of ${warmExpected} deliveries after ${o.drain} ms`);
        break;
      }
    }
    const settle = settleRound(name, o, target, 'warm-up round', round, jit0, started);
    rounds.push(settle.round);
    if (settle.done) break;
  }
  await sleep(1000);
  warm.close();
  process.stderr.write('\n');
  return rounds;
}

/**
 * The end of one warm-up round (alerts or connections) under --warmup-settle: the busiest JVM's JIT share of a core
 * since jit0 was read, printed; done when there is no --warmup-settle, the share is at most its P %, or this was the
 * last of --warmup-rounds.
 */
function settleRound(name, o, target, label, round, jit0, started) {
  const jit = deltas(jit0, jitCpu(target));
  const seconds = (nowMs() - started) / 1000;
  const busiest = Object.entries(jit).sort((a, b) => b[1] - a[1])[0];
  const percent = busiest ? busiest[1] / 10 / seconds : 0;
  const result = { round: { seconds, jitMs: jit, busiestJitPercentOfOneCore: percent }, done: true };
  if (o.warmupSettle === null) return result;
  const settled = percent <= o.warmupSettle;
  const last = round + 1 >= o.warmupRounds;
  process.stderr.write(`\n[${name}] ${label} ${round + 1}: JIT of ${busiest?.[0] ?? '—'} at ${percent.toFixed(1)}% of a core`
    + `${!settled && last ? `, still above ${o.warmupSettle}% after ${o.warmupRounds} rounds: measuring anyway` : ''}\n`);
  result.done = settled || last;
  return result;
}

/** Forks the client workers, an even share of `clients` each, and signs their tokens. */
async function startWorkers(o, target, keys, clients, alerts) {
  const workers = [];
  const per = Math.ceil(clients / o.workers);
  for (let w = 0; w < o.workers; w++) {
    const first = w * per;
    const count = Math.max(0, Math.min(per, clients - first));
    if (count === 0) break;
    const worker = new Worker(w);
    workers.push(worker);
    await worker.ask({
      type: 'init',
      cfg: {
        workerIndex: w, first, count, runId: o.runId, alerts, scenario: o.scenario,
        target: { kind: target.kind, urls: target.urls }, privatePem: keys.privatePem, users: o.users, deflate: o.deflate,
        connectRate: o.connectRate / o.workers, maxInflight: o.maxInflight,
        settleTimeoutMs: Math.max(60000, (clients / o.connectRate) * 3000),
      },
    }, 'init-ok');
  }
  await Promise.all(workers.map((w) => w.ask({ type: 'connect' }, 'tokens')));
  return workers;
}

/** Has the workers open their connections and shows progress until every attempt has settled. */
async function connectWorkers(name, label, workers) {
  const connected = Promise.all(workers.map((w) => new Promise((resolve) => {
    const h = (m) => { if (m.type === 'connected') { w.child.off('message', h); resolve(); } };
    w.child.on('message', h);
  })));
  let done = false;
  connected.then(() => { done = true; });
  while (!done) {
    await Promise.race([connected, sleep(1000)]);
    if (!done) await pollProgress(workers);
    progressLine(name, label, workers);
  }
}

/**
 * --warmup-connections: opens that many connections, closes them, and waits until the servers have let go of the
 * sockets, so the measured connect phase meets a warm server (as the surviving replicas of a failover are) instead
 * of a JVM compiling its handshake path. With --warmup-settle, rounds of that many repeat (at most --warmup-rounds)
 * until no JVM's JIT compiler threads used more than that share of a core in the last round: one round is bounded by
 * the server's descriptors (20,000 files per process here), and a JVM's handshake path is not compiled after one.
 * Memory "before" is read after it.
 */
async function connectionWarmUp(name, o, target, keys) {
  const cpu0 = serversCpu(target);
  const jit0 = jitCpu(target);
  const t0 = nowMs();
  const rounds = [];
  let ready = 0;
  let failed = 0;
  for (let round = 0; ; round++) {
    const jitRound0 = jitCpu(target);
    const started = nowMs();
    const opened = await connectionWarmUpRound(name, o, target, keys);
    ready += opened.ready;
    failed += opened.failed;
    const settle = settleRound(name, o, target, 'warm-up connection round', round, jitRound0, started);
    rounds.push({ ...opened, ...settle.round });
    if (settle.done) break;
  }
  const result = {
    connections: o.warmupConnections * rounds.length, ready, failed, seconds: (nowMs() - t0) / 1000,
    serverCpuMs: serversCpu(target) - cpu0, jitMs: deltas(jit0, jitCpu(target)), rounds,
  };
  console.error(`[${name}] warm-up connections: ${ready} opened and closed in ${rounds.length} round(s), ${failed} failed, `
    + `${(result.serverCpuMs / 1000).toFixed(2)} s of server CPU`);
  return result;
}

/** One round of the connection warm-up: opens --warmup-connections, closes them, waits for the servers to let go. */
async function connectionWarmUpRound(name, o, target, keys) {
  const files0 = target.servers.map((s) => procOpenFiles(s.pid));
  const workers = await startWorkers(o, target, keys, o.warmupConnections, 0);
  // A replica that has been up for a while has also answered its probes and metrics scrapes, and its compiled
  // handshake code has seen those requests on the same HTTP path. Without them, the tool's own /q/metrics read
  // after the warm-up deoptimizes the header parsing and routing code, and the measured wave pays to compile it
  // again (docs/benchmarks.md, "Handshake").
  const probes = probeLoop(target, 250);
  await connectWorkers(name, 'warm-up connect', workers);
  await probes.stop();
  const { ready, failed } = progressLine(name, 'warm-up connected', workers);
  process.stderr.write('\n');
  for (const w of workers) w.send({ type: 'close' });
  await Promise.all(workers.map((w) => w.exited));
  // the servers count a socket as gone once its close has run: wait for their descriptors to come back
  const deadline = nowMs() + 60000;
  while (nowMs() < deadline && target.servers.some((s, i) => (procOpenFiles(s.pid) ?? 0) > (files0[i] ?? 0) + 16)) {
    await sleep(250);
  }
  await sleep(1000); // close callbacks that follow the socket's close (presence, metrics)
  return { ready, failed };
}

/**
 * Requests what a deployed replica is asked all the time (liveness, readiness, a Prometheus scrape) from every server
 * that has a metrics endpoint, every intervalMs, until stop() (which waits for the requests in flight).
 */
function probeLoop(target, intervalMs) {
  const urls = target.servers.filter((s) => s.metricsUrl)
    .flatMap((s) => ['/q/health/live', '/q/health/ready', '/q/metrics'].map((p) => s.metricsUrl.replace(/\/q\/metrics$/, p)));
  let running = true;
  const loop = (async () => {
    while (running && urls.length) {
      await Promise.all(urls.map((u) => fetch(u, { signal: AbortSignal.timeout(5000) })
        .then((r) => r.arrayBuffer()).catch(() => null)));
      await sleep(intervalMs);
    }
  })();
  return { stop: async () => { running = false; await loop; } };
}

/** Storm: publishes for --kill-after seconds, then kills the last server (target.victim) with SIGKILL. */
async function killVictim(name, o, target, workers, phaseStart) {
  const killDue = phaseStart + o.killAfter * 1000;
  while (nowMs() < killDue) {
    await sleep(Math.min(500, killDue - nowMs()));
    await pollProgress(workers);
    progressLine(name, 'publishing', workers, `kill in ${Math.max(0, Math.round((killDue - nowMs()) / 1000))} s`);
  }
  const cpuKill = serversCpu(target);
  process.kill(target.victim.pid, 'SIGKILL');
  return { killAt: nowMs(), victim: target.victim.name, cpuKill, allBackPolledAt: null, cpuAllBack: null };
}

async function runTarget(name, o, keys) {
  const load = loadAverage();
  console.error(`\n[${name}] starting (load average ${load?.join(' ')}) ...`);
  const target = await startTarget(name, { ...o, keys, scenario: o.scenario, clients: o.clients, users: o.users });
  const result = { target: name, loadBefore: load, urls: target.urls, builtAt: target.builtAt ?? null, servers: target.servers.map((s) => s.name) };
  const workers = [];
  let publisher = null;
  try {
    await sleep(1500);
    result.connectionWarmUp = o.warmupConnections > 0 ? await connectionWarmUp(name, o, target, keys) : null;
    const mem0 = await memory(target, o.gc);
    const cpu0 = serversCpu(target);

    workers.push(...await startWorkers(o, target, keys, o.clients, o.alerts));
    const connectStart = nowMs();
    const cpuConnect0 = serversCpu(target);
    const jitConnect0 = jitCpu(target);
    await connectWorkers(name, 'connect', workers);
    const connectEnd = nowMs();
    progressLine(name, 'connected', workers);
    process.stderr.write('\n');
    const cpuConnect1 = serversCpu(target);
    const jitConnect = deltas(jitConnect0, jitCpu(target));
    await sleep(2000);
    const mem1 = await memory(target, o.gc);
    const openFiles = target.servers.map((s) => procOpenFiles(s.pid));

    const warmupRounds = o.warmup > 0 && o.scenario !== 'idle' ? await warmUp(name, o, target, workers, keys) : [];

    // the measured phase; a storm kills the last server in it and measures the survivors
    if (o.scenario === 'storm') target.victim = target.servers[target.servers.length - 1];
    for (const w of workers) w.send({ type: 'mark', name: 'phase' });
    const orchestratorCpu0 = process.cpuUsage();
    const cpuPhase0 = serversCpu(target);
    const infra0 = infraCpu(target);
    const jitPhase0 = jitCpu(target);
    const latency0 = await gatewayLatencySums(target);
    const stages0 = await stageHistograms(target);
    let phaseStart = nowMs();
    let phaseEnd;
    let published = null;
    let expected = 0;
    let storm = null;
    if (o.scenario === 'idle') {
      const until = nowMs() + o.duration * 1000;
      while (nowMs() < until) {
        await sleep(Math.min(1000, until - nowMs()));
        await pollProgress(workers);
        progressLine(name, 'idle', workers, `${Math.round((until - nowMs()) / 1000)} s left`);
      }
      phaseEnd = nowMs();
    } else {
      expected = (await Promise.all(workers.map((w) => w.ask({ type: 'freeze-expected' }, 'expected'))))
        .reduce((a, m) => a + m.expected, 0);
      if (o.scenario === 'e2e') {
        const admin = new Signer(keys.privatePem).token('bench-admin', ['admin'], 6 * 3600);
        publisher = new RestPublisher(target.ingestUrl, admin, o.runId);
      } else {
        publisher = new RedisPublisher(target.redis.uri, o.runId);
        await publisher.redis.ping();
      }
      phaseStart = nowMs();
      const pubDone = publishAll(publisher, o.alerts, o.rate, o.scenario);
      let pubFinished = null;
      pubDone.then((r) => { pubFinished = r; });
      if (o.scenario === 'storm') storm = await killVictim(name, o, target, workers, phaseStart);
      while (true) {
        await Promise.race([pubDone, sleep(500)]);
        await pollProgress(workers);
        const t = progressLine(name, pubFinished ? 'draining' : storm ? 'storm' : 'publishing', workers);
        if (storm && storm.allBackPolledAt === null && t.movedExpected > 0 && t.back >= t.movedExpected) {
          storm.allBackPolledAt = nowMs();
          storm.cpuAllBack = serversCpu(target);
        }
        if (pubFinished && t.deliveries >= expected && (!storm || storm.allBackPolledAt !== null)) break;
        if (pubFinished && nowMs() > pubFinished.end + o.drain) break;
      }
      published = await pubDone;
      phaseEnd = nowMs();
    }
    process.stderr.write('\n');
    const cpuPhase1 = serversCpu(target);
    const infra1 = infraCpu(target);
    const jitPhase = deltas(jitPhase0, jitCpu(target));
    const createdToWrittenMs = meanMs(latency0, await gatewayLatencySums(target));
    const stages = stages0 ? stageDeltas(stages0, await stageHistograms(target)) : null;
    const orchestratorCpu = cpuSum(process.cpuUsage(orchestratorCpu0));
    const results = (await Promise.all(workers.map((w) => w.ask({ type: 'results' }, 'results')))).map((m) => m.results);

    // aggregate
    const sum = (f) => results.reduce((a, r) => a + (f(r) ?? 0), 0);
    let n = 0;
    for (const r of results) n += r.samples.length;
    const all = new Float64Array(n);
    let off = 0;
    for (const r of results) { all.set(r.samples, off); off += r.samples.length; }
    all.sort();
    const deliveries = sum((r) => r.deliveries);
    const lastReceipt = Math.max(...results.map((r) => r.lastReceipt ?? 0));
    const established = sum((r) => r.established);
    const failReasons = {};
    const closeCodes = {};
    const errorCodes = {};
    for (const r of results) {
      for (const [k, v] of Object.entries(r.failReasons)) failReasons[k] = (failReasons[k] || 0) + v;
      for (const [k, v] of Object.entries(r.closeCodes)) closeCodes[k] = (closeCodes[k] || 0) + v;
      for (const [k, v] of Object.entries(r.errorCodes)) errorCodes[k] = (errorCodes[k] || 0) + v;
    }
    const firstAttempt = Math.min(...results.map((r) => r.firstAttempt ?? Infinity));
    const lastEstablished = Math.max(...results.map((r) => r.lastEstablished ?? 0));
    const toolPhaseMs = results.reduce((a, r) => a + (r.cpuMarks.phase ? cpuSum(r.cpu) - cpuSum(r.cpuMarks.phase) : 0), 0) + orchestratorCpu;
    const toolTotalMs = results.reduce((a, r) => a + cpuSum(r.cpu), 0);
    const deliverySpan = lastReceipt > 0 ? (lastReceipt - phaseStart) / 1000 : null;
    const phaseSeconds = (phaseEnd - phaseStart) / 1000;
    const serverPhaseMs = cpuPhase1 - cpuPhase0;

    if (storm) result.storm = stormResult(storm, results, cpuPhase1, phaseEnd);
    Object.assign(result, {
      scenario: o.scenario,
      clients: o.clients,
      workers: workers.length,
      gateways: name === 'tocsin' ? o.gateways : target.servers.length,
      connections: {
        attempted: sum((r) => r.attempted), established, ready: sum((r) => r.ready), failed: sum((r) => r.failed),
        failReasons, droppedDuringRun: sum((r) => r.closedEarly), closeCodes,
        seconds: (lastEstablished - firstAttempt) / 1000,
        ratePerSecond: established / Math.max(0.001, (lastEstablished - firstAttempt) / 1000),
        tokenSigningMs: Math.max(...results.map((r) => r.tokenMs)),
        serverCpuMs: cpuConnect1 - cpuConnect0,
        jitMs: jitConnect,
        serverCpuMsPerConnection: established ? (cpuConnect1 - cpuConnect0) / established : null,
        jitMsPerConnection: established ? Object.values(jitConnect).reduce((a, v) => a + (v ?? 0), 0) / established : null,
        wallSeconds: (connectEnd - connectStart) / 1000,
        serverOpenFiles: openFiles,
      },
      alerts: { published: o.alerts, warmup: o.warmup, warmupRounds, rate: o.rate, publishFailures: publisher?.failures ?? 0, restStatuses: publisher?.statuses ?? null,
        publishSeconds: published ? (published.end - published.start) / 1000 : null,
        restMs: publisher?.restMs?.length ? {
          p50: percentile(Float64Array.from(publisher.restMs).sort(), 50),
          p99: percentile(Float64Array.from(publisher.restMs).sort(), 99),
        } : null },
      deliveries: {
        expected, received: deliveries, perSecond: deliverySpan ? deliveries / deliverySpan : null, spanSeconds: deliverySpan,
        missing: sum((r) => r.missing), duplicates: sum((r) => r.dupes), unexpected: sum((r) => r.unexpected),
        clientsWithMissing: sum((r) => r.clientsMissing), clientsWithDuplicates: sum((r) => r.clientsDupes),
        maxMissingPerClient: Math.max(0, ...results.map((r) => r.maxMissing)), gaps: sum((r) => r.gaps),
        errors: sum((r) => r.errors), errorCodes, staleFrames: sum((r) => r.stale),
        latencySamples: all.length, latencySeen: sum((r) => r.sampleSeen),
      },
      gatewayCreatedToWrittenMeanMs: createdToWrittenMs,
      stages,
      latencyMs: all.length ? {
        p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), p999: percentile(all, 99.9),
        max: all[all.length - 1], min: all[0],
      } : null,
      memory: {
        rssBefore: mem0.rss, rssAfter: mem1.rss, heapBefore: mem0.heap, heapAfter: mem1.heap, gcForced: o.gc,
        // after a connection warm-up the servers still hold the pages its connections touched, so the difference
        // says nothing per connection (the heap, read after a full GC, still does)
        rssPerConnection: established && !result.connectionWarmUp ? (mem1.rss - mem0.rss) / established : null,
        heapPerConnection: established && mem1.heap !== null && mem0.heap !== null ? (mem1.heap - mem0.heap) / established : null,
      },
      cpu: {
        phaseSeconds,
        serverMs: serverPhaseMs,
        serverPercentOfOneCore: (serverPhaseMs / 10) / phaseSeconds,
        serverMsPer1000Deliveries: deliveries ? (serverPhaseMs / deliveries) * 1000 : null,
        serverTotalMs: storm ? null : cpuPhase1 - cpu0, // a storm's victim is out of the phase's figures
        infraMs: deltas(infra0, infra1),
        jitMs: jitPhase,
        toolMs: toolPhaseMs,
        toolPercentOfOneCore: (toolPhaseMs / 10) / phaseSeconds,
        toolTotalMs,
      },
      loadAfter: loadAverage(),
      ok: sum((r) => r.missing) === 0 && sum((r) => r.dupes) === 0 && sum((r) => r.failed) === 0
        && sum((r) => r.unexpected) === 0 && (publisher?.failures ?? 0) === 0
        && (result.connectionWarmUp?.failed ?? 0) === 0
        && (!storm || (result.storm.moved >= result.storm.movedExpected && result.storm.neverBack === 0)),
    });
    return result;
  } finally {
    for (const w of workers) w.send({ type: 'close' });
    await Promise.all(workers.map((w) => Promise.race([w.exited, sleep(5000)])));
    publisher?.close();
    await target.stop();
  }
}

/**
 * A storm's figures from the workers' per-client times: how long after the kill the moved clients were connected
 * again (greeting / connect reply) and resumed (sync_response / recovering subscribe reply), their attempts and
 * refusals, and the survivors' CPU from the kill until the poll that saw every moved client back.
 */
function stormResult(storm, results, cpuEnd, phaseEnd) {
  const since = (key) => {
    const all = [];
    for (const r of results) for (const t of r.storm[key]) if (!Number.isNaN(t)) all.push(t - storm.killAt);
    return Float64Array.from(all).sort();
  };
  const dist = (a) => (a.length ? { p50: percentile(a, 50), p99: percentile(a, 99), max: a[a.length - 1] } : null);
  const sumOf = (f) => results.reduce((a, r) => a + f(r.storm), 0);
  const merge = (key) => {
    const out = {};
    for (const r of results) for (const [k, v] of Object.entries(r.storm[key])) out[k] = (out[k] || 0) + v;
    return out;
  };
  const moved = sumOf((s) => s.moved);
  const back = sumOf((s) => s.back);
  const allBackSeconds = storm.allBackPolledAt === null ? null : (storm.allBackPolledAt - storm.killAt) / 1000;
  return {
    victim: storm.victim, killAt: storm.killAt,
    movedExpected: sumOf((s) => s.movedExpected), moved, back, neverBack: moved - back,
    reconnectedMs: dist(since('backAt')), resumedMs: dist(since('caughtUpAt')),
    attempts: sumOf((s) => s.attempts), failedAttempts: sumOf((s) => s.failures), failReasons: merge('failReasons'),
    recovered: sumOf((s) => s.recovered), notRecovered: sumOf((s) => s.notRecovered), notRecoveredReasons: merge('notRecoveredReasons'),
    droppedAgain: merge('droppedAgain'), syncRetries: sumOf((s) => s.syncRetries || 0),
    survivorCpuToAllBackMs: storm.cpuAllBack === null ? null : storm.cpuAllBack - storm.cpuKill,
    survivorPercentOfOneCoreToAllBack: storm.cpuAllBack === null ? null : (storm.cpuAllBack - storm.cpuKill) / 10 / allBackSeconds,
    allBackPolledSeconds: allBackSeconds,
    survivorCpuAfterKillMs: cpuEnd - storm.cpuKill, afterKillSeconds: (phaseEnd - storm.killAt) / 1000,
  };
}

// ---------------------------------------------------------------- table

const f0 = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1));
const f2 = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(2));
const mib = (b) => (b === null || b === undefined ? '—' : (b / 1048576).toFixed(1));
const kib = (b) => (b === null || b === undefined ? '—' : (b / 1024).toFixed(2));

function table(results, o) {
  const rows = [
    ['servers', (r) => `${r.servers.length}`],
    ['load avg before (1/5/15 min)', (r) => r.loadBefore?.map((x) => x.toFixed(1)).join('/')],
    ['connections ok / failed', (r) => `${f0(r.connections.established)} / ${f0(r.connections.failed)}`],
    ['connect rate (conn/s)', (r) => f0(r.connections.ratePerSecond)],
    ['dropped during run', (r) => f0(r.connections.droppedDuringRun)],
  ];
  if (o.scenario !== 'idle') {
    rows.push(
      ['alerts (rate/s, 0 = burst)', (r) => `${r.alerts.published} (${r.alerts.rate})`],
      ['deliveries received / expected', (r) => `${f0(r.deliveries.received)} / ${f0(r.deliveries.expected)}`],
      ['deliveries/s', (r) => f0(r.deliveries.perSecond)],
      ['latency p50 ms', (r) => f1(r.latencyMs?.p50)],
      ['latency p90 ms', (r) => f1(r.latencyMs?.p90)],
      ['latency p99 ms', (r) => f1(r.latencyMs?.p99)],
      ['latency p99.9 ms', (r) => f1(r.latencyMs?.p999)],
      ['latency max ms', (r) => f1(r.latencyMs?.max)],
      ['missing (clients) / duplicates', (r) => `${f0(r.deliveries.missing)} (${f0(r.deliveries.clientsWithMissing)}) / ${f0(r.deliveries.duplicates)}`],
      ['gap notices', (r) => f0(r.deliveries.gaps)],
    );
  }
  if (o.scenario === 'storm') {
    const ms = (d, k) => (d ? f0(d[k]) : '—');
    rows.push(
      ['storm: killed', (r) => r.storm.victim],
      ['storm: clients moved / expected / never back', (r) => `${f0(r.storm.moved)} / ${f0(r.storm.movedExpected)} / ${f0(r.storm.neverBack)}`],
      ['storm: kill → reconnected ms p50/p99/max', (r) => `${ms(r.storm.reconnectedMs, 'p50')} / ${ms(r.storm.reconnectedMs, 'p99')} / ${ms(r.storm.reconnectedMs, 'max')}`],
      ['storm: kill → resumed ms p50/p99/max', (r) => `${ms(r.storm.resumedMs, 'p50')} / ${ms(r.storm.resumedMs, 'p99')} / ${ms(r.storm.resumedMs, 'max')}`],
      ['storm: resumes recovered / not', (r) => `${f0(r.storm.recovered)} / ${f0(r.storm.notRecovered)}`],
      ['storm: reconnect attempts / failed', (r) => `${f0(r.storm.attempts)} / ${f0(r.storm.failedAttempts)}`],
      ['storm: survivor CPU kill → all back s (% of a core)', (r) => `${f2((r.storm.survivorCpuToAllBackMs ?? NaN) / 1000)} (${f0(r.storm.survivorPercentOfOneCoreToAllBack)}%)`],
      ['storm: survivor CPU kill → end s (over s)', (r) => `${f2(r.storm.survivorCpuAfterKillMs / 1000)} (${f1(r.storm.afterKillSeconds)})`],
    );
  }
  if (o.scenario === 'e2e') {
    rows.push(
      ['gateway: createdAt → socket write, mean ms', (r) => f1(r.gatewayCreatedToWrittenMeanMs)],
      ['alert-ingest / mongo CPU in phase ms', (r) => `${f0(r.cpu.infraMs['alert-ingest'])} / ${f0(r.cpu.infraMs.mongo)}`],
    );
  }
  rows.push(
    ['server RSS before → after MiB', (r) => `${mib(r.memory.rssBefore)} → ${mib(r.memory.rssAfter)}`],
    ['server RSS per connection KiB', (r) => kib(r.memory.rssPerConnection)],
    ['server heap before → after MiB', (r) => `${mib(r.memory.heapBefore)} → ${mib(r.memory.heapAfter)}`],
    ['server heap per connection KiB', (r) => kib(r.memory.heapPerConnection)],
    ['warm-up connections opened and closed', (r) => (r.connectionWarmUp ? f0(r.connectionWarmUp.ready) : '—')],
    ['server CPU while connecting s', (r) => f2(r.connections.serverCpuMs / 1000)],
    ['server CPU per connection ms (of it JIT)',
      (r) => `${f2(r.connections.serverCpuMsPerConnection)} (${f2(r.connections.jitMsPerConnection)})`],
    [`server CPU ${o.scenario === 'idle' ? 'idle' : 'publish+drain'} s (% of a core)`, (r) => `${f2(r.cpu.serverMs / 1000)} (${f0(r.cpu.serverPercentOfOneCore)}%)`],
    ['server CPU ms per 1000 deliveries', (r) => f2(r.cpu.serverMsPer1000Deliveries)],
    ['redis CPU in phase ms', (r) => f0(r.cpu.infraMs.redis)],
    ['JIT compiler CPU in phase ms', (r) => (Object.keys(r.cpu.jitMs).length
      ? Object.entries(r.cpu.jitMs).map(([k, v]) => `${k} ${f0(v)}`).join(', ') : '—')],
    ['tool CPU in phase s (% of a core)', (r) => `${f2(r.cpu.toolMs / 1000)} (${f0(r.cpu.toolPercentOfOneCore)}%)`],
    ['tool CPU total s', (r) => f2(r.cpu.toolTotalMs / 1000)],
    ['result', (r) => (r.ok ? 'OK' : 'FAIL')],
  );
  const header = ['metric', ...results.map((r) => r.target)];
  const body = rows.map(([label, fn]) => [label, ...results.map((r) => { try { return fn(r) ?? '—'; } catch { return '—'; } })]);
  const lines = [header, ...body];
  const widths = header.map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  const fmt = (l) => `| ${l.map((x, c) => String(x).padEnd(widths[c])).join(' | ')} |`;
  const out = [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(fmt)];

  const tocsin = results.find((r) => r.target === 'tocsin');
  const peers = results.filter((r) => !r.target.startsWith('tocsin')); // the smoke's 'tocsin e2e' is no peer
  if (tocsin && peers.length) {
    const ratio = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
    const rr = [['Tocsin ÷ peer', ...peers.map((p) => p.target)]];
    if (o.scenario !== 'idle') {
      rr.push(['deliveries/s (higher is better)', ...peers.map((p) => ratio(tocsin.deliveries.perSecond, p.deliveries.perSecond))]);
      rr.push(['latency p50 (lower is better)', ...peers.map((p) => ratio(tocsin.latencyMs?.p50, p.latencyMs?.p50))]);
      rr.push(['latency p99 (lower is better)', ...peers.map((p) => ratio(tocsin.latencyMs?.p99, p.latencyMs?.p99))]);
      rr.push(['server CPU per delivery (lower)', ...peers.map((p) => ratio(tocsin.cpu.serverMsPer1000Deliveries, p.cpu.serverMsPer1000Deliveries))]);
    }
    if (o.scenario === 'storm') {
      rr.push(['storm: kill → all reconnected (lower)', ...peers.map((p) => ratio(tocsin.storm.reconnectedMs?.max, p.storm.reconnectedMs?.max))]);
      rr.push(['storm: kill → all resumed (lower)', ...peers.map((p) => ratio(tocsin.storm.resumedMs?.max, p.storm.resumedMs?.max))]);
      rr.push(['storm: survivor CPU to all back (lower)', ...peers.map((p) => ratio(tocsin.storm.survivorCpuToAllBackMs, p.storm.survivorCpuToAllBackMs))]);
    }
    rr.push(['RSS per connection (lower)', ...peers.map((p) => ratio(tocsin.memory.rssPerConnection, p.memory.rssPerConnection))]);
    rr.push(['connect rate (higher)', ...peers.map((p) => ratio(tocsin.connections.ratePerSecond, p.connections.ratePerSecond))]);
    const w2 = rr[0].map((_, c) => Math.max(...rr.map((l) => String(l[c]).length)));
    const fmt2 = (l) => `| ${l.map((x, c) => String(x).padEnd(w2[c])).join(' | ')} |`;
    out.push('', fmt2(rr[0]), `|${w2.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rr.slice(1).map(fmt2));
  }
  return out.join('\n');
}

/**
 * The smoke run's end-to-end part: a few alerts through alert-ingest, MongoDB and the gateway. Counts only: every
 * alert delivered once (as in every run) and every stage histogram counted at least the alerts of the phase
 * (the gateway's write stage: at least one frame).
 */
async function smokeE2e(o, keys) {
  const e2e = { ...o, scenario: 'e2e', targets: ['tocsin'], clients: 20, users: 20, workers: 1, alerts: 10, rate: 20, warmup: 0 };
  e2e.duration = e2e.alerts / e2e.rate;
  try {
    const r = await runTarget('tocsin', e2e, keys);
    r.target = 'tocsin e2e';
    const counted = Object.fromEntries((r.stages ?? []).map((st) => [st.stage, st.count]));
    // Per-frame stages count written frames (non-critical alerts may share one); the others count every alert.
    const perFrame = ['gateway fanout_write', 'gateway created_write'];
    const short = STAGE_ORDER.filter((stage) => !((counted[stage] ?? 0) >= (perFrame.includes(stage) ? 1 : e2e.alerts)));
    r.stageCheck = { counted, short };
    if (short.length) {
      console.error(`[tocsin e2e] stage histograms that did not count the phase's ${e2e.alerts} alerts: ${short.join(', ')}`);
      r.ok = false;
    }
    return r;
  } catch (e) {
    console.error(`[tocsin e2e] failed: ${e.stack || e.message}`);
    return { target: 'tocsin e2e', error: e.message, ok: false };
  }
}

/**
 * Where the time went, per stage, over the measured phase (the services' histograms), with the client-side figures
 * beside them: the REST call as the tool timed it, the whole path to the client, and the tool's own CPU share (at
 * high rates the tool needs most of the cores, which the client-side figures then include).
 */
function stageTable(r) {
  const rows = [['stage (measured phase)', 'samples', 'mean ms', 'p50 ms', 'p99 ms']];
  for (const s of r.stages) rows.push([s.stage, f0(s.count), f1(s.meanMs), f1(s.p50Ms), f1(s.p99Ms)]);
  if (r.alerts?.restMs) rows.push(['client: REST POST (tool)', f0(r.alerts.published), '—', f1(r.alerts.restMs.p50), f1(r.alerts.restMs.p99)]);
  if (r.latencyMs) rows.push(['client: sentAt → receipt (tool)', f0(r.deliveries.latencySamples), '—', f1(r.latencyMs.p50), f1(r.latencyMs.p99)]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((l) => String(l[c]).length)));
  const fmt = (l) => `| ${l.map((x, c) => String(x).padEnd(widths[c])).join(' | ')} |`;
  return [`${r.target}: stages (histogram buckets, interpolated; cross-process stages use wall clocks)`, fmt(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(fmt),
    `tool CPU in the phase: ${f2(r.cpu.toolMs / 1000)} s (${f0(r.cpu.toolPercentOfOneCore)} % of a core); `
    + `load average before ${r.loadBefore?.map((x) => x.toFixed(1)).join('/')}, after ${r.loadAfter?.map((x) => x.toFixed(1)).join('/')}`,
  ].join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  fs.mkdirSync(o.workDir, { recursive: true });
  o.runId = Math.random().toString(36).slice(2, 8);
  const keys = generateKeys(o.workDir);
  const started = Date.now();
  console.error(`tocsin-bench run ${o.runId}: ${o.scenario}, ${o.clients} clients, ${o.alerts} alerts at ${o.rate || 'burst'}${o.rate ? '/s' : ''}, `
    + `targets ${o.targets.join(', ')}, ${o.workers} worker(s), ${os.cpus().length} cores; logs in ${o.workDir}`);
  const passes = [o];
  const stormTargets = o.targets.filter((t) => t === 'tocsin' || t === 'centrifuge');
  if (o.smoke && stormTargets.length) {
    // the smoke run's second pass: a small storm, counts only
    passes.push(finishOptions({
      ...o, scenario: 'storm', targets: stormTargets, clients: 100, alerts: null, rate: null, duration: 6, killAfter: 2,
      warmup: null, users: null, workers: null, drain: 20000,
      // two rounds of warm-up connections (with the probe loop), as the warm storm runs of docs/benchmarks.md do
      warmupConnections: 100, warmupSettle: 0, warmupRounds: 2,
    }));
  }
  const all = [];
  let failed = false;
  for (const pass of passes) {
    const results = [];
    for (const t of pass.targets) {
      try {
        results.push(await runTarget(t, pass, keys));
      } catch (e) {
        failed = true;
        console.error(`[${t}] failed: ${e.stack || e.message}`);
        results.push({ target: t, scenario: pass.scenario, error: e.message, ok: false });
      }
    }
    printResults(pass, results);
    all.push(...results);
  }
  if (o.smoke && e2eBuilt()) {
    const r = await smokeE2e(o, keys);
    if (r.error) failed = true;
    printResults({ ...o, scenario: 'e2e', clients: 20, alerts: 10, rate: 20, workers: 1 }, [r]);
    all.push(r);
  }
  const summary = {
    runId: o.runId, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000,
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`, host: { cores: os.cpus().length, node: process.version },
    options: { ...o, gatewayProps: o.gatewayProps }, results: all,
  };
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(summary, null, 2));
  fs.writeFileSync(path.join(o.workDir, 'result.json'), JSON.stringify(summary, null, 2));
  const ok = !failed && all.every((r) => r.ok);
  console.log(`\n${ok ? 'OK' : 'FAILED'}: ${all.map((r) => `${r.target}${passes.length > 1 ? ` ${r.scenario}` : ''} ${r.ok ? 'ok' : 'FAIL'}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exitCode = ok ? 0 : 1;
}

/** One scenario's table and notes. */
function printResults(o, results) {
  const good = results.filter((r) => !r.error);
  const scenarioLine = `${o.scenario}: ${o.clients} clients, ${o.alerts} alerts${o.scenario === 'idle' ? `, ${o.duration} s idle` : ` at ${o.rate || 'burst'}${o.rate ? '/s' : ''}`}, ${o.workers} client worker(s)`;
  console.log(`\n${scenarioLine}\n`);
  if (good.length) console.log(table(good, o));
  for (const r of good.filter((x) => x.stages?.some((st) => st.count > 0))) console.log(`\n${stageTable(r)}`);
  for (const r of results.filter((x) => x.error)) console.log(`${r.target}: ERROR ${r.error}`);
  for (const r of good) {
    const notes = [];
    if (Object.keys(r.connections.failReasons).length) notes.push(`connect failures ${JSON.stringify(r.connections.failReasons)}`);
    if (Object.keys(r.connections.closeCodes).length) notes.push(`closed during run ${JSON.stringify(r.connections.closeCodes)}`);
    if (Object.keys(r.deliveries?.errorCodes ?? {}).length) notes.push(`error frames ${JSON.stringify(r.deliveries.errorCodes)}`);
    if (r.deliveries?.unexpected) notes.push(`${r.deliveries.unexpected} alerts outside the client's filter`);
    if (r.alerts?.publishFailures) notes.push(`${r.alerts.publishFailures} publish failures ${JSON.stringify(r.alerts.restStatuses)}`);
    if (r.storm && Object.keys(r.storm.failReasons).length) notes.push(`storm: failed reconnect attempts ${JSON.stringify(r.storm.failReasons)}`);
    if (r.storm?.syncRetries) notes.push(`storm: syncs asked again on the same connection after 'unavailable' ${r.storm.syncRetries}`);
    if (r.storm && Object.keys(r.storm.droppedAgain).length) notes.push(`storm: resumed connections closed again ${JSON.stringify(r.storm.droppedAgain)}`);
    if (r.storm && Object.keys(r.storm.notRecoveredReasons).length) notes.push(`storm: not recovered ${JSON.stringify(r.storm.notRecoveredReasons)}`);
    if (r.alerts?.restMs) notes.push(`REST POST p50 ${f1(r.alerts.restMs.p50)} ms, p99 ${f1(r.alerts.restMs.p99)} ms`);
    if (notes.length) console.log(`${r.target}: ${notes.join('; ')}`);
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { killAllChildren(); process.exit(130); });
}
process.on('exit', killAllChildren);
main().catch((e) => { console.error(e); killAllChildren(); process.exit(1); });

// Starting and stopping what is measured: Redis, Tocsin (packaged gateway jars, plus alert-ingest and the
// embedded MongoDB for e2e) and the peers. Every server listens on 127.0.0.1 only and is stopped at the end.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort, startChild, stopChild, waitHttp, waitPort, heapUsedBytes } from './proc.mjs';
import { ISSUER } from './jwt.mjs';

export const BENCH_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const REPO = path.resolve(BENCH_DIR, '..');

export const TARGETS = ['tocsin', 'ws', 'socketio', 'vertx', 'centrifuge'];

/** Peers that are built before a run: what they are built into, and how. */
const PEER_BUILDS = {
  vertx: { path: 'peers/vertx/target/vertx-broadcast.jar', how: 'mvn -q -f bench/peers/vertx/pom.xml package' },
  centrifuge: { path: 'peers/centrifuge/target/centrifuge-broadcast', how: 'bench/peers/centrifuge/build.sh' },
};

/** A module's packaged Quarkus app and its launcher jar. */
function quarkusApp(module) {
  const dir = path.join(REPO, module, 'target/quarkus-app');
  return { dir, jar: path.join(dir, 'quarkus-run.jar') };
}

/** Whether a target can run here: Tocsin's gateway and the built peers must have been built. */
export function targetBuilt(name) {
  if (name === 'tocsin') return fs.existsSync(quarkusApp('alert-gateway').jar);
  const build = PEER_BUILDS[name];
  return !build || fs.existsSync(path.join(BENCH_DIR, build.path));
}

/** Whether the e2e scenario can run: alert-gateway and alert-ingest packaged, local-infra's jar built. */
export function e2eBuilt() {
  return targetBuilt('tocsin') && fs.existsSync(quarkusApp('alert-ingest').jar)
    && fs.existsSync(path.join(REPO, 'local-infra/target/local-infra.jar'));
}

function peerBuild(name) {
  const built = path.join(BENCH_DIR, PEER_BUILDS[name].path);
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: build it with ${PEER_BUILDS[name].how}`);
  return built;
}

/** Starts `count` servers of one peer, each on a free port, and waits for each one's GET /health. */
async function startPeerServers(target, children, opts, count, serverFor) {
  for (let s = 0; s < count; s++) {
    const port = await freePort();
    const { command, args, url, jvm = false, startMs = 30000 } = serverFor(s, port);
    const name = `${target.name}-${s}`;
    const child = startChild(name, command, args, `${opts.workDir}/${name}.log`);
    children.push(child);
    await waitHttp(`http://127.0.0.1:${port}/health`, child, startMs);
    target.servers.push({ name, pid: child.pid, jvm });
    target.urls.push(url);
  }
}

export async function startRedis(workDir, name) {
  const port = await freePort();
  const child = startChild(`redis-${name}`, 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxclients', '1000'],
    `${workDir}/redis-${name}.log`);
  await waitPort(port);
  return { port, uri: `redis://127.0.0.1:${port}`, child, pid: child.pid };
}

/**
 * Copies a module's packaged app aside, so a build another process runs meanwhile cannot change the jars
 * under a running server. Returns the copy's quarkus-run.jar and the original's build time.
 */
export function snapshotApp(module, workDir) {
  const { dir: src, jar } = quarkusApp(module);
  if (!fs.existsSync(jar)) {
    throw new Error(`${jar} is missing: build it first with ./mvnw -DskipTests package`);
  }
  const dest = path.join(workDir, 'apps', module);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
  const appJar = fs.readdirSync(path.join(src, 'app')).find((f) => f.endsWith('.jar'));
  const builtAt = appJar ? fs.statSync(path.join(src, 'app', appJar)).mtime.toISOString() : null;
  return { jar: path.join(dest, 'quarkus-run.jar'), builtAt };
}

/**
 * The gateway's class-data-sharing archive, made the way its container image makes it (Dockerfile.jvm): one start of
 * the copied app with -Dtocsin.cds-training=true (the gateway exits once started) under -XX:ArchiveClassesAtExit, with
 * the jar named exactly as the servers will name it (the JVM refuses the archive for another path). The servers then
 * start with -XX:SharedArchiveFile. Returns the archive's path.
 */
export function appCdsArchive(app) {
  const archive = path.join(path.dirname(app.jar), 'app-cds.jsa');
  // Quarkus' own (quarkus.package.jar.appcds) was made for target/quarkus-app, not for this copy.
  fs.rmSync(archive, { force: true });
  execFileSync('java', [`-XX:ArchiveClassesAtExit=${archive}`, '-Dtocsin.cds-training=true',
    '-Dtocsin.gateway.warmup.operations=0', '-Dquarkus.http.port=0', '-jar', app.jar],
    { cwd: path.dirname(app.jar), stdio: 'ignore', timeout: 180000 });
  return archive;
}

function jvmArgs(opts, name) {
  const args = [`-Xmx${opts.xmx}`, `-Xms${opts.xms ?? '256m'}`];
  if (opts.jfr && name.startsWith(opts.jfr)) {
    args.push(`-XX:StartFlightRecording=filename=${opts.workDir}/${name}.jfr,settings=profile,dumponexit=true`);
  }
  if (name.startsWith('alert-')) { // Tocsin's own services: the gateways and, in e2e, alert-ingest
    for (const arg of opts.jvmArgs ?? []) args.push(arg.replaceAll('{name}', name));
  }
  return args;
}

async function startQuarkus(module, app, port, props, opts, name) {
  const args = [...jvmArgs(opts, name), `-Dquarkus.http.port=${port}`, '-Dquarkus.http.host=127.0.0.1'];
  for (const [k, v] of Object.entries(props)) args.push(`-D${k}=${v}`);
  if (app.cds) args.push(`-XX:SharedArchiveFile=${app.cds}`);
  args.push('-jar', app.jar);
  const child = startChild(name, 'java', args, `${opts.workDir}/${name}.log`);
  await waitHttp(`http://127.0.0.1:${port}/q/health/ready`, child, 120000);
  return child;
}

/** Starts the embedded MongoDB wire-protocol server of local-infra (single-file Java program, no build). */
async function startMongo(opts) {
  const jar = path.join(REPO, 'local-infra/target/local-infra.jar');
  if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: build local-infra first`);
  const dest = path.join(opts.workDir, 'apps', 'local-infra');
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(jar, path.join(dest, 'local-infra.jar'));
  fs.cpSync(path.join(REPO, 'local-infra/target/lib'), path.join(dest, 'lib'), { recursive: true });
  const port = await freePort();
  const child = startChild('mongo', 'java',
    ['-Xmx1g', '-cp', `${dest}/local-infra.jar:${dest}/lib/*`, path.join(BENCH_DIR, 'infra/BenchMongo.java'), String(port), String(opts.oplogSeconds ?? 10)],
    `${opts.workDir}/mongo.log`);
  await waitPort(port, 60000);
  return { port, uri: `mongodb://127.0.0.1:${port}`, child };
}

/**
 * Starts one target. Returns { name, kind, urls, servers: [{name, pid, metricsUrl?, jvm}], infra: [...],
 * ingestUrl?, builtAt?, stop() }.
 */
export async function startTarget(name, opts) {
  const redis = await startRedis(opts.workDir, name);
  const infra = [{ name: 'redis', pid: redis.pid }];
  const children = [redis.child];
  const servers = [];
  const target = { name, kind: name, redis, infra, servers, urls: [] };
  const stop = async () => {
    for (const c of children.slice().reverse()) await stopChild(c);
  };
  target.stop = stop;
  try {
    if (name === 'tocsin') {
      const gatewayApp = snapshotApp('alert-gateway', opts.workDir);
      target.builtAt = { 'alert-gateway': gatewayApp.builtAt };
      if (opts.appcds) gatewayApp.cds = appCdsArchive(gatewayApp);
      target.appcds = Boolean(gatewayApp.cds);
      const common = {
        'quarkus.redis.hosts': redis.uri,
        'mp.jwt.verify.publickey.location': `file://${opts.keys.publicPath}`,
        'mp.jwt.verify.issuer': ISSUER,
        'quarkus.log.category."dev.tocsin".level': 'INFO',
      };
      if (opts.scenario === 'e2e') {
        const ingestApp = snapshotApp('alert-ingest', opts.workDir);
        target.builtAt['alert-ingest'] = ingestApp.builtAt;
        const mongo = await startMongo(opts);
        children.push(mongo.child);
        infra.push({ name: 'mongo', pid: mongo.child.pid });
        const ingestPort = await freePort();
        const ingest = await startQuarkus('alert-ingest', ingestApp, ingestPort, {
          // The service's own change-stream settings: the embedded server answers an empty poll at once, and the
          // tailer's rest between polls (idle-poll-interval, 50 ms) ends when alert-ingest writes an alert, as a
          // replica set's waiting poll would. (Until 2026-12-04 the tool set max-await=5ms: a poll every 5 ms.)
          ...common, 'quarkus.mongodb.connection-string': mongo.uri,
        }, opts, 'alert-ingest');
        children.push(ingest);
        infra.push({ name: 'alert-ingest', pid: ingest.pid, jvm: true, metricsUrl: `http://127.0.0.1:${ingestPort}/q/metrics` });
        target.ingestUrl = `http://127.0.0.1:${ingestPort}`;
      }
      for (let g = 0; g < opts.gateways; g++) {
        const port = await freePort();
        const props = { ...common, 'tocsin.gateway.instance-id': `bench-gw${g}` };
        if (opts.users < opts.clients) {
          props['tocsin.gateway.max-connections-per-user'] = String(Math.ceil(opts.clients / opts.users) + 5);
        }
        if (target.ingestUrl) props['tocsin.gateway.ingest-url'] = target.ingestUrl;
        for (const kv of opts.gatewayProps) {
          const eq = kv.indexOf('=');
          props[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        const child = await startQuarkus('alert-gateway', gatewayApp, port, props, opts, `alert-gateway-${g}`);
        children.push(child);
        servers.push({ name: `gateway-${g}`, pid: child.pid, jvm: true, metricsUrl: `http://127.0.0.1:${port}/q/metrics` });
        target.urls.push(`ws://127.0.0.1:${port}/ws/alerts`);
      }
    } else if (name === 'ws') {
      await startPeerServers(target, children, opts, opts.peerServers ?? 1, (s, port) => ({
        command: process.execPath, args: [path.join(BENCH_DIR, 'peers/ws-server.mjs'), String(port), redis.uri],
        url: `ws://127.0.0.1:${port}/`,
      }));
    } else if (name === 'socketio') {
      await startPeerServers(target, children, opts, opts.socketioServers ?? 2, (s, port) => ({
        command: process.execPath,
        args: [path.join(BENCH_DIR, 'peers/socketio-server.mjs'), String(port), redis.uri, String(s)],
        url: `http://127.0.0.1:${port}`,
      }));
    } else if (name === 'vertx') {
      const jar = peerBuild('vertx');
      await startPeerServers(target, children, opts, opts.peerServers ?? 1, (s, port) => ({
        command: 'java', args: [...jvmArgs(opts, `vertx-${s}`), '-jar', jar, String(port), redis.uri],
        url: `ws://127.0.0.1:${port}/`, jvm: true, startMs: 60000,
      }));
    } else if (name === 'centrifuge') {
      const binary = peerBuild('centrifuge');
      // Every connect carries the run's RS256 token, verified by the peer as the gateway does (equal JWT work).
      const auth = ['-jwt-public-key', opts.keys.publicPath, '-jwt-issuer', ISSUER];
      if (opts.scenario === 'storm') {
        // Two instances on the library's Redis broker (channel history, recovery from a client's offset), and a
        // third process that only forwards tocsin:events into it, as alert-ingest publishes for the gateways:
        // either instance can be killed and the other holds everything a moved client needs.
        const port = await freePort();
        const forwarder = startChild('centrifuge-forwarder', binary,
          [...auth, '-broker', 'redis', String(port), redis.uri], `${opts.workDir}/centrifuge-forwarder.log`);
        children.push(forwarder);
        await waitHttp(`http://127.0.0.1:${port}/health`, forwarder, 30000);
        infra.push({ name: 'forwarder', pid: forwarder.pid });
      }
      const broker = opts.scenario === 'storm' ? ['-broker', 'redis', '-forward=false'] : [];
      await startPeerServers(target, children, opts, opts.peerServers ?? (opts.scenario === 'storm' ? 2 : 1), (s, port) => ({
        command: binary, args: [...auth, ...broker, String(port), redis.uri], url: `ws://127.0.0.1:${port}/`,
      }));
    } else {
      throw new Error(`unknown target ${name}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return target;
}

/** Heap in use: Micrometer's jvm_memory_used_bytes{area="heap"} where served, else jcmd GC.heap_info. */
export async function serverHeap(server) {
  if (!server.jvm) return null;
  if (server.metricsUrl) return heapUsedBytes(server.metricsUrl);
  try {
    const out = execFileSync('jcmd', [String(server.pid), 'GC.heap_info'], { timeout: 30000 }).toString();
    const m = /total \d+K, used (\d+)K/.exec(out);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

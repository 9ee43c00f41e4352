// Process plumbing: free ports, child processes with log files (all stopped on exit), readiness waits and
// /proc readings (RSS, CPU time) of the servers under test.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const children = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a child with stdout/stderr appended to logFile; it is stopped when the tool exits. */
export function startChild(name, command, args, logFile, options = {}) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], ...options });
  fs.closeSync(out);
  child.benchName = name;
  child.logFile = logFile;
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child, graceMs = 15000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function killAllChildren() {
  for (const child of children) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

export function logTail(file, lines = 30) {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    return all.slice(-lines).join('\n');
  } catch (e) {
    return `(no log: ${e.message})`;
  }
}

/** Polls url until it answers 2xx, failing early when the child dies; bounded by timeoutMs. */
export async function waitHttp(url, child, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${child.benchName} exited (${child.exitCode ?? child.signalCode}):\n${logTail(child.logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms${child ? `:\n${logTail(child.logFile)}` : ''}`);
}

export async function waitPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`port ${port} not listening after ${timeoutMs} ms`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** User+system CPU time in ms from the text of a /proc stat file (fields 14 and 15, after the command name). */
function statCpuMs(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** User+system CPU time of a process in ms (/proc/<pid>/stat), or null when gone. */
export function procCpuMs(pid) {
  try {
    return statCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Resident set size in bytes (/proc/<pid>/status VmRSS), or null when gone. */
export function procRssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function procOpenFiles(pid) {
  try { return fs.readdirSync(`/proc/${pid}/fd`).length; } catch { return null; }
}

/**
 * CPU time in ms of a JVM's JIT compiler threads (/proc/<pid>/task/*: comm "C1 CompilerThre…", "C2 CompilerThre…"),
 * or null when the process is gone. A compiler thread that exited took its time with it; on two cores the JVM
 * runs one of each and keeps them, so nothing is lost there.
 */
export function jitCpuMs(pid) {
  let tasks;
  try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { return null; }
  let sum = 0;
  for (const tid of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (/^C[12] CompilerThre/.test(comm)) sum += statCpuMs(stat);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return sum;
}

/**
 * The samples of a Prometheus endpoint (/q/metrics) as { name, line, value } (line: the whole sample line, for
 * label checks), or null when the endpoint does not answer.
 */
export async function metricSamples(metricsUrl) {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    const samples = [];
    for (const line of (await res.text()).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const end = line.search(/[{ ]/);
      samples.push({ name: end < 0 ? line : line.slice(0, end), line, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
    }
    return samples;
  } catch {
    return null;
  }
}

/**
 * Sums of Prometheus samples keyed by the metric's name (labels ignored, samples of one name added up), for the
 * names asked; {} when the endpoint does not answer.
 */
export async function metricSums(metricsUrl, names) {
  const wanted = new Set(names);
  const out = {};
  for (const s of (await metricSamples(metricsUrl)) ?? []) {
    if (wanted.has(s.name)) out[s.name] = (out[s.name] ?? 0) + s.value;
  }
  return out;
}

/** Sum of jvm_memory_used_bytes{area="heap"} from a Prometheus endpoint, or null. */
export async function heapUsedBytes(metricsUrl) {
  const heap = ((await metricSamples(metricsUrl)) ?? [])
    .filter((s) => s.name === 'jvm_memory_used_bytes' && s.line.includes('area="heap"'));
  return heap.length ? heap.reduce((a, s) => a + s.value, 0) : null;
}

/** Asks a JVM for a full GC (jcmd), so heap readings before and after connecting compare live data. */
export function jvmGc(pid) {
  try {
    execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore', timeout: 30000 });
    return true;
  } catch {
    return false;
  }
}

/** The 1-minute load average, reported with every run because the machine is shared. */
export function loadAverage() {
  try { return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number); } catch { return null; }
}

// Publishing alerts: straight into Redis the way alert-ingest's Lua script does (gateway-only scenarios), or
// through alert-ingest's REST API (end to end). Alerts go out at a fixed rate (or all at once: a burst).
import Redis from 'ioredis';
import { eventBody, restBody, nowMs } from './alerts.mjs';

// Same contract as alert-ingest's publish-event.lua: INCR the sequence, one epoch, XADD the history with id
// <seq>-0 and field `event`, PUBLISH the same text. The body arrives without epoch and seq, starting with '{'.
const SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2], 'NX')
local epoch = redis.call('GET', KEYS[2])
local seqText = string.format('%d', seq)
local event = '{"epoch":' .. cjson.encode(epoch) .. ',"seq":' .. seqText .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', '100000', seqText .. '-0', 'seq', seqText, 'event', event)
redis.call('PUBLISH', KEYS[4], event)
return seq`;

export class RedisPublisher {
  constructor(uri, runId) {
    this.redis = new Redis(uri);
    this.redis.defineCommand('tocsinPublish', { numberOfKeys: 4, lua: SCRIPT });
    this.epoch = `bench-${runId}`;
    this.runId = runId;
    this.failures = 0;
  }

  publish(i, scenario) {
    return this.redis.tocsinPublish('tocsin:seq', 'tocsin:epoch', 'tocsin:history', 'tocsin:events',
      eventBody(i, this.runId, scenario), this.epoch).catch(() => { this.failures++; });
  }

  close() { this.redis.disconnect(); }
}

export class RestPublisher {
  constructor(baseUrl, token, runId) {
    this.url = `${baseUrl}/api/v1/alerts`;
    this.token = token;
    this.runId = runId;
    this.failures = 0;
    this.statuses = {};
    this.restMs = [];
  }

  async publish(i, scenario) {
    const t0 = nowMs();
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(restBody(i, this.runId, scenario)),
        signal: AbortSignal.timeout(10000),
      });
      this.statuses[res.status] = (this.statuses[res.status] || 0) + 1;
      await res.arrayBuffer();
      if (res.status >= 300) this.failures++;
    } catch (e) {
      this.failures++;
      this.statuses[e.name] = (this.statuses[e.name] || 0) + 1;
    }
    this.restMs.push(nowMs() - t0);
  }

  close() {}
}

/** Publishes alerts 0..count-1 at `rate` per second (0: all at once); resolves when every publish settled. */
export async function publishAll(publisher, count, rate, scenario, onTick, first = 0) {
  const pending = [];
  const start = nowMs();
  if (rate <= 0) {
    for (let i = first; i < first + count; i++) pending.push(publisher.publish(i, scenario));
  } else {
    for (let i = first; i < first + count; i++) {
      const due = start + ((i - first) * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(publisher.publish(i, scenario));
      if (onTick && i % Math.max(1, Math.round(rate)) === 0) onTick(i);
    }
  }
  await Promise.all(pending);
  return { start, end: nowMs() };
}

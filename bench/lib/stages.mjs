// Where an alert's time goes, end to end: the services' stage histograms (alert-ingest's
// tocsin_ingest_stage_latency_seconds, the gateways' tocsin_gateway_stage_latency_seconds, one series per `stage`
// label), read from /q/metrics before and after the measured phase. The differences of the cumulative buckets are
// the phase's samples; p50/p99 are interpolated linearly inside the bucket that holds them (Prometheus's
// histogram_quantile does the same). Gateways' histograms are added up.
import { metricSamples } from './proc.mjs';

const HISTOGRAMS = [
  { service: 'ingest', name: 'tocsin_ingest_stage_latency_seconds' },
  { service: 'gateway', name: 'tocsin_gateway_stage_latency_seconds' },
];

/** The stages in the order an alert passes them; stages a run does not report are left out of the table. */
export const STAGE_ORDER = ['ingest rest_insert', 'ingest insert_publish', 'ingest receive_publish',
  'gateway redis_receive', 'gateway fanout_write', 'gateway created_write'];

function label(line, key) {
  const m = line.match(new RegExp(`[{,]${key}="([^"]*)"`));
  return m ? m[1] : null;
}

/**
 * The stage histograms of the target's services now: { 'ingest rest_insert': { count, sum, buckets: {le: n} } }.
 * `urls` are { service, url } pairs; a service that does not answer contributes nothing.
 */
export async function readStages(urls) {
  const out = {};
  for (const { service, url } of urls) {
    const histogram = HISTOGRAMS.find((h) => h.service === service);
    for (const s of (await metricSamples(url)) ?? []) {
      if (!s.name.startsWith(histogram.name)) continue;
      const stage = label(s.line, 'stage');
      if (!stage) continue;
      const h = (out[`${service} ${stage}`] ??= { count: 0, sum: 0, buckets: {} });
      if (s.name === `${histogram.name}_count`) h.count += s.value;
      else if (s.name === `${histogram.name}_sum`) h.sum += s.value;
      else if (s.name === `${histogram.name}_bucket`) {
        const le = label(s.line, 'le');
        h.buckets[le] = (h.buckets[le] ?? 0) + s.value;
      }
    }
  }
  return out;
}

/** The value below which a fraction q of the samples lie, in ms, from cumulative buckets (seconds) of `count` samples. */
export function quantileMs(buckets, count, q) {
  if (!(count > 0)) return null;
  const bounds = Object.keys(buckets).map((le) => ({ le: le === '+Inf' ? Infinity : Number(le), n: buckets[le] }))
    .sort((a, b) => a.le - b.le);
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const { le, n } of bounds) {
    if (n >= rank && n > below) {
      if (le === Infinity) return lower * 1000; // beyond the last bound: at least that
      return (lower + ((rank - below) / (n - below)) * (le - lower)) * 1000;
    }
    lower = le;
    below = n;
  }
  return null;
}

/** The phase's stage table: per stage, samples, mean, p50, p99 (ms), from the histograms before and after. */
export function stageDeltas(before, after) {
  const rows = [];
  const names = Object.keys(after ?? {}).sort((a, b) => {
    const ia = STAGE_ORDER.indexOf(a);
    const ib = STAGE_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  for (const stage of names) {
    const a = after[stage];
    const b = before?.[stage] ?? { count: 0, sum: 0, buckets: {} };
    const count = a.count - b.count;
    const buckets = Object.fromEntries(Object.entries(a.buckets).map(([le, n]) => [le, n - (b.buckets[le] ?? 0)]));
    rows.push({
      stage, count,
      meanMs: count > 0 ? ((a.sum - b.sum) / count) * 1000 : null,
      p50Ms: quantileMs(buckets, count, 0.5),
      p99Ms: quantileMs(buckets, count, 0.99),
    });
  }
  return rows;
}

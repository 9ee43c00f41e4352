// The alerts a run publishes and the filters its clients hold, both derived from the alert's index and the
// client's index alone, so every worker knows which alerts each of its clients must receive without being told.

export const PRIORITIES = ['critical', 'high', 'medium', 'low', 'info'];
export const TYPES = ['outbreak_risk', 'flood_risk', 'plant_alarm', 'power_outage'];
export const REGIONS = ['eu-west', 'eu-north', 'us-east', 'us-west', 'ap-south', 'af-north'];

/** Small deterministic hash (splitmix-like) so alert and filter choices need no shared random state. */
function mix(n) {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The shape of alert i. Broadcast and e2e alerts are critical (sent at once, never batched: the fan-out path
 * itself is measured); filtered alerts vary priority, type, region and risk.
 */
export function alertShape(i, scenario) {
  if (scenario !== 'filtered') {
    return { priority: 'critical', type: 'outbreak_risk', region: 'eu-west', riskScore: 0.9 };
  }
  const h = mix(i + 1);
  return {
    priority: PRIORITIES[h % PRIORITIES.length],
    type: TYPES[(h >>> 4) % TYPES.length],
    region: REGIONS[(h >>> 8) % REGIONS.length],
    riskScore: ((h >>> 12) % 100) / 100,
  };
}

/** The filter client c sends with update_filters in the filtered scenario (null: no filter, gets everything). */
export function filterFor(c) {
  const h = mix(c * 7919 + 17);
  switch (h % 5) {
    case 0: return null;
    case 1: return { priorities: ['critical', 'high'] };
    case 2: return { regions: [REGIONS[(h >>> 4) % REGIONS.length], REGIONS[(h >>> 8) % REGIONS.length]] };
    case 3: return { types: [TYPES[(h >>> 4) % TYPES.length]], minRiskScore: 0.3 };
    default: return { priorities: ['critical', 'high', 'medium'], regions: REGIONS.slice(0, 3) };
  }
}

/** Mirror of the gateway's AlertFilter: every present field must pass. */
export function matches(shape, filter) {
  if (!filter) return true;
  if (filter.priorities && !filter.priorities.includes(shape.priority)) return false;
  if (filter.types && !filter.types.includes(shape.type)) return false;
  if (filter.regions && !filter.regions.includes(shape.region)) return false;
  if (filter.minRiskScore != null && !(shape.riskScore >= filter.minRiskScore)) return false;
  return true;
}

/** Wall-clock time in ms with sub-ms resolution; the same formula in every process of the run. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

/** The body of POST /api/v1/alerts for alert i. */
export function restBody(i, runId, scenario) {
  const s = alertShape(i, scenario);
  return {
    priority: s.priority,
    type: s.type,
    title: `Bench alert ${i}`,
    message: `Benchmark alert ${i} of run ${runId}`,
    source: 'tocsin-bench',
    location: { lat: 48.85, lon: 2.35, region: s.region },
    riskScore: s.riskScore,
    audience: { everyone: true },
    metadata: { bench: runId, i, sentAt: Math.round(nowMs() * 100) / 100 },
  };
}

/**
 * The AlertEvent alert-ingest would publish for alert i (without epoch and seq, which the publishing script
 * splices in front), as a JSON string starting with '{'.
 */
export function eventBody(i, runId, scenario) {
  const s = alertShape(i, scenario);
  const sentAt = Math.round(nowMs() * 100) / 100;
  const iso = new Date(Math.floor(sentAt)).toISOString();
  const id = `bench${runId}a${i}`;
  const alert = {
    id,
    priority: s.priority,
    type: s.type,
    title: `Bench alert ${i}`,
    message: `Benchmark alert ${i} of run ${runId}`,
    source: 'tocsin-bench',
    location: { lat: 48.85, lon: 2.35, region: s.region },
    riskScore: s.riskScore,
    createdAt: iso,
    updatedAt: iso,
    audience: { everyone: true, users: [], groups: [] },
    metadata: { bench: runId, i, sentAt },
    status: 'active',
  };
  return JSON.stringify({ op: 'created', alertId: id, alert, changeId: `bench-${runId}-${i}`, publishedAt: iso });
}

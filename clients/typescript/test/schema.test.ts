// Keeps protocol.ts and docs/schema/websocket in step: a typed example of every frame must compile against the TS
// type and validate against the schema; the minimal example holds exactly the schema's required fields (so the TS
// type requires no more and no less), the full one names every property the schema names (so the TS type declares
// them all: an object literal with a field the type lacks does not compile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLIENT_FRAME_TYPES, ERROR_CODES, PRIORITIES, SERVER_FRAME_TYPES, type Alert, type AlertFilters, type ClientFrame,
  type ServerFrame,
} from '../src/protocol.js';
import { dispatcherTypes, schemaErrors, schemaFileTypes, schemas, type JsonSchema } from './support/schemas.js';

type ExamplesOf<F extends { type: string }> = { [K in F['type']]: { minimal: Extract<F, { type: K }>[]; full: Extract<F, { type: K }>[] } };

const T = '2026-11-23T10:15:30.123Z';
const fullAlert: Alert = {
  id: '65f0a1', priority: 'critical', type: 'outbreak_risk', title: 'Flood risk', message: 'River above 5 m',
  source: 'sensor-7', location: { lat: 48.1, lon: 11.5, region: 'DE-BY' }, riskScore: 0.75, confidence: 0.5,
  affectedPopulation: 1200, actionRequired: true, actionUrl: 'https://example.org/a', expiresAt: T, createdAt: T,
  updatedAt: T, audience: { everyone: false, users: ['vera'], groups: ['oncall-eu'] }, metadata: { gauge: 'R-17' },
  status: 'active', acknowledged: true, acknowledgedBy: 'vera', acknowledgedAt: T, clearedBy: 'olga', clearedAt: T,
  resolvedBy: 'otto', resolvedAt: T, resolution: 'pump fixed',
  lastChange: 'acknowledged', escalationGroup: 'oncall-eu', version: 3,
  assignee: { kind: 'group', id: 'oncall-eu' }, assignedBy: 'olga', assignedAt: T, noteCount: 2,
};
const note = { id: '6750a1', author: 'vera', at: T, text: 'on my way' };
const minimalAlert: Alert = {
  id: '65f0a2', type: 'system_health', title: 't', message: 'm', source: 's', actionRequired: false, createdAt: T,
  audience: { everyone: true, users: [], groups: [] }, version: 1,
};
const fullFilters: AlertFilters = {
  priorities: ['critical', 'high'], types: ['outbreak_risk'], regions: ['DE-BY'],
  area: { bbox: { minLat: 1, minLon: 2, maxLat: 3, maxLon: 4 } }, minRiskScore: 0.5, empty: false,
};
const limits = { maxFrameBytes: 1, messagesPerMinute: 60, maxConnectionsPerUser: 5, batchWindowMs: 100, maxBatchSize: 50,
  outboundQueueSize: 1000 };
const event = { epoch: 'c0ffee', seq: 42, op: 'created' as const, alertId: '65f0a2', version: 1, alert: minimalAlert };

const server: ExamplesOf<ServerFrame> = {
  connection_established: {
    minimal: [{ type: 'connection_established', v: 1, connectionId: 'c1', user: 'vera', serverTime: T,
      heartbeatIntervalMs: 30000, limits, seq: 0, cursor: '0' }],
    full: [{ type: 'connection_established', v: 1, connectionId: 'c1', user: 'vera', serverTime: T,
      heartbeatIntervalMs: 30000, limits, epoch: 'c0ffee', seq: 41, cursor: '41' }],
  },
  alert: {
    minimal: [{ type: 'alert', v: 1, ...event }],
    full: [{ type: 'alert', v: 1, ...event, alert: fullAlert, alertId: fullAlert.id, version: 3, cursor: '41;critical=43' }],
  },
  alert_batch: {
    minimal: [{ type: 'alert_batch', v: 1, epoch: 'c0ffee', alerts: [event] }],
    full: [{ type: 'alert_batch', v: 1, epoch: 'c0ffee', alerts: [event, { ...event, seq: 43 }], cursor: '43' }],
  },
  alert_update: {
    minimal: [{ type: 'alert_update', v: 1, epoch: 'c0ffee', seq: 44, alertId: 'a', status: 'deleted' }],
    full: [{ type: 'alert_update', v: 1, epoch: 'c0ffee', seq: 44, alertId: fullAlert.id, status: 'cleared', version: 4,
      alert: { ...fullAlert, status: 'cleared', version: 4 }, cursor: '44' }],
  },
  alert_ack: {
    minimal: [{ type: 'alert_ack', v: 1, epoch: 'c0ffee', seq: 45, alertId: 'a', acknowledgedBy: 'vera', acknowledgedAt: T,
      version: 2 }],
    full: [{ type: 'alert_ack', v: 1, epoch: 'c0ffee', seq: 45, alertId: 'a', acknowledgedBy: 'vera', acknowledgedAt: T,
      version: 2, cursor: '45' }],
  },
  ack_result: {
    minimal: [{ type: 'ack_result', v: 1, alertId: 'a', acknowledgedBy: 'vera', acknowledgedAt: T, already: false, version: 2 }],
    full: [{ type: 'ack_result', v: 1, ref: 'r1', alertId: 'a', acknowledgedBy: 'vera', acknowledgedAt: T, already: true,
      version: 2 }],
  },
  alert_note: {
    minimal: [{ type: 'alert_note', v: 1, epoch: 'c0ffee', seq: 46, alertId: 'a', note, noteCount: 1 }],
    full: [{ type: 'alert_note', v: 1, epoch: 'c0ffee', seq: 46, alertId: 'a', note, noteCount: 2, cursor: '46' }],
  },
  action_result: {
    minimal: [{ type: 'action_result', v: 1, action: 'assign', alertId: fullAlert.id, version: 3, alert: minimalAlert }],
    full: [{ type: 'action_result', v: 1, ref: 'r3', action: 'resolve', alertId: fullAlert.id, version: 4,
      alert: fullAlert }],
  },
  note_result: {
    minimal: [{ type: 'note_result', v: 1, alertId: 'a', note }],
    full: [{ type: 'note_result', v: 1, ref: 'r4', alertId: 'a', note }],
  },
  clear_result: {
    minimal: [{ type: 'clear_result', v: 1, cleared: 0 }],
    full: [{ type: 'clear_result', v: 1, ref: 'r2', cleared: 3 }],
  },
  subscription_response: {
    minimal: [{ type: 'subscription_response', v: 1, groups: [] }],
    full: [{ type: 'subscription_response', v: 1, ref: 'r3', groups: ['direct', 'everyone'], filters: fullFilters }],
  },
  ping: {
    minimal: [{ type: 'ping', v: 1, serverTime: T }],
    full: [{ type: 'ping', v: 1, serverTime: T, epoch: 'c0ffee', cursor: '45' }],
  },
  pong: {
    minimal: [{ type: 'pong', v: 1, serverTime: T }],
    full: [{ type: 'pong', v: 1, ref: 'r4', serverTime: T }],
  },
  rate_limit_warning: {
    minimal: [{ type: 'rate_limit_warning', v: 1, limit: 60, retryAfterMs: 1000, violations: 1 }],
    full: [{ type: 'rate_limit_warning', v: 1, ref: 'r5', limit: 60, retryAfterMs: 1000, violations: 1 }],
  },
  connection_stats: {
    minimal: [{ type: 'connection_stats', v: 1, received: 1, sent: 2, dropped: 0,
      latencyMs: { avg: 1.5, max: 3, samples: 2 }, connectedAt: T }],
    full: [{ type: 'connection_stats', v: 1, ref: 'r6', received: 1, sent: 2, dropped: 0,
      latencyMs: { avg: 1.5, max: 3, samples: 2 }, connectedAt: T }],
  },
  gap: {
    minimal: [{ type: 'gap', v: 1, fromSeq: -1, toSeq: -1, dropped: 2, reason: 'slow_consumer' }],
    full: [{ type: 'gap', v: 1, fromSeq: 10, toSeq: 12, dropped: 3, reason: 'history_trimmed', epoch: 'c0ffee', cursor: '12' }],
  },
  sync_response: {
    minimal: [{ type: 'sync_response', v: 1, recovered: true, fromSeq: 1, toSeq: 2, count: 1 },
      { type: 'sync_response', v: 1, recovered: false, reason: 'epoch_changed', seq: 7 }],
    full: [{ type: 'sync_response', v: 1, ref: 'r7', recovered: true, epoch: 'c0ffee', fromSeq: 1, toSeq: 2, count: 1,
      seq: 2, cursor: '2' },
    { type: 'sync_response', v: 1, ref: 'r8', recovered: false, epoch: 'beef', reason: 'history_trimmed', seq: 7,
      cursor: '7', fromSeq: 0, toSeq: 0, count: 0 }],
  },
  inbox: {
    minimal: [{ type: 'inbox', v: 1, delivered: 3, dropped: 1 }],
    full: [{ type: 'inbox', v: 1, delivered: 3, dropped: 0 }],
  },
  error: {
    minimal: [{ type: 'error', v: 1, code: 'unknown_alert', message: 'no such alert' }],
    full: [{ type: 'error', v: 1, code: 'forbidden', message: 'no', ref: 'r9' }],
  },
};

const client: ExamplesOf<ClientFrame> = {
  ping: { minimal: [{ type: 'ping' }], full: [{ type: 'ping', id: 'r1' }] },
  pong: { minimal: [{ type: 'pong' }], full: [{ type: 'pong', id: 'r2' }] },
  subscribe: { minimal: [{ type: 'subscribe', groups: ['ops'] }], full: [{ type: 'subscribe', id: 'r3', groups: ['ops'] }] },
  unsubscribe: { minimal: [{ type: 'unsubscribe', groups: ['ops'] }],
    full: [{ type: 'unsubscribe', id: 'r4', groups: ['ops', 'direct'] }] },
  update_filters: { minimal: [{ type: 'update_filters' }],
    full: [{ type: 'update_filters', id: 'r5', filters: fullFilters }, { type: 'update_filters', id: 'r6', filters: null },
      { type: 'update_filters', filters: { area: { circle: { lat: 1, lon: 2, radiusKm: 5 } } } }] },
  ack: { minimal: [{ type: 'ack', alertId: '65f0a1' }], full: [{ type: 'ack', id: 'r7', alertId: '65f0a1' }] },
  resolve: { minimal: [{ type: 'resolve', alertId: '65f0a1' }],
    full: [{ type: 'resolve', id: 'r8', alertId: '65f0a1', note: 'pump fixed' }] },
  unack: { minimal: [{ type: 'unack', alertId: '65f0a1' }], full: [{ type: 'unack', id: 'r9', alertId: '65f0a1' }] },
  assign: { minimal: [{ type: 'assign', alertId: '65f0a1' }],
    full: [{ type: 'assign', id: 'r10', alertId: '65f0a1', user: 'vera' },
      { type: 'assign', id: 'r11', alertId: '65f0a1', group: 'oncall-eu' }] },
  note: { minimal: [{ type: 'note', alertId: '65f0a1', text: 'x' }],
    full: [{ type: 'note', id: 'r11', alertId: '65f0a1', text: 'on my way' }] },
  clear: { minimal: [{ type: 'clear', olderThan: T }],
    full: [{ type: 'clear', id: 'r8', priorities: ['low'], types: ['data_quality'], olderThan: T },
      { type: 'clear', id: 'r9', ids: ['65f0c0ffee0000000000abcd', '65f0c0ffee0000000000abce'] }] },
  get_stats: { minimal: [{ type: 'get_stats' }], full: [{ type: 'get_stats', id: 'r9' }] },
  sync: { minimal: [{ type: 'sync', since: 0 }],
    full: [{ type: 'sync', id: 'r10', since: '41;critical=43', epoch: 'c0ffee', lastSyncTimestamp: T,
      priorities: ['critical'], includeAcknowledged: true, maxCount: 100 }, { type: 'sync', since: 42, epoch: 'c0ffee' }] },
};

/** The required fields and property names of a per-type schema, following its top-level `$ref` (alert → newAlert). */
function shape(file: string): { required: Set<string>; properties: Set<string> } {
  const schema = schemas.get(file) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const properties = new Set(Object.keys(schema.properties ?? {}));
  if (schema.$ref === '#/$defs/newAlert') {
    const inner = schema.$defs?.newAlert as JsonSchema;
    for (const r of inner.required ?? []) required.add(r);
    for (const p of Object.keys(inner.properties ?? {})) properties.add(p);
  }
  return { required, properties };
}

for (const [direction, examples] of [['server', server], ['client', client]] as const) {
  test(`the ${direction} frame types equal the schema files and the dispatcher's enum`, () => {
    const ours = [...(direction === 'server' ? SERVER_FRAME_TYPES : CLIENT_FRAME_TYPES)].sort();
    assert.deepEqual(ours, schemaFileTypes(direction));
    assert.deepEqual(ours, dispatcherTypes(direction));
    assert.deepEqual(Object.keys(examples).sort(), ours);
  });

  for (const [type, { minimal, full }] of Object.entries(examples) as [string, { minimal: object[]; full: object[] }][]) {
    test(`${direction} ${type}: typed examples are valid, minimal = required fields, full names every property`, () => {
      const file = `${direction}/${type}.json`;
      for (const example of [...minimal, ...full]) {
        assert.equal(schemaErrors(file, example), undefined, JSON.stringify(example));
        assert.equal(schemaErrors(`${direction}-message.json`, example), undefined);
      }
      const { required, properties } = shape(file);
      for (const example of minimal) {
        const keys = Object.keys(example).filter((k) => k !== 'v' || required.has('v'));
        // Schemas with conditional requirements (if/then, anyOf) ask for more than `required` lists.
        const schema = schemas.get(file) as JsonSchema;
        const conditional = schema.if || schema.anyOf ? keys.filter((k) => !required.has(k)) : [];
        assert.deepEqual(keys.filter((k) => !conditional.includes(k)).sort(), [...required].sort());
      }
      const named = new Set(full.flatMap((e) => Object.keys(e)));
      assert.deepEqual([...properties].filter((p) => !named.has(p)), [], 'schema properties missing from the full example');
      // A field of the wrong type is refused, so the examples are not passing by accident.
      for (const example of full) {
        const broken = { ...example, type: direction === 'server' ? 'alert_update' : 'ack', v: 1 } as object;
        assert.notEqual(schemaErrors(`${direction}-message.json`, { ...broken, alertId: 5 }), undefined);
      }
    });
  }
}

test('Alert and filters: the full examples name every property of alert.json and filters.json', () => {
  assert.equal(schemaErrors('alert.json', fullAlert), undefined);
  assert.equal(schemaErrors('alert.json', minimalAlert), undefined);
  assert.equal(schemaErrors('filters.json', fullFilters), undefined);
  const alertSchema = schemas.get('alert.json') as JsonSchema;
  assert.deepEqual(Object.keys(alertSchema.properties ?? {}).filter((p) => !(p in fullAlert)), []);
  const requiredAlert = [...(alertSchema.required ?? [])];
  // priority is optional in the schema (an unreadable stored value is passed on as absent); so it is in Alert.
  assert.deepEqual(Object.keys(minimalAlert).sort(), requiredAlert.sort());
  const filterSchema = schemas.get('filters.json') as JsonSchema;
  assert.deepEqual(Object.keys(filterSchema.properties ?? {}).filter((p) => !(p in fullFilters)), []);
});

test('the enums match definitions.json', () => {
  const defs = (schemas.get('definitions.json') as JsonSchema).$defs as Record<string, { enum?: string[] }>;
  assert.deepEqual([...ERROR_CODES], defs.errorCode?.enum);
  assert.deepEqual([...PRIORITIES], defs.priority?.enum);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, type AlertStoreChange } from '../src/store.js';
import { Reload } from '../src/reload.js';
import { ackFrame, alert, alertFrame, deleted, update } from './support/frames.js';

function recording(store: AlertStore): AlertStoreChange[] {
  const changes: AlertStoreChange[] = [];
  store.subscribe((c) => changes.push(c));
  return changes;
}

test('a new alert is added; a higher version replaces it; a tie or an older copy is ignored', () => {
  const store = new AlertStore();
  const changes = recording(store);
  store.apply(alertFrame('e', 1, alert('a', { version: 1, title: 'v1' })));
  store.apply(update('e', 2, alert('a', { version: 3, title: 'v3' }), 'updated'));
  store.apply(update('e', 3, alert('a', { version: 3, title: 'tie' }), 'updated'));
  store.apply(update('e', 4, alert('a', { version: 2, title: 'stale' }), 'updated'));
  assert.equal(store.get('a')?.alert.title, 'v3');
  assert.equal(store.get('a')?.version, 3);
  assert.deepEqual(changes.map((c) => c.kind), ['added', 'updated']);
});

test('alert_update of an alert the store does not hold (filtered out) is ignored', () => {
  const store = new AlertStore();
  store.apply(update('e', 1, alert('f', { version: 2 }), 'updated'));
  assert.equal(store.size, 0);
});

test('alert_ack sets acknowledged when its version is higher, and ignores alerts the store does not hold', () => {
  const store = new AlertStore();
  store.apply(alertFrame('e', 1, alert('a')));
  store.apply(ackFrame('e', 2, 'a', 1, 'stale'));
  assert.equal(store.get('a')?.status, 'active');
  store.apply(ackFrame('e', 3, 'a', 2, 'olga'));
  assert.deepEqual({ ...store.get('a'), alert: undefined }, { id: 'a', alert: undefined, version: 2, status: 'acknowledged',
    acknowledgedBy: 'olga', acknowledgedAt: '2026-11-23T10:16:00Z' });
  store.apply(ackFrame('e', 4, 'nope', 5));
  assert.equal(store.get('nope'), undefined);
  assert.deepEqual(store.list({ includeAcknowledged: false }), []);
  assert.equal(store.list().length, 1);
});

test('cleared, expired and deleted remove; an older copy arriving later does not bring it back', () => {
  const store = new AlertStore();
  const changes = recording(store);
  for (const id of ['a', 'b', 'c']) store.apply(alertFrame('e', id.charCodeAt(0), alert(id)));
  store.apply(update('e', 10, alert('a', { version: 2, status: 'cleared' }), 'cleared'));
  store.apply(update('e', 11, alert('b', { version: 2, status: 'expired' }), 'expired'));
  store.apply(deleted('e', 12, 'c'));
  assert.equal(store.size, 0);
  assert.deepEqual(changes.filter((c) => c.kind === 'removed'),
    [{ kind: 'removed', id: 'a', status: 'cleared' }, { kind: 'removed', id: 'b', status: 'expired' },
      { kind: 'removed', id: 'c', status: 'deleted' }]);
  store.apply(alertFrame('e', 1, alert('a')));
  store.apply(ackFrame('e', 13, 'c', 9));
  store.apply(update('e', 14, alert('c', { version: 9 }), 'updated'));
  assert.equal(store.size, 0, 'stale or post-delete frames stay removed');
  store.apply(update('e', 15, alert('a', { version: 3 }), 'updated'));
  assert.equal(store.get('a'), undefined, 'an update of an alert the store does not hold is ignored');
});

test('list: priority first (critical … info, none = medium), then newest createdAt', () => {
  const store = new AlertStore();
  const mk = (id: string, priority: 'critical' | 'high' | 'low' | 'info' | undefined, createdAt: string) => {
    const a = alert(id, { createdAt });
    if (priority) a.priority = priority; else delete a.priority;
    store.apply(alertFrame('e', id.charCodeAt(0), a));
  };
  mk('a', 'low', '2026-01-01T00:00:00Z');
  mk('b', 'critical', '2026-01-01T00:00:00Z');
  mk('c', 'critical', '2026-01-02T00:00:00Z');
  mk('d', undefined, '2026-01-03T00:00:00Z');
  mk('e', 'info', '2026-01-09T00:00:00Z');
  mk('f', 'high', '2026-01-01T00:00:00Z');
  assert.deepEqual(store.list().map((e) => e.id), ['c', 'b', 'f', 'd', 'a', 'e']);
});

test('first load: REST alerts are the base, buffered frames apply over them by version', () => {
  const store = new AlertStore();
  store.apply(alertFrame('e', 1, alert('old'))); // held before the load: replaced by the REST answer
  const changes = recording(store);
  const reload = new Reload('first_load', store);
  reload.hold(alertFrame('e', 5, alert('a', { version: 1, title: 'stale' }))); // REST already has v2
  reload.hold(ackFrame('e', 6, 'b', 2)); // newer than REST's b v1
  reload.hold(update('e', 7, alert('c', { version: 4, status: 'cleared' }), 'cleared'));
  reload.hold(alertFrame('e', 8, alert('d'))); // created after the REST read
  assert.equal(store.get('a'), undefined, 'nothing applied while buffering');
  reload.complete([alert('a', { version: 2, title: 'rest' }), alert('b'), alert('c', { version: 3 })]);
  assert.deepEqual(store.list().map((e) => [e.id, e.version, e.status]).sort(),
    [['a', 2, 'active'], ['b', 2, 'acknowledged'], ['d', 1, 'active']]);
  assert.equal(store.get('a')?.alert.title, 'rest');
  assert.equal(store.get('old'), undefined);
  assert.deepEqual(changes[0], { kind: 'reset' });
});

test('REST alerts that are cleared or expired are not shown', () => {
  const store = new AlertStore();
  store.replaceAll([alert('a', { status: 'cleared', version: 2 }), alert('b')]);
  assert.deepEqual(store.list().map((e) => e.id), ['b']);
  store.apply(alertFrame('e', 1, alert('a')));
  assert.equal(store.get('a'), undefined);
});

test('an abandoned reload applies its buffer on the old base', () => {
  const store = new AlertStore();
  store.apply(alertFrame('e', 1, alert('a')));
  const reload = new Reload('gap', store);
  reload.hold(alertFrame('e', 2, alert('b')));
  reload.abandon();
  assert.deepEqual(store.list().map((e) => e.id).sort(), ['a', 'b']);
});

test('resolved removes like cleared; a retracted copy (an admin REST answer) counts as deleted', () => {
  const store = new AlertStore();
  const changes = recording(store);
  store.replaceAll([alert('a'), alert('r', { status: 'retracted' })]);
  assert.equal(store.get('r'), undefined, 'a retracted alert is never shown');
  store.apply(update('e', 10, alert('a', { version: 2, status: 'resolved', resolvedBy: 'otto' }), 'resolved'));
  assert.equal(store.size, 0);
  assert.deepEqual(changes.filter((c) => c.kind === 'removed'), [{ kind: 'removed', id: 'a', status: 'resolved' }]);
});

test('an un-acknowledgment (alert_update updated without acknowledgedBy) makes the entry active again', () => {
  const store = new AlertStore();
  store.apply(alertFrame('e', 1, alert('a')));
  store.apply(ackFrame('e', 2, 'a', 2, 'olga'));
  assert.equal(store.get('a')?.status, 'acknowledged');
  store.apply(update('e', 3, alert('a', { version: 3, lastChange: 'unacknowledged' }), 'updated'));
  assert.equal(store.get('a')?.status, 'active');
  assert.equal(store.get('a')?.acknowledgedBy, undefined);
});

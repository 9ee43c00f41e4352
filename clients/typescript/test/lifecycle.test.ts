import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionFailedError } from '../src/index.js';
import { AlertStore } from '../src/store.js';
import { flush } from './support/fake-clock.js';
import { actionResult, alert, alertFrame, noteFrame, update } from './support/frames.js';
import { acceptConnection, setup } from './support/harness.js';

test('resolve, unack and assign are queued while offline, sent after the sync, and resolve with the stored alert', async () => {
  const { client, gateway } = setup();
  const resolved = client.resolve('a1', 'pump fixed');
  const unacked = client.unack('a2');
  const assigned = client.assign('a3', { group: 'oncall-eu' });
  const unassigned = client.assign('a4', null);
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '5');
  const [resolve] = socket.sentOf('resolve');
  const [unack] = socket.sentOf('unack');
  const [assign, unassign] = socket.sentOf('assign');
  assert.deepEqual({ ...resolve, id: undefined }, { type: 'resolve', id: undefined, alertId: 'a1', note: 'pump fixed' });
  assert.deepEqual({ ...unack, id: undefined }, { type: 'unack', id: undefined, alertId: 'a2' });
  assert.deepEqual({ ...assign, id: undefined }, { type: 'assign', id: undefined, alertId: 'a3', group: 'oncall-eu' });
  assert.deepEqual({ ...unassign, id: undefined }, { type: 'assign', id: undefined, alertId: 'a4' },
    'neither user nor group: take the assignment back');
  socket.receive(actionResult(resolve!.id!, 'resolve', alert('a1', { status: 'resolved', version: 2 })));
  socket.receive(actionResult(unack!.id!, 'unack', alert('a2', { version: 3 })));
  socket.receive(actionResult(assign!.id!, 'assign',
    alert('a3', { version: 2, assignee: { kind: 'group', id: 'oncall-eu' } })));
  socket.receive(actionResult(unassign!.id!, 'assign', alert('a4', { version: 1 })));
  assert.equal((await resolved).alert.status, 'resolved');
  assert.equal((await unacked).version, 3);
  assert.deepEqual((await assigned).alert.assignee, { kind: 'group', id: 'oncall-eu' });
  assert.equal((await unassigned).alertId, 'a4');
});

test('an assign in flight when the connection drops is re-sent after the reconnect (idempotent)', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const assigned = client.assign('a1', { user: 'bob' });
  await flush();
  const first = gateway.last().sentOf('assign')[0]!;
  gateway.last().serverClose(1006);
  await clock.advance(1000);
  await acceptConnection(gateway.last(), 'e1', '5');
  assert.deepEqual(gateway.last().sentOf('assign'), [first]);
  gateway.last().receive(actionResult(first.id!, 'assign', alert('a1', { version: 2 })));
  assert.equal((await assigned).version, 2);
});

test('a note is sent only while connected, is not re-sent after a reconnect, and an error code rejects it', async () => {
  const { client, gateway, clock } = setup();
  await assert.rejects(client.addNote('a1', 'offline'), (e: unknown) => e instanceof Error);
  await assert.rejects(client.addNote('a1', '   '), (e: unknown) => e instanceof ActionFailedError
    && e.code === 'invalid_message');
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const noted = client.addNote('a1', 'on my way');
  await flush();
  const sent = gateway.last().sentOf('note')[0]!;
  assert.equal(sent.text, 'on my way');
  gateway.last().receive({ type: 'note_result', v: 1, ref: sent.id!, alertId: 'a1',
    note: { id: 'n1', author: 'vera', at: '2026-11-23T10:17:00Z', text: 'on my way' } });
  assert.equal((await noted).id, 'n1');

  const lost = client.addNote('a1', 'lost');
  await flush();
  gateway.last().serverClose(1006);
  await assert.rejects(lost);
  await clock.advance(1000);
  await acceptConnection(gateway.last(), 'e1', '5');
  assert.deepEqual(gateway.last().sentOf('note'), [], 'a note whose answer was lost is not sent twice');

  const full = client.addNote('a1', 'one more');
  await flush();
  const last = gateway.last().sentOf('note')[0]!;
  gateway.last().receive({ type: 'error', v: 1, code: 'conflict', message: 'full', ref: last.id! });
  await assert.rejects(full, (e: unknown) => e instanceof ActionFailedError && e.code === 'conflict');
});

test('alert_note raises the held alert\'s noteCount (the larger count wins), emits note once, keeps the version', async () => {
  const { client, gateway } = setup();
  const notes: string[] = [];
  client.on('note', (e) => notes.push(`${e.alertId}:${e.note.text}:${e.noteCount}`));
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '5');
  socket.receive(alertFrame('e1', 6, alert('a1', { version: 2, noteCount: 1 })));
  socket.receive(noteFrame('e1', 7, 'a1', 2));
  socket.receive(noteFrame('e1', 7, 'a1', 2));
  await flush();
  assert.deepEqual(notes, ['a1:on my way:2'], 'a duplicate (same seq) is dropped');
  assert.equal(client.alerts.get('a1')?.alert.noteCount, 2);
  assert.equal(client.alerts.get('a1')?.version, 2, 'a note does not change the version');
});

test('store: a note never lowers the count, ignores alerts not held, and an assignment replaces the alert', () => {
  const store = new AlertStore();
  store.apply(alertFrame('e', 1, alert('a', { version: 1, noteCount: 3 })));
  store.apply(noteFrame('e', 2, 'a', 2));
  assert.equal(store.get('a')?.alert.noteCount, 3);
  store.apply(noteFrame('e', 3, 'a', 4));
  assert.equal(store.get('a')?.alert.noteCount, 4);
  store.apply(noteFrame('e', 4, 'other', 1));
  assert.equal(store.get('other'), undefined);
  store.apply(update('e', 5, alert('a', { version: 2, noteCount: 4, lastChange: 'assigned',
    assignee: { kind: 'user', id: 'bob' }, assignedBy: 'olga' }), 'updated'));
  assert.deepEqual(store.get('a')?.alert.assignee, { kind: 'user', id: 'bob' });
  assert.equal(store.get('a')?.alert.noteCount, 4);
});

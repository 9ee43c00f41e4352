import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionFailedError, ActionTimeoutError, ClientStoppedError, MAX_CLEAR_IDS } from '../src/index.js';
import { flush } from './support/fake-clock.js';
import { ackResult } from './support/frames.js';
import { acceptConnection, setup } from './support/harness.js';

test('an ack made while offline is queued and sent once, after the sync, when the connection is live', async () => {
  const { client, gateway } = setup();
  const acked = client.ack('a1');
  void client.start();
  await flush();
  const socket = gateway.last();
  socket.open();
  await flush();
  assert.deepEqual(socket.sentOf('ack'), [], 'nothing before the greeting');
  await acceptConnection(socket, 'e1', '5');
  const acks = socket.sentOf('ack');
  assert.equal(acks.length, 1);
  assert.equal(socket.sent[0]?.type, 'sync', 'sync is the first message');
  assert.ok(socket.sent.indexOf(acks[0]!) > 0);
  socket.receive(ackResult(acks[0]!.id!, 'a1'));
  assert.deepEqual(await acked, { alertId: 'a1', acknowledgedBy: 'vera', acknowledgedAt: '2026-11-23T10:16:00Z',
    already: false, version: 2 });
  await flush();
  assert.equal(gateway.last().sentOf('ack').length, 1, 'sent once');
});

test('an ack in flight when the connection drops is re-sent after the reconnect, and resolves once', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const acked = client.ack('a1');
  await flush();
  const first = gateway.last().sentOf('ack')[0]!;
  gateway.last().serverClose(1006);
  await clock.advance(1000);
  assert.equal(gateway.sockets.length, 2);
  await acceptConnection(gateway.last(), 'e1', '5');
  const resent = gateway.last().sentOf('ack');
  assert.equal(resent.length, 1);
  assert.deepEqual(resent[0], first, 'the same request (ack is idempotent on the server)');
  gateway.last().receive(ackResult(first.id!, 'a1'));
  assert.equal((await acked).alertId, 'a1');
});

test('an ack sent and not answered within actionTimeoutMs rejects with ActionTimeoutError', async () => {
  const { client, gateway, clock } = setup({ actionTimeoutMs: 2000 });
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const acked = client.ack('a1');
  const outcome = acked.then(() => 'resolved', (e: unknown) => e);
  await clock.advance(1999);
  assert.equal(await Promise.race([outcome, Promise.resolve('pending')]), 'pending');
  await clock.advance(1);
  assert.ok((await outcome) instanceof ActionTimeoutError);
});

test('an offline ack does not time out while it waits for a connection', async () => {
  const { client, gateway, clock } = setup({ actionTimeoutMs: 1000 });
  const acked = client.ack('a1');
  void client.start();
  await flush();
  gateway.last().failHandshake();
  await clock.advance(5000);
  await acceptConnection(gateway.last(), 'e1', '1');
  const ack = gateway.last().sentOf('ack')[0]!;
  gateway.last().receive(ackResult(ack.id!, 'a1'));
  assert.equal((await acked).alertId, 'a1');
});

test('an error frame with the ack\'s ref rejects it with ActionFailedError carrying the code', async () => {
  const { client, gateway } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const acked = client.ack('a1');
  await flush();
  const ack = gateway.last().sentOf('ack')[0]!;
  gateway.last().receive({ type: 'error', v: 1, code: 'unknown_alert', message: 'no such alert', ref: ack.id! });
  await assert.rejects(acked, (e: unknown) => e instanceof ActionFailedError && e.code === 'unknown_alert');
});

test('clear resolves on clear_result; criteria are required; an invalid alert id is refused locally', async () => {
  const { client, gateway } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  await assert.rejects(client.clear({ priorities: [] }), ActionFailedError);
  await assert.rejects(client.ack('not an id!'), ActionFailedError);
  const cleared = client.clear({ priorities: ['low'], olderThan: '2026-11-23T10:00:00Z' });
  await flush();
  const clear = gateway.last().sentOf('clear')[0]!;
  assert.deepEqual({ ...clear, id: undefined }, { type: 'clear', id: undefined, priorities: ['low'],
    olderThan: '2026-11-23T10:00:00Z' });
  gateway.last().receive({ type: 'clear_result', v: 1, ref: clear.id!, cleared: 4 });
  assert.deepEqual(await cleared, { cleared: 4 });
});

test('clear by ids sends each id once; an empty, oversized or malformed ids list is refused locally', async () => {
  const { client, gateway } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const a = '65f0c0ffee0000000000abcd';
  const b = '65f0c0ffee0000000000abce';
  // an empty ids is not dropped (that would clear every low alert): it is refused
  await assert.rejects(client.clear({ ids: [], priorities: ['low'] }),
    (e: unknown) => e instanceof ActionFailedError && e.code === 'invalid_message');
  await assert.rejects(client.clear({ ids: [a, 'not-an-id'] }), /not an alert id: not-an-id/);
  const tooMany = Array.from({ length: MAX_CLEAR_IDS + 1 }, (_, i) => i.toString(16).padStart(24, '0'));
  await assert.rejects(client.clear({ ids: tooMany }), ActionFailedError);
  assert.deepEqual(gateway.last().sentOf('clear'), [], 'nothing refused locally was sent');

  const cleared = client.clear({ ids: [a, b, a] });
  await flush();
  const clear = gateway.last().sentOf('clear')[0]!;
  assert.deepEqual({ ...clear, id: undefined }, { type: 'clear', id: undefined, ids: [a, b] });
  gateway.last().receive({ type: 'clear_result', v: 1, ref: clear.id!, cleared: 2 });
  assert.deepEqual(await cleared, { cleared: 2 });
});

test('stop rejects queued and in-flight actions with ClientStoppedError', async () => {
  const { client, gateway, events } = setup();
  const queued = client.ack('q1');
  void client.start().catch(() => undefined);
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  const inFlight = client.ack('a2');
  await flush();
  client.stop();
  await assert.rejects(inFlight, ClientStoppedError);
  // q1 was sent on connect and is in flight too by now
  await assert.rejects(queued, ClientStoppedError);
  await assert.rejects(client.ack('a3'), ClientStoppedError);
  assert.equal(client.state, 'stopped');
  assert.deepEqual(events.stopped, [{}]);
  assert.equal(gateway.last().closedByClient?.code, 1000);
});

test('request ids are unique per client', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '5');
  void client.ack('a1');
  void client.ack('a2');
  await flush();
  gateway.last().serverClose(4002);
  await clock.advance(1000);
  await acceptConnection(gateway.last(), 'e1', '5');
  const ids = gateway.sockets.flatMap((s) => s.sent.filter((f) => f.type !== 'ack' || s === gateway.sockets[0])
    .map((f) => f.id));
  assert.equal(new Set(ids).size, ids.length, JSON.stringify(ids));
});

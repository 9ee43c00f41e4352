import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionFailedError } from '../src/index.js';
import { flush } from './support/fake-clock.js';
import { acceptConnection, setup } from './support/harness.js';

test('groups and filters changed at run time are re-applied after a reconnect', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  assert.deepEqual(await client.unsubscribe(['ops']), ['direct', 'everyone']);
  await client.setFilters({ types: ['outbreak_risk'] });
  assert.deepEqual(gateway.last().sentOf('update_filters').at(-1)?.filters, { types: ['outbreak_risk'] });
  gateway.last().serverClose(1001);
  await clock.advance(1000);
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '1');
  assert.deepEqual(socket.sent.map((f) => f.type), ['sync', 'update_filters', 'unsubscribe']);
  assert.deepEqual(socket.sentOf('update_filters')[0]?.filters, { types: ['outbreak_risk'] });
  assert.deepEqual(socket.sentOf('unsubscribe')[0]?.groups, ['ops']);
});

test('a refused subscribe rejects with the error code and is not re-applied', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '1');
  socket.autoSubscriptions = false;
  const subscribed = client.subscribe(['secret']);
  await flush();
  const request = socket.sentOf('subscribe')[0]!;
  socket.receive({ type: 'error', v: 1, code: 'forbidden', message: 'not your group', ref: request.id! });
  await assert.rejects(subscribed, (e: unknown) => e instanceof ActionFailedError && e.code === 'forbidden');
  socket.serverClose(1006);
  await clock.advance(1000);
  await acceptConnection(gateway.last(), 'e1', '1');
  assert.deepEqual(gateway.last().sentOf('subscribe'), []);
});

test('stats answers from connection_stats; without a connection it fails', async () => {
  const { client, gateway } = setup();
  await assert.rejects(client.stats(), (e: unknown) => (e as { code?: string }).code === 'not_connected');
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  const stats = client.stats();
  await flush();
  const request = gateway.last().sentOf('get_stats')[0]!;
  gateway.last().receive({ type: 'connection_stats', v: 1, ref: request.id!, received: 3, sent: 4, dropped: 0,
    latencyMs: { avg: 1, max: 2, samples: 3 }, connectedAt: '2026-11-23T10:15:30Z' });
  assert.equal((await stats).received, 3);
});

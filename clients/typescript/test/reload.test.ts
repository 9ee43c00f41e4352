import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '../src/index.js';
import { flush } from './support/fake-clock.js';
import { ackFrame, alert, alertFrame, greeting, notRecovered, recovered, update } from './support/frames.js';
import { acceptConnection, API, setup, until } from './support/harness.js';

test('first load: REST active+acknowledged (all pages) then the frames that arrived meanwhile; start waits for it', async () => {
  const { client, gateway, rest, events } = setup({ apiUrl: API });
  rest.alerts = Array.from({ length: 250 }, (_, i) => alert(`r${i}`));
  rest.alerts[0] = alert('r0', { version: 2, title: 'rest copy' });
  let live = false;
  const started = client.start().then(() => (live = true));
  await flush();
  const socket = gateway.last();
  socket.open();
  socket.receive(greeting('e1', '100'));
  await flush();
  // Frames that arrive while the REST pages are read are held, then applied over the REST answer.
  const calls = rest.listCalls();
  socket.receive(recovered(socket.sentOf('sync')[0]!.id, 'e1', '100'));
  socket.receive(alertFrame('e1', 101, alert('live-1')));
  socket.receive(ackFrame('e1', 102, 'r1', 2));
  socket.receive(update('e1', 103, alert('r0', { version: 1, title: 'stale' }), 'updated'));
  socket.receive(update('e1', 104, alert('r2', { version: 2, status: 'cleared' }), 'cleared'));
  await started;
  assert.ok(live);
  assert.ok(calls <= 1);
  assert.equal(rest.listCalls(), 2, 'two pages of 200');
  assert.match(rest.calls.find((c) => c.url.includes('/api/v1/alerts'))!.url,
    /^http:\/\/ingest\.test:8081\/api\/v1\/alerts\?status=active,acknowledged&page=0&size=200$/);
  assert.equal(rest.calls[0]?.authorization, 'Bearer token-1');
  assert.deepEqual(events.reloaded, [{ reason: 'first_load', count: 250 }]);
  assert.equal(client.alerts.size, 250); // 250 + live-1 − r2
  assert.equal(client.alerts.get('r0')?.alert.title, 'rest copy');
  assert.equal(client.alerts.get('r1')?.status, 'acknowledged');
  assert.equal(client.alerts.get('r2'), undefined);
  assert.ok(client.alerts.get('live-1'));
});

test('recovered:false → REST reload → reloaded; the position continues from the sync_response', async () => {
  const { client, gateway, rest, clock, events } = setup({ apiUrl: API, firstLoad: false });
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '10');
  gateway.last().receive(alertFrame('e1', 11, alert('gone')));
  assert.equal(rest.listCalls(), 0, 'firstLoad: false');
  gateway.last().serverClose(1006);
  await clock.advance(1000);
  const socket = gateway.last();
  socket.open();
  socket.receive(greeting('e2', '3'));
  await flush();
  assert.deepEqual(socket.sentOf('sync')[0]?.since, '11');
  rest.alerts = [alert('fresh', { version: 5 })];
  socket.receive(notRecovered(socket.sentOf('sync')[0]!.id, 'e2', 3, 'epoch_changed'));
  await until(() => client.state === 'live', 'live after the reload');
  assert.deepEqual(events.reloaded, [{ reason: 'epoch_changed', count: 1 }]);
  assert.deepEqual(client.alerts.list().map((e) => e.id), ['fresh']);
  assert.deepEqual(client.position, { epoch: 'e2', cursor: '3' });
  assert.deepEqual(events.recovered, []);
});

test('a gap reloads over REST while the connection stays up', async () => {
  const { client, gateway, rest, events } = setup({ apiUrl: API, firstLoad: false });
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '10');
  rest.alerts = [alert('x'), alert('y')];
  gateway.last().receive({ type: 'gap', v: 1, fromSeq: 11, toSeq: 13, dropped: 3, reason: 'slow_consumer', epoch: 'e1',
    cursor: '13' });
  await until(() => events.reloaded.length === 1 && client.state === 'live', 'reload');
  assert.deepEqual(events.gap, [{ fromSeq: 11, toSeq: 13, dropped: 3, reason: 'slow_consumer' }]);
  assert.deepEqual(events.reloaded, [{ reason: 'gap', count: 2 }]);
  assert.equal(client.alerts.size, 2);
  assert.equal(gateway.sockets.length, 1);
});

test('a failing REST read is retried with backoff and reported as error', async () => {
  const { client, gateway, rest, clock, events } = setup({ apiUrl: API });
  rest.failNext = [503, 503];
  rest.alerts = [alert('a')];
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  assert.equal(client.state, 'recovering');
  await clock.advance(5000);
  assert.equal(client.state, 'live');
  assert.equal(events.error.filter((e) => e instanceof RestError && e.status === 503).length, 2);
  assert.deepEqual(events.reloaded, [{ reason: 'first_load', count: 1 }]);
});

test('an inbox that dropped alerts triggers a reload', async () => {
  const { client, gateway, events } = setup({ apiUrl: API, firstLoad: false });
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  gateway.last().receive({ type: 'inbox', v: 1, delivered: 100, dropped: 5 });
  await until(() => events.reloaded.length === 1, 'reload');
  assert.equal(events.reloaded[0]?.reason, 'inbox_dropped');
});

test('without apiUrl a needed reload is reported and the client goes on live', async () => {
  const { client, gateway, events } = setup();
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  gateway.last().receive({ type: 'gap', v: 1, fromSeq: -1, toSeq: -1, dropped: 1, reason: 'history_trimmed' });
  await flush();
  assert.ok(events.error.some((e) => e.code === 'reload_unavailable'));
  assert.equal(client.state, 'live');
});

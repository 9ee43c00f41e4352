import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionClosedError, HandshakeRefusedError } from '../src/index.js';
import { flush } from './support/fake-clock.js';
import { alert, alertFrame, batch, greeting, recovered } from './support/frames.js';
import { acceptConnection, GATEWAY, setup } from './support/harness.js';

test('the token rides in the bearer-token-carrier subprotocol; the provider is asked on every connect', async () => {
  let n = 0;
  const { client, gateway, clock } = setup({ token: () => `tok/${++n}` });
  void client.start();
  await flush();
  assert.equal(gateway.last().url, GATEWAY);
  assert.deepEqual(gateway.last().protocols,
    ['bearer-token-carrier', 'quarkus-http-upgrade#Authorization#Bearer%20tok%2F1']);
  await acceptConnection(gateway.last(), 'e1', '1');
  gateway.last().serverClose(4003, 'token expired');
  await clock.advance(1000);
  assert.deepEqual(gateway.last().protocols,
    ['bearer-token-carrier', 'quarkus-http-upgrade#Authorization#Bearer%20tok%2F2']);
});

test("tokenTransport 'query' puts the token in access_token and offers no subprotocol", async () => {
  const { client, gateway } = setup({ tokenTransport: 'query', token: 'a b' });
  void client.start();
  await flush();
  assert.equal(gateway.last().url, `${GATEWAY}?access_token=a+b`);
  assert.equal(gateway.last().protocols, undefined);
});

test('start resolves when live; sync is the first message; filters and groups are applied after it', async () => {
  const { client, gateway, events } = setup({ groups: ['direct', 'oncall'], filters: { priorities: ['critical'] } });
  let live = false;
  const started = client.start().then(() => (live = true));
  await flush();
  const socket = gateway.last();
  socket.open();
  socket.receive(greeting('e1', '7'));
  await flush();
  assert.deepEqual(socket.sent, [{ type: 'sync', id: socket.sent[0]?.id, since: '7', epoch: 'e1' }]);
  assert.equal(live, false);
  socket.receive(recovered(socket.sent[0]!.id, 'e1', '7'));
  await started;
  assert.deepEqual(socket.sent.map((f) => f.type), ['sync', 'update_filters', 'subscribe', 'unsubscribe']);
  assert.deepEqual(socket.sentOf('update_filters')[0]?.filters, { priorities: ['critical'] });
  assert.deepEqual(socket.sentOf('subscribe')[0]?.groups, ['oncall']);
  assert.deepEqual(socket.sentOf('unsubscribe')[0]?.groups, ['everyone', 'ops']);
  assert.deepEqual(events.state.map((s) => s.state), ['connecting', 'recovering', 'live']);
  assert.deepEqual(events.connected, [{ connectionId: 'c-7', user: 'vera' }]);
  assert.deepEqual(events.recovering, [], 'a fresh start does not resume');
});

test('after a reconnect, sync carries the stored cursor and epoch, not the new greeting\'s', async () => {
  const { client, gateway, clock, events } = setup();
  void client.start();
  await flush();
  const first = gateway.last();
  await acceptConnection(first, 'e1', '10');
  first.receive(alertFrame('e1', 11, alert('a'), '11'));
  first.receive(batch('e1', [[12, alert('b')], [14, alert('c')]], '12;critical=14'));
  first.receive({ type: 'ping', v: 1, serverTime: '2026-11-23T10:15:30Z' }); // no cursor: keeps the batch's
  first.receive(alertFrame('e1', 15, alert('d'), null)); // inbox frame: no cursor
  assert.deepEqual(client.position, { epoch: 'e1', cursor: '12;critical=14' });
  first.serverClose(1006);
  await clock.advance(1000);
  const second = gateway.last();
  assert.notEqual(second, first);
  second.open();
  second.receive(greeting('e1', '99'));
  await flush();
  assert.deepEqual(second.sent[0], { type: 'sync', id: second.sent[0]?.id, since: '12;critical=14', epoch: 'e1' });
  assert.deepEqual(events.recovering, [{ since: '12;critical=14', epoch: 'e1' }]);
  assert.deepEqual(client.position, { epoch: 'e1', cursor: '12;critical=14' }, 'the greeting does not move it');
  second.receive(alertFrame('e1', 13, alert('replayed'), '13;critical=14'));
  second.receive(recovered(second.sent[0]!.id, 'e1', '15', 1));
  await flush();
  assert.equal(client.state, 'live');
  assert.deepEqual(events.recovered, [{ count: 1, fromSeq: 14, toSeq: 15 }]);
  assert.deepEqual(client.position, { epoch: 'e1', cursor: '15' });
  assert.deepEqual(events.alert.map((e) => [e.alert.id, e.replayed]),
    [['a', false], ['b', false], ['c', false], ['d', false], ['replayed', true]]);
});

test('duplicate events (same epoch and seq) fire alert once; unknown types and fields are ignored', async () => {
  const { client, gateway, events } = setup();
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '1');
  socket.receive(alertFrame('e1', 2, alert('a')));
  socket.receive(alertFrame('e1', 2, alert('a')));
  socket.receive(batch('e1', [[2, alert('a')], [3, alert('b')]], '3'));
  socket.receive(alertFrame('e2', 2, alert('x'))); // same seq, other epoch: a different event
  socket.receive({ type: 'brand_new_thing', v: 1, whatever: true }, false);
  socket.receive({ ...alertFrame('e1', 4, alert('c')), shinyNewField: 1 } as Record<string, unknown>);
  socket.receiveRaw('not json');
  socket.receiveRaw('[1,2]');
  assert.deepEqual(events.alert.map((e) => `${e.epoch}/${e.seq}/${e.alert.id}`), ['e1/2/a', 'e1/3/b', 'e2/2/x', 'e1/4/c']);
  assert.deepEqual(client.alerts.list().map((e) => e.id).sort(), ['a', 'b', 'c', 'x']);
  assert.equal(client.state, 'live');
});

test('4000 reconnects at once; 4001–4499 and 1006 reconnect with backoff; the state tells when', async () => {
  const { client, gateway, clock, events } = setup({ reconnect: { initialDelayMs: 1000 }, random: () => 1 });
  void client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  gateway.last().serverClose(4000, 'draining');
  await clock.advance(0);
  assert.equal(gateway.sockets.length, 2, 'no wait after the first 4000');
  gateway.last().failHandshake(); // the other replica is not there either: check answers 404 → backoff
  await flush();
  const reconnecting = events.state.filter((s) => s.state === 'reconnecting').at(-1);
  assert.equal(reconnecting?.nextAttemptAt, clock.now() + 1000);
  await clock.advance(999);
  assert.equal(gateway.sockets.length, 2);
  await clock.advance(1);
  assert.equal(gateway.sockets.length, 3);
  await acceptConnection(gateway.last(), 'e1', '1');
  gateway.last().serverClose(4002, 'slow consumer');
  await flush();
  assert.equal(gateway.sockets.length, 3, '4002 waits for the backoff');
  assert.ok(events.error.some((e) => e instanceof ConnectionClosedError && e.closeCode === 4002 && e.reconnect));
  await clock.advance(1000);
  assert.equal(gateway.sockets.length, 4);
});

test('4500–4999 stop the client and surface ConnectionClosedError', async () => {
  const { client, gateway, clock, events } = setup();
  const started = client.start();
  await flush();
  await acceptConnection(gateway.last(), 'e1', '1');
  await started;
  gateway.last().serverClose(4501, 'banned');
  await clock.advance(120_000);
  assert.equal(gateway.sockets.length, 1);
  assert.equal(client.state, 'stopped');
  const error = events.stopped[0]?.error;
  assert.ok(error instanceof ConnectionClosedError);
  assert.equal(error.closeCode, 4501);
  assert.equal(error.reconnect, false);
});

test('a refused handshake is diagnosed via /ws/alerts/check: 401 retries once with a fresh token, then stops', async () => {
  let n = 0;
  const { client, gateway, rest, events, clock } = setup({ token: () => `t${++n}` });
  rest.check = { status: 401, body: { status: 401, title: 'Unauthorized' } };
  const started = client.start();
  await flush();
  gateway.last().failHandshake();
  await clock.advance(0);
  assert.equal(gateway.sockets.length, 2, 'retried at once');
  assert.equal(rest.calls[0]?.url, 'http://gateway.test:8080/ws/alerts/check');
  assert.equal(rest.calls[0]?.authorization, 'Bearer t1');
  gateway.last().failHandshake();
  await assert.rejects(started, (e: unknown) => e instanceof HandshakeRefusedError && e.status === 401);
  assert.equal(client.state, 'stopped');
  assert.ok(events.stopped[0]?.error instanceof HandshakeRefusedError);
});

test('a ban (403 banned) waits retryAfterSeconds; 403 for roles stops; 429 backs off', async () => {
  const { client, gateway, rest, clock, events } = setup({ random: () => 1 });
  rest.check = { status: 403, body: { reason: 'banned', retryAfterSeconds: 60 } };
  void client.start().catch(() => undefined);
  await flush();
  gateway.last().failHandshake();
  await flush();
  const error = events.error.at(-1);
  assert.ok(error instanceof HandshakeRefusedError && error.reason === 'banned' && error.retryAfterSeconds === 60);
  await clock.advance(59_999);
  assert.equal(gateway.sockets.length, 1);
  await clock.advance(1);
  assert.equal(gateway.sockets.length, 2);
  rest.check = { status: 429, body: { reason: 'too_many_connections' } };
  gateway.last().failHandshake();
  await clock.advance(500);
  assert.equal(gateway.sockets.length, 3, 'backoff');
  rest.check = { status: 403, body: { reason: 'origin_not_allowed' } };
  gateway.last().failHandshake();
  await clock.advance(60_000);
  assert.equal(client.state, 'stopped');
  assert.equal(gateway.sockets.length, 3);
});

test('nothing heard for 2.5 heartbeat intervals: the client closes and reconnects', async () => {
  const { client, gateway, clock } = setup();
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '1'); // heartbeatIntervalMs 30 000
  await clock.advance(60_000);
  socket.receive({ type: 'ping', v: 1, serverTime: '2026-11-23T10:15:30Z', epoch: 'e1', cursor: '1' });
  await clock.advance(74_999);
  assert.equal(socket.closedByClient, undefined, 'a ping keeps it alive');
  await clock.advance(1);
  assert.equal(gateway.sockets[0]?.closedByClient?.code, 1000);
  assert.equal(client.state, 'reconnecting');
  await clock.advance(1000);
  assert.equal(gateway.sockets.length, 2);
  await acceptConnection(gateway.last(), 'e1', '5');
  assert.equal(gateway.last().sentOf('sync')[0]?.since, '1');
});

test('a connection that never greets is dropped after connectTimeoutMs and retried', async () => {
  const { client, gateway, clock } = setup({ connectTimeoutMs: 5000 });
  void client.start();
  await flush();
  gateway.last().open();
  await clock.advance(5000);
  assert.equal(gateway.sockets[0]?.closedByClient?.code, 1000);
  await clock.advance(1000);
  assert.equal(gateway.sockets.length, 2);
});

test('a sync that is never answered drops the connection after connectTimeoutMs', async () => {
  const { client, gateway, clock } = setup({ connectTimeoutMs: 5000 });
  void client.start();
  await flush();
  gateway.last().open();
  gateway.last().receive(greeting('e1', '1'));
  const socket = gateway.last();
  await clock.advance(4999);
  assert.equal(socket.closedByClient, undefined);
  await clock.advance(1);
  assert.equal(gateway.sockets[0]?.closedByClient?.code, 1000);
  assert.equal(client.state, 'reconnecting');
});

test("a sync answered 'unavailable' is asked again on the same connection, after a backoff, from the stored cursor", async () => {
  const { client, gateway, clock } = setup({ connectTimeoutMs: 5000, random: () => 1 });
  void client.start();
  await flush();
  const socket = gateway.last();
  await acceptConnection(socket, 'e1', '10');
  socket.serverClose(4000, 'restart');
  await clock.advance(1000);
  const next = gateway.last();
  next.open();
  next.receive(greeting('e1', '40'));
  await flush();
  const first = next.sentOf('sync')[0]!;
  assert.equal(first.since, '10');
  next.receive({ type: 'error', v: 1, code: 'unavailable', message: 'the event history cannot be read right now', ref: first.id });
  // a live frame meanwhile carries the cursor the gateway keeps at what was asked
  next.receive(alertFrame('e1', 41, alert('x'), '10'));
  await clock.advance(499);
  assert.equal(next.sentOf('sync').length, 1, 'not before the backoff (500 ms with random() = 1)');
  await clock.advance(1);
  const second = next.sentOf('sync')[1]!;
  assert.equal(second.since, '10');
  assert.notEqual(second.id, first.id);
  assert.equal(next.closedByClient, undefined, 'the connection is kept');
  next.receive(recovered(second.id as string, 'e1', '41'));
  await flush();
  assert.equal(client.state, 'live');
});

test('an error without a close before open (Node 20 undici) still counts as a failed handshake', async () => {
  const { client, gateway, clock, rest } = setup({ random: () => 1 });
  void client.start();
  await flush();
  gateway.last().failHandshakeWithoutClose();
  await flush();
  assert.equal(rest.calls[0]?.url, 'http://gateway.test:8080/ws/alerts/check');
  await clock.advance(500);
  assert.equal(gateway.sockets.length, 2);
  await acceptConnection(gateway.last(), 'e1', '1');
  assert.equal(client.state, 'live');
});

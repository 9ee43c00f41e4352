import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAfterClose, decideAfterHandshake } from '../src/close-policy.js';
import { CLOSE_CODES } from '../src/protocol.js';

test('4000 reconnects at once the first time, then with backoff', () => {
  assert.deepEqual(decideAfterClose(4000, false), { action: 'reconnect', when: 'now' });
  assert.deepEqual(decideAfterClose(4000, true), { action: 'reconnect', when: 'backoff' });
});

test('4001–4499 reconnect with backoff; 4500–4999 stop', () => {
  for (const code of [4001, 4002, 4003, 4100, 4499]) {
    assert.deepEqual(decideAfterClose(code, false), { action: 'reconnect', when: 'backoff' }, String(code));
  }
  for (const code of [4500, 4501, 4502, 4777, 4999]) assert.deepEqual(decideAfterClose(code, false), { action: 'stop' });
});

test('1000–3999 and 1006 reconnect with backoff', () => {
  for (const code of [1000, 1001, 1005, 1006, 1011, 3000, 3999]) {
    assert.deepEqual(decideAfterClose(code, false), { action: 'reconnect', when: 'backoff' }, String(code));
  }
});

test('the close-code table of docs/protocol.md', () => {
  assert.deepEqual(CLOSE_CODES, { shutdown: 4000, heartbeat_timeout: 4001, slow_consumer: 4002, token_expired: 4003,
    unauthorized: 4500, banned: 4501, protocol_violation: 4502 });
});

test('handshake 401: one immediate retry with a fresh token, then stop', () => {
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 401 }, false), { action: 'reconnect', when: 'now' });
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 401 }, true), { action: 'stop' });
});

test('handshake 403: banned waits retryAfterSeconds, roles and origin stop', () => {
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 403, reason: 'banned', retryAfterSeconds: 900 }, false),
    { action: 'wait', ms: 900_000 });
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 403, reason: 'banned' }, false),
    { action: 'reconnect', when: 'backoff' });
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 403, reason: 'origin_not_allowed' }, false), { action: 'stop' });
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 403 }, false), { action: 'stop' });
});

test('handshake 429, 503, other statuses, accepted (204) and unknown (404, network) retry with backoff', () => {
  const backoff = { action: 'reconnect', when: 'backoff' };
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 429, reason: 'too_many_connections' }, false), backoff);
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 503, reason: 'draining' }, false), backoff);
  assert.deepEqual(decideAfterHandshake({ kind: 'refused', status: 500 }, false), backoff);
  assert.deepEqual(decideAfterHandshake({ kind: 'accepted' }, false), backoff);
  assert.deepEqual(decideAfterHandshake({ kind: 'unknown' }, true), backoff);
});

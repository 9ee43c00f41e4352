// Bans. A real one, earned by real rate-limit violations: the gateway bans the user and closes with 4501, which stops
// the client with a ConnectionClosedError. A user banned already (the ban the gateway writes, through the harness) is
// refused at the handshake; the client learns why from GET /ws/alerts/check: a HandshakeRefusedError 403 `banned`
// carrying retryAfterSeconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionClosedError, HandshakeRefusedError, TocsinClient, type TocsinError } from '../../src/index.js';
import { Harness, waitFor } from '../support/e2e-harness.js';

test('flooding the gateway earns a ban: close 4501 stops the client with a typed error', { timeout: 120_000 }, async () => {
  const harness = Harness.fromEnv();
  const info = await harness.info();
  const client = new TocsinClient({
    gatewayUrl: info.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-flooder', ['viewer']),
    actionTimeoutMs: 5_000,
  });
  let stopped: { error?: TocsinError } | undefined;
  client.on('stopped', (e) => { stopped = e; });
  try {
    await client.start();
    // more messages than the rate limit allows (60 a minute; the ban after 10 refusals within a minute)
    const calls = Array.from({ length: 90 }, () => client.stats());
    await Promise.allSettled(calls);
    await waitFor(() => stopped !== undefined, 'the client to stop after the ban', 60_000);
    const error = stopped!.error;
    assert.ok(error instanceof ConnectionClosedError, `stopped with ${String(error)}`);
    assert.equal(error.closeCode, 4501);
    assert.equal(client.state, 'stopped');
  } finally {
    client.stop();
  }
});

test('a banned user is refused at the handshake with 403 banned and retryAfterSeconds', { timeout: 120_000 }, async () => {
  const harness = Harness.fromEnv();
  const info = await harness.info();
  await harness.ban('ts-banned', 120);
  const client = new TocsinClient({
    gatewayUrl: info.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-banned', ['viewer']),
  });
  const refusals: HandshakeRefusedError[] = [];
  const record = (e: TocsinError | undefined): void => { if (e instanceof HandshakeRefusedError) refusals.push(e); };
  client.on('error', record);
  client.on('stopped', (e) => record(e.error));
  const started = client.start().then(() => 'live', (e: unknown) => { record(e as TocsinError); return 'rejected'; });
  try {
    await waitFor(() => refusals.length > 0, 'the handshake refusal to be reported', 60_000);
    const refusal = refusals[0]!;
    assert.equal(refusal.status, 403);
    assert.equal(refusal.reason, 'banned');
    assert.ok((refusal.retryAfterSeconds ?? 0) > 60 && (refusal.retryAfterSeconds ?? 0) <= 120,
      `retryAfterSeconds ${refusal.retryAfterSeconds}`);
    assert.notEqual(client.state, 'live');
  } finally {
    client.stop();
    await started;
  }
});

// A token that expires mid-session: the gateway closes the connection (4003) when the token expires; the client asks
// its token provider for a fresh one, reconnects, resumes from its cursor, and misses no alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TocsinClient } from '../../src/index.js';
import { Harness, Ingest, Poster, waitFor } from '../support/e2e-harness.js';
import { Tally } from '../support/tally.js';

test('a token that expires mid-session is replaced by the provider and no alert is missed', { timeout: 180_000 }, async () => {
  const harness = Harness.fromEnv();
  const info = await harness.info();
  const ingest = new Ingest(harness);
  const provider = harness.tokenProvider('ts-expiry', ['viewer'], { ttlSeconds: 6 });
  const closes: number[] = [];
  const client = new TocsinClient({
    gatewayUrl: info.gatewayWsUrl, apiUrl: info.ingestUrl, token: provider,
    reconnect: { initialDelayMs: 200, maxDelayMs: 2_000 },
  });
  client.on('error', (e) => {
    const closeCode = (e as { closeCode?: unknown }).closeCode;
    if (typeof closeCode === 'number') closes.push(closeCode);
  });
  const tally = new Tally('expiry', client);
  const poster = new Poster(ingest);
  try {
    await client.start();
    poster.start();
    // two expiries at least: the first token, and one provided on a reconnect
    await waitFor(() => tally.connects >= 3, 'two reconnects after token expiry', 90_000);
    await poster.awaitAccepted(5);
    await poster.stop();
    const accepted = [...poster.accepted.keys()];
    await waitFor(() => accepted.every((id) => tally.has(id)), 'every accepted alert', 60_000);
    const counts = tally.counts(accepted);
    console.log(`${counts.line} tokenProviderCalls=${provider.calls} closeCodes=${closes.join(',') || '(not surfaced)'}`);
    assert.equal(counts.missing, 0);
    assert.equal(counts.duplicates, 0);
    assert.ok(provider.calls >= 3, `the provider is asked on every (re)connect (calls: ${provider.calls})`);
    assert.notEqual(client.state, 'stopped');
    if (closes.length) assert.ok(closes.includes(4003), `close codes seen: ${closes}`);
  } finally {
    await poster.stop();
    client.stop();
  }
});

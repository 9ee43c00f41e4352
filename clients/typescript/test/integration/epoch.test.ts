// An epoch change while a client is offline: its `sync` from the old epoch is answered recovered:false, epoch_changed,
// and the client reloads over REST (`reloaded` with reason epoch_changed); its store is then correct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TocsinClient } from '../../src/index.js';
import { Harness, Ingest, waitFor } from '../support/e2e-harness.js';
import { Tally } from '../support/tally.js';

test('an epoch change forces the REST reload and the store is right afterwards', { timeout: 180_000 }, async () => {
  const harness = Harness.fromEnv();
  const info = await harness.info();
  const ingest = new Ingest(harness);
  const proxy = await harness.proxy();
  const client = new TocsinClient({
    gatewayUrl: proxy.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-epoch', ['viewer']),
    reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
  });
  const tally = new Tally('epoch', client);
  try {
    await client.start();
    const before: string[] = [];
    for (let i = 0; i < 3; i++) before.push(await ingest.postAccepted(1000 + i));
    await waitFor(() => before.every((id) => tally.has(id)), 'the alerts before the change', 30_000);
    const epochBefore = client.position.epoch;
    assert.ok(epochBefore, 'the client knows its epoch');

    await waitFor(() => client.state === 'live', 'live before going offline', 30_000);
    await proxy.cut();
    await waitFor(() => client.state !== 'live', 'the client to notice it is offline', 30_000);
    const { previousEpoch } = await harness.changeEpoch();
    assert.equal(previousEpoch, epochBefore);
    const after: string[] = [];
    for (let i = 0; i < 3; i++) after.push(await ingest.postAccepted(2000 + i));
    await proxy.restore();

    await waitFor(() => tally.reloads.some((r) => r.reason === 'epoch_changed'), 'a reload with reason epoch_changed', 60_000);
    await waitFor(() => client.state === 'live', 'live again', 30_000);
    await waitFor(() => [...before, ...after].every((id) => client.alerts.get(id) !== undefined),
      'every alert in the store', 30_000);
    assert.notEqual(client.position.epoch, epochBefore, 'the client moved to the new epoch');
    const rest = await ingest.activeIds('ts-epoch', ['viewer']);
    const store = new Set(client.alerts.list({ includeAcknowledged: true }).map((entry) => entry.id));
    assert.deepEqual([...store].sort(), [...rest].sort(), 'the store equals GET /api/v1/alerts');
    console.log(`epoch: ${epochBefore} -> ${client.position.epoch}, reloads=${JSON.stringify(tally.reloads)}, store=${store.size}`);
  } finally {
    client.stop();
    await proxy.restore();
  }
});

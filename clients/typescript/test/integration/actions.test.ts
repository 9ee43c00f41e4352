// ack and clear through the client: the promises resolve with the gateway's ack_result / clear_result; an ack made
// while the gateway is down is queued and resolves once it is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TocsinClient } from '../../src/index.js';
import { Harness, Ingest, waitFor } from '../support/e2e-harness.js';

test('ack and clear resolve with their results, and an ack queued while the gateway is down resolves after it is back',
  { timeout: 240_000 }, async () => {
    const harness = Harness.fromEnv();
    const info = await harness.info();
    const ingest = new Ingest(harness);
    const client = new TocsinClient({
      gatewayUrl: info.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-operator', ['operator']),
      reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
      actionTimeoutMs: 20_000,
    });
    try {
      await client.start();
      const first = await ingest.postAccepted(3000);
      const second = await ingest.postAccepted(3001);
      const doomed = [await ingest.postAccepted(3002, { type: 'ts_clear_drill' }),
        await ingest.postAccepted(3003, { type: 'ts_clear_drill' })];
      await waitFor(() => [first, second, ...doomed].every((id) => client.alerts.get(id) !== undefined),
        'the alerts in the store', 30_000);

      const acked = await client.ack(first);
      assert.equal(acked.alertId, first);
      assert.equal(acked.acknowledgedBy, 'ts-operator');
      assert.equal(acked.already, false);
      await waitFor(() => client.alerts.get(first)?.status === 'acknowledged', 'the store to show the ack', 10_000);
      assert.equal((await client.ack(first)).already, true, 'acks are idempotent');

      await harness.killGateway();
      await waitFor(() => client.state !== 'live', 'the client to notice the gateway is gone', 30_000);
      let settled = false;
      const queued = client.ack(second).finally(() => { settled = true; });
      await harness.startGateway();
      const late = await queued;
      assert.ok(settled);
      assert.equal(late.alertId, second);
      assert.equal(late.acknowledgedBy, 'ts-operator');
      await waitFor(() => client.alerts.get(second)?.status === 'acknowledged', 'the store to show the queued ack', 20_000);

      const cleared = await client.clear({ types: ['ts_clear_drill'] });
      assert.ok(cleared.cleared >= 2, `cleared ${cleared.cleared}`);
      await waitFor(() => doomed.every((id) => client.alerts.get(id) === undefined), 'the cleared alerts to leave the store',
        20_000);
      console.log(`actions: ack ${first} v${acked.version}, queued ack ${second} v${late.version}, cleared ${cleared.cleared}`);
    } finally {
      client.stop();
    }
  });

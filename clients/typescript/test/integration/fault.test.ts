// The TypeScript twin of e2e's FaultToleranceE2ETest: alerts are posted continuously over REST while the gateway is
// killed and restarted, alert-ingest is killed and restarted, Redis is restarted, and one client is offline for a
// while. Every client must end with every alert whose POST was answered 201, exactly once.
//
// The offline period is a real one: the traveller reaches the gateway through a proxy of the harness, which is cut
// (its socket is reset, every reconnect and the handshake check fail) and later restored. Stopping a client and
// starting a new one from the old position would test another product behaviour (a restart, not an outage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TocsinClient } from '../../src/index.js';
import { Harness, Ingest, Poster, waitFor } from '../support/e2e-harness.js';
import { Tally } from '../support/tally.js';

test('every client holds every accepted alert exactly once through gateway, ingest and Redis faults and an offline period',
  { timeout: 600_000 }, async () => {
    const harness = Harness.fromEnv();
    const info = await harness.info();
    const ingest = new Ingest(harness);
    const proxy = await harness.proxy();
    const reconnect = { initialDelayMs: 200, maxDelayMs: 2_000 };
    const steady = new TocsinClient({
      gatewayUrl: info.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-steady', ['viewer']),
      reconnect,
    });
    const traveller = new TocsinClient({
      gatewayUrl: proxy.gatewayWsUrl, apiUrl: info.ingestUrl, token: harness.tokenProvider('ts-traveller', ['viewer']),
      reconnect,
    });
    const tallies = [new Tally('steady', steady), new Tally('traveller', traveller)];
    const poster = new Poster(ingest);
    try {
      await Promise.all([steady.start(), traveller.start()]);
      poster.start();

      await poster.awaitAccepted(20);
      console.log('fault: gateway killed');
      await harness.killGateway();
      await poster.awaitAccepted(10);
      await harness.startGateway();
      await poster.awaitAccepted(20);

      console.log('fault: alert-ingest killed');
      await harness.killIngest();
      await harness.startIngest();
      await poster.awaitAccepted(20);

      console.log('fault: Redis restarted');
      await harness.restartRedis();
      await poster.awaitAccepted(20);

      console.log('fault: the traveller offline for a while');
      await waitFor(() => traveller.state === 'live', 'the traveller to be live before its offline period', 60_000);
      const connectsBefore = tallies[1]!.connects;
      await proxy.cut();
      await waitFor(() => traveller.state !== 'live', 'the traveller to notice it is offline', 30_000);
      await poster.awaitAccepted(20);
      await proxy.restore();
      await poster.awaitAccepted(20);

      await poster.stop();
      const accepted = [...poster.accepted.keys()];
      for (const tally of tallies) {
        try {
          await waitFor(() => accepted.every((id) => tally.has(id)), `${tally.name} to hold every accepted alert`, 60_000);
        } catch {
          console.log(`${tally.name}: still missing ${accepted.filter((id) => !tally.has(id)).map((id) => poster.accepted.get(id))}`);
        }
      }
      for (const tally of tallies) {
        const counts = tally.counts(accepted);
        console.log(counts.line);
        console.log(`${tally.name} states: ${tally.states.join(' ')}`);
        assert.equal(counts.missing, 0, `${tally.name} missing`);
        assert.equal(counts.duplicates, 0, `${tally.name} duplicates`);
      }
      assert.ok(tallies[0]!.connects >= 2, 'the gateway kill must have forced the steady client to reconnect');
      assert.ok(tallies[1]!.connects > connectsBefore, 'the traveller must have reconnected after its offline period');

      // the store equals the REST view of each user
      for (const [user, client] of [['ts-steady', steady], ['ts-traveller', traveller]] as const) {
        const rest = await ingest.activeIds(user, ['viewer']);
        const store = new Set(client.alerts.list({ includeAcknowledged: true }).map((entry) => entry.id));
        assert.deepEqual([...store].sort(), [...rest].sort(), `${user}: the store equals GET /api/v1/alerts`);
      }
    } finally {
      await poster.stop();
      steady.stop();
      traveller.stop();
      await proxy.restore();
    }
  });

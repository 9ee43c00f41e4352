// The gateway is killed and restarted while alerts are posted: the console shows "reconnecting" (with the next
// attempt's time), then the stale banner (ConsoleBrowserE2ETest sets stale-after 8 s, heartbeat 3 s), then, once the
// gateway is back, every alert posted meanwhile, each once, and the banner goes away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Console, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

test('a gateway restart: the console shows reconnecting, then every alert posted meanwhile, once', async () => {
  await withConsoles([Console.open(harness, 'restart-alice', 'alice', ['viewer', 'oncall'])], async (alice) => {
    const type = unique('console_restart');
    const before = await harness.postAlert({ type, title: `before the restart ${type}`, priority: 'medium' });
    await alice.waitForRow(before);

    await harness.killGateway();
    let gatewayDown = true;
    try {
      await alice.waitFor('the indicator to say reconnecting',
        () => document.getElementById('connection')?.dataset['state'] === 'reconnecting'
          && /Reconnecting: next attempt at/.test(document.getElementById('connection')?.textContent ?? ''), undefined);
      const posted: string[] = [];
      for (let i = 0; i < 5; i++) {
        posted.push(await harness.postAlert({ type, title: `while down ${i} ${type}`, priority: i % 2 ? 'high' : 'critical' }));
      }
      await alice.waitFor('the stale banner', () => {
        const banner = document.getElementById('stale');
        return !!banner && !banner.hidden && /out of date/.test(banner.textContent ?? '');
      }, undefined);
      await harness.startGateway();
      gatewayDown = false;
      await alice.waitFor('live again', () => document.getElementById('connection')?.dataset['state'] === 'live', undefined, 120_000);
      await alice.waitFor('the stale banner gone', () => document.getElementById('stale')?.hidden === true, undefined);
      for (const id of posted) await alice.waitForRow(id, `alert ${id}, posted while the gateway was down`);
      const counts = await alice.page.evaluate((ids) => ids.map((i) => document.querySelectorAll(`#alerts li[data-alert-id="${i}"]`).length),
        [before, ...posted]);
      assert.deepEqual(counts, [1, 1, 1, 1, 1, 1], 'each alert once');
    } finally {
      if (gatewayDown) await harness.startGateway();
    }
  });
});

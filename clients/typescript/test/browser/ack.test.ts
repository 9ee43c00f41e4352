// (c) An ack made in the page (its Ack button) resolves with the gateway's ack_result, acknowledged by the page's
// user, and the page's store and list show the alert acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, Ingest } from '../support/e2e-harness.js';
import { withPage } from './chromium.js';

test('an ack clicked in the page resolves with ack_result by the page\'s user and the store shows it acknowledged',
  { timeout: 180_000 }, async () => {
    const harness = Harness.fromEnv();
    const ingest = new Ingest(harness);
    await withPage(harness, 'ack', async (page, info) => {
      await page.startClient(info, await harness.token('ts-browser-operator', ['operator']));
      await page.waitFor('the client to be live', (p) => p.state === 'live' || p.stopped !== null, undefined, 60_000);
      const id = await ingest.postAccepted(8000, { title: 'TS browser ack drill' });
      const button = page.page.locator(`#alerts li[data-id="${id}"] button.ack`);
      await button.waitFor({ state: 'visible', timeout: 30_000 });
      await button.click();
      await page.waitFor('the ack to resolve', (p, alertId) => p.acks[alertId] !== undefined, id, 30_000);

      const view = await page.view();
      const outcome = view.acks[id]!;
      assert.equal(outcome.error, undefined, `ack failed: ${JSON.stringify(outcome.error)}`);
      assert.deepEqual({ alertId: outcome.alertId, acknowledgedBy: outcome.acknowledgedBy, already: outcome.already },
        { alertId: id, acknowledgedBy: 'ts-browser-operator', already: false });
      assert.equal(view.user, 'ts-browser-operator');

      await page.waitFor('the store to show the ack', (p, alertId) =>
        document.querySelector(`#alerts li[data-id="${alertId}"]`)?.getAttribute('data-status') === 'acknowledged',
      id, 20_000);
      const row = (await page.store()).find((entry) => entry.id === id);
      assert.deepEqual(row, { id, title: 'TS browser ack drill', status: 'acknowledged', acknowledgedBy: 'ts-browser-operator' });
      assert.equal(await page.page.textContent(`#alerts li[data-id="${id}"] .acked-by`), 'acknowledged by ts-browser-operator');
      console.log(`ack: ${id} acknowledged by ${outcome.acknowledgedBy} at ${outcome.acknowledgedAt} v${outcome.version}`);
    });
  });

// (b) The gateway is killed and started again while alerts are posted: the page shows `reconnecting`, then `live`,
// and ends holding every alert whose POST was answered 201, each exactly once (the Java fault test's counts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, Ingest, Poster } from '../support/e2e-harness.js';
import { withPage } from './chromium.js';

test('the page recovers after the gateway restarts and holds every alert posted meanwhile exactly once',
  { timeout: 300_000 }, async () => {
    const harness = Harness.fromEnv();
    const poster = new Poster(new Ingest(harness));
    await withPage(harness, 'gateway-restart', async (page, info) => {
      try {
        await page.startClient(info, await harness.token('ts-browser-restart', ['viewer']));
        await page.waitFor('the client to be live', (p) => p.state === 'live' || p.stopped !== null, undefined, 60_000);
        assert.equal((await page.view()).state, 'live');
        poster.start();
        await poster.awaitAccepted(15);

        console.log('gateway-restart: gateway killed');
        await harness.killGateway();
        await page.waitFor('the page to show reconnecting', (p) => p.state === 'reconnecting', undefined, 30_000);
        assert.equal(await page.page.textContent('#state'), 'reconnecting', 'the state on screen');
        await poster.awaitAccepted(10);
        await harness.startGateway();
        console.log('gateway-restart: gateway started');
        await page.waitFor('the page to be live again', (p) => p.state === 'live' && p.connects >= 2, undefined, 60_000);
        assert.equal(await page.page.textContent('#state'), 'live', 'the state on screen');
        await poster.awaitAccepted(15);
        await poster.stop();

        const accepted = [...poster.accepted.keys()];
        await page.waitFor('every accepted alert in the page', (p, ids) => p.missing(ids).length === 0, accepted, 60_000)
          .catch((error: unknown) => console.log(`gateway-restart: ${String(error)}`));
        const view = await page.view();
        const missing = await page.page.evaluate((ids) =>
          (window as unknown as { tocsinPage: { missing(i: string[]): string[] } }).tocsinPage.missing(ids), accepted);
        const duplicates = Object.values(view.alertCounts).filter((count) => count > 1).length;
        console.log(`gateway-restart: posted=${accepted.length} delivered=${accepted.length - missing.length} `
          + `duplicates=${duplicates} missing=${missing.length} connects=${view.connects} `
          + `restReloads=${view.reloads.length}${view.reloads.length ? ` (${view.reloads.map((r) => r.reason).join(',')})` : ''} `
          + `states=${view.states.join('>')}`);
        assert.equal(missing.length, 0, `missing alerts ${missing.map((id) => poster.accepted.get(id)).join(',')}`);
        assert.equal(duplicates, 0, 'duplicates');
        const killedAt = view.states.indexOf('reconnecting');
        assert.ok(killedAt > 0 && view.states.indexOf('live', killedAt) > killedAt, `reconnecting, then live: ${view.states}`);
      } finally {
        await poster.stop();
      }
    });
  });

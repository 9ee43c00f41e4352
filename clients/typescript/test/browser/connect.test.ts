// (a) In headless Chromium, the page connects to the real gateway (token in the bearer-token-carrier subprotocol,
// origin allowed) and receives each alert posted over REST exactly once, rendered as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, Ingest } from '../support/e2e-harness.js';
import { withPage } from './chromium.js';

const MARKUP_TITLE = '<img src=x onerror="window.injected=true">Pump <b>3</b> & <script>window.injected=true</script>';

test('the page connects with its token in the bearer-token-carrier subprotocol from an allowed origin and gets each '
  + 'alert posted over REST once', { timeout: 180_000 }, async () => {
  const harness = Harness.fromEnv();
  const ingest = new Ingest(harness);
  await withPage(harness, 'connect', async (page, info) => {
    await page.startClient(info, await harness.token('ts-browser', ['viewer']));
    await page.waitFor('the client to be live', (p) => p.state === 'live' || p.stopped !== null, undefined, 60_000);
    const view = await page.view();
    assert.equal(view.state, 'live', `state ${view.state}, errors ${JSON.stringify(view.errors)}`);
    assert.equal(view.user, 'ts-browser', 'the gateway knows the page by its token');
    assert.equal(await page.page.evaluate(() => location.origin), info.origin, 'the page runs on the allowed origin');
    const socket = view.sockets.at(-1)!;
    assert.equal(socket.url, info.gatewayWsUrl, 'no token (or anything else) in the WebSocket URL');
    assert.equal(socket.firstOffered, 'bearer-token-carrier');
    assert.equal(socket.protocol, 'bearer-token-carrier', 'the gateway selected the token-carrying subprotocol');

    const ids: string[] = [];
    for (let n = 0; n < 8; n++) ids.push(await ingest.postAccepted(7000 + n));
    const markup = await ingest.postAccepted(7100, { title: MARKUP_TITLE });
    ids.push(markup);
    await page.waitFor('every posted alert in the page', (p, wanted) => wanted.every((id) => (p.alertCounts[id] ?? 0) > 0),
      ids, 30_000);
    await page.waitFor('the list to render them', (_p, wanted) =>
      wanted.every((id) => document.querySelector(`#alerts li[data-id="${id}"]`) !== null), ids, 10_000);

    const after = await page.view();
    const counts = ids.map((id) => after.alertCounts[id]);
    console.log(`connect: posted=${ids.length} delivered=${counts.filter((c) => c !== undefined).length} `
      + `duplicates=${counts.filter((c) => (c ?? 0) > 1).length}`);
    assert.deepEqual(counts, ids.map(() => 1), 'each alert exactly once');

    // An alert's title is data: shown verbatim, never parsed as markup.
    const rendered = await page.page.evaluate((id) => {
      const row = document.querySelector(`#alerts li[data-id="${id}"]`);
      return { title: row?.querySelector('.title')?.textContent, elements: row?.querySelectorAll('img, b, script').length,
        injected: (window as unknown as { injected?: boolean }).injected ?? false };
    }, markup);
    assert.deepEqual(rendered, { title: MARKUP_TITLE, elements: 0, injected: false });
  });
});

// (d) A refused handshake, diagnosed in the browser: Chromium reports a refused WebSocket handshake only as close 1006,
// so the client asks the gateway's GET /ws/alerts/check (CORS) and stops with a typed HandshakeRefusedError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from '../support/e2e-harness.js';
import { withPage } from './chromium.js';

test('a page with an expired token ends stopped with HandshakeRefusedError 401 diagnosed through /ws/alerts/check',
  { timeout: 180_000 }, async () => {
    const harness = Harness.fromEnv();
    await withPage(harness, 'refusal-token', async (page, info) => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await harness.token('ts-browser-expired', ['viewer'], { issuedAt: now - 7200, ttlSeconds: -3600 });
      await page.startClient(info, expired);
      await page.waitFor('the client to stop', (p) => p.stopped !== null, undefined, 60_000);
      const view = await page.view();
      assert.equal(view.state, 'stopped');
      assert.equal(view.stopped?.error?.name, 'HandshakeRefusedError', JSON.stringify(view.stopped));
      assert.equal(view.stopped?.error?.status, 401);
      assert.ok(view.sockets.length >= 1 && view.sockets.every((s) => !s.opened), 'no socket ever opened');
      assert.equal(view.connects, 0);
      assert.match((await page.page.textContent('#error')) ?? '', /handshake refused: 401/);
      console.log(`refusal: stopped with ${view.stopped?.error?.name} ${view.stopped?.error?.status} `
        + `(${view.stopped?.error?.reason ?? 'no reason'}) after ${view.sockets.length} handshake(s), states ${view.states.join('>')}`);
    });
  });

// The harness's control server makes the gateway allow its origin both as 127.0.0.1 and as localhost
// (ControlServer.allowedOrigins()), so the other host name is no foreign origin. A host name of the reserved .test
// domain that Chromium resolves to 127.0.0.1 (--host-resolver-rules) is: the same control server serves the same page,
// from an origin nobody allowed, still on the loopback address (so no private-network rule is involved).
const FOREIGN_HOST = 'foreign-origin.test';

test('a page from an origin the gateway does not allow ends stopped with HandshakeRefusedError 403 origin_not_allowed',
  { timeout: 180_000 }, async () => {
    const harness = Harness.fromEnv();
    const foreignPage = (info: { staticUrl: string }): string => {
      const url = new URL(`${info.staticUrl}test/browser/index.html`);
      url.hostname = FOREIGN_HOST;
      return url.toString();
    };
    await withPage(harness, 'refusal-origin', async (page, info) => {
      const origin = await page.page.evaluate(() => location.origin);
      assert.equal(origin, new URL(foreignPage(info)).origin, 'the page runs on the foreign origin');
      // No apiUrl: alert-ingest's CORS would refuse this origin too, but the handshake is refused first anyway.
      await page.startClient(info, await harness.token('ts-browser-foreign', ['viewer']), { apiUrl: null });
      await page.waitFor('the client to stop', (p) => p.stopped !== null, undefined, 60_000);
      const view = await page.view();
      assert.equal(view.state, 'stopped');
      assert.equal(view.stopped?.error?.name, 'HandshakeRefusedError', JSON.stringify(view.stopped));
      assert.equal(view.stopped?.error?.status, 403);
      assert.equal(view.stopped?.error?.reason, 'origin_not_allowed');
      assert.ok(view.sockets.every((s) => !s.opened), 'no socket ever opened');
      console.log(`refusal: ${origin} stopped with ${view.stopped?.error?.name} ${view.stopped?.error?.status} `
        + `(${view.stopped?.error?.reason}) after ${view.sockets.length} handshake(s), states ${view.states.join('>')}`);
    }, { pageUrl: foreignPage, extraArgs: [`--host-resolver-rules=MAP ${FOREIGN_HOST} 127.0.0.1`] });
  });

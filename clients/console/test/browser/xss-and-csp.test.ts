// No HTML from an alert is ever interpreted: a hostile title shows as text and runs nothing; the page is served with
// its Content-Security-Policy; the sign-in token left the address bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Console, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

test('a hostile title renders as text, no dialog fires, and the CSP header is present', async () => {
  await withConsoles([Console.open(harness, 'xss-admin', 'admin', ['admin'])], async (admin) => {
    const csp = admin.response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(admin.response?.headers()['x-content-type-options'], 'nosniff');
    assert.equal(admin.response?.headers()['referrer-policy'], 'no-referrer');
    assert.doesNotMatch(admin.page.url(), /token/, 'the #token= fragment is gone from the address bar');

    const type = unique('console_xss');
    const title = '<img src=x onerror=alert(1)>';
    const id = await harness.postAlert({ type, title, priority: 'critical', source: '<b>bold</b>',
      metadata: { note: '<script>alert(2)</script>' } });
    await admin.waitForRow(id);
    assert.equal(await admin.page.locator(`${admin.row(id)} .title`).textContent(), title);
    assert.equal(await admin.page.locator(`${admin.row(id)} .source`).textContent(), '<b>bold</b>');
    assert.equal(await admin.page.locator('#alerts img, #alerts b, #alerts script').count(), 0);
    // the detail view shows the metadata as text too
    await admin.page.locator(`${admin.row(id)} .title`).click();
    await admin.waitFor('the detail view', () => !!document.querySelector('#detail pre.metadata'), undefined);
    assert.match(await admin.page.locator('#detail pre.metadata').textContent() ?? '', /<script>alert\(2\)<\/script>/);
    assert.equal(await admin.page.locator('#detail img, #detail script').count(), 0);
    assert.deepEqual(admin.dialogs, [], 'no dialog fired');
    assert.equal(await admin.page.evaluate(() => sessionStorage.length > 0), true, 'the token is kept in session storage');
  });
});

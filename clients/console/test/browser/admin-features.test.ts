// What an admin does besides the live list: the create form shows the REST API's per-field validation messages and
// then creates; filters survive a reload (and so does the sign-in, in session storage); a critical alert flashes the
// tab title; ack works from the keyboard; signing out and pasting a token signs in again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Console, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

test('create form validation per field, filters kept across a reload, critical announced, keyboard ack, paste sign-in', async () => {
  await withConsoles([Console.open(harness, 'admin-features', 'admin', ['admin'])], async (admin) => {
    const page = admin.page;
    const type = unique('console_admin');

    // 1. the create form: the server's per-field messages next to the fields
    await page.locator('#c-type').fill(type);
    await page.locator('#c-title').fill('');
    await page.locator('#c-message').fill('made by the form');
    await page.locator('#c-source').fill('form');
    await page.locator('#c-risk').fill('2');
    await page.locator('#create-form button[type=submit]').click();
    await admin.waitFor('the per-field validation messages', () => {
      const title = document.querySelector<HTMLElement>('[data-error-for="title"]');
      const risk = document.querySelector<HTMLElement>('[data-error-for="riskScore"]');
      return !!title && !title.hidden && (title.textContent ?? '').length > 0 && !!risk && !risk.hidden
        && (risk.textContent ?? '').length > 0;
    }, undefined);
    assert.equal(await page.locator('#c-title').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#c-risk').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#c-source').getAttribute('aria-invalid'), null);
    const formTitle = `Made in the console ${type}`;
    await page.locator('#c-title').fill(formTitle);
    await page.locator('#c-risk').fill('0.3');
    await page.locator('#c-priority').selectOption('info');
    await page.locator('#create-form button[type=submit]').click();
    await admin.waitFor('the created alert in the list', (t) =>
      [...document.querySelectorAll('#alerts li .title')].some((e) => e.textContent === t), formTitle);
    assert.equal(await page.locator('[data-error-for="title"]').isHidden(), true, 'the old messages are gone');

    // 2. filters: hide info, reload: still hidden, still signed in
    const infoId = await page.locator('#alerts li[data-priority="info"]').filter({ hasText: formTitle }).getAttribute('data-alert-id');
    assert.ok(infoId);
    await page.locator('#filters input[name=priority][value=info]').uncheck();
    await admin.waitForNoRow(infoId);
    await page.reload({ waitUntil: 'load' });
    await admin.waitFor('live again after the reload', () => document.documentElement.dataset['ready'] === 'true', undefined);
    assert.equal(await page.locator('#filters input[name=priority][value=info]').isChecked(), false, 'the filter survived');
    await admin.waitFor('the list rendered', () => /alerts? shown/.test(document.getElementById('list-summary')?.textContent ?? ''), undefined);
    assert.equal(await page.locator(admin.row(infoId)).count(), 0);
    assert.match(await page.locator('#list-summary').textContent() ?? '', /hidden by filters/);
    await page.locator('#filters input[name=priority][value=info]').check();
    await admin.waitForRow(infoId);

    // 3. a critical alert arriving flashes the title and is spoken (aria-live)
    const criticalTitle = `Critical for the title ${type}`;
    const critical = await harness.postAlert({ type, title: criticalTitle, priority: 'critical' });
    await admin.waitForRow(critical);
    await admin.waitFor('the title flash', () => /CRITICAL/.test(document.title), undefined);
    assert.equal(await page.locator('#announce').textContent(), `Critical alert: ${criticalTitle}`);

    // 4. ack from the keyboard
    await page.locator(`${admin.row(critical)} button.ack`).focus();
    await page.keyboard.press('Enter');
    await admin.waitFor('the keyboard ack', (i) => document.querySelector(`#alerts li[data-alert-id="${i}"] .acked-by`)?.textContent
      === 'Acknowledged by admin', critical);

    // 5. sign out, paste a viewer's token: signed in as the viewer, without the admin's panels
    await page.locator('#signout').click();
    await admin.waitFor('the sign-in form', () => !!document.getElementById('signin') && !document.getElementById('signin')!.hidden, undefined);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the token');
    await page.locator('#signin-token').fill('not a token');
    await page.locator('#signin button[type=submit]').click();
    assert.match(await page.locator('#signin-error').textContent() ?? '', /not a JWT/);
    await page.locator('#signin-token').fill(await harness.token('vera', ['viewer']));
    await page.locator('#signin button[type=submit]').click();
    await admin.waitFor('signed in as the viewer', () => document.documentElement.dataset['ready'] === 'true'
      && /vera/.test(document.getElementById('who')?.textContent ?? ''), undefined);
    assert.equal(await page.locator('#create-panel, #stats-panel, #clear-panel').count(), 0);
    assert.doesNotMatch(page.url(), /token|eyJ/);
    assert.deepEqual(admin.dialogs, []);
  });
});

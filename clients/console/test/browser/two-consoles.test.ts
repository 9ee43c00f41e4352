// Two consoles for two users against the real services: an alert posted over REST appears in both; an ack in one
// shows as acknowledged, with the acker's name, in the other; a viewer has no clear control; an operator's clear
// removes the alert from both. Also: the push-message link /alerts/{id} opens the operator's console on the alert.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Console, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

test('an alert appears in two consoles, an ack in one shows in the other, only the operator may clear', async () => {
  await withConsoles([
    Console.open(harness, 'viewer-alice', 'alice', ['viewer', 'oncall']),
    Console.open(harness, 'operator-oscar', 'oscar', ['operator', 'oncall']),
  ], async (alice, oscar) => {
    // roles drive what is shown: the viewer's page has no clear control at all, the operator's has
    assert.equal(await alice.page.locator('#clear-panel, .clear-selected, .clear-criteria, input.select').count(), 0);
    assert.equal(await oscar.page.locator('#clear-panel .clear-criteria').count(), 1);
    assert.equal(await alice.page.locator('#create-panel').count(), 0, 'only admins get the create form');

    const type = unique('console_two');
    const title = `Two consoles ${type}`;
    const id = await harness.postAlert({ type, title, priority: 'critical', location: { region: 'DE-BY', lat: 48.1, lon: 11.6 },
      riskScore: 0.8 });
    await Promise.all([alice.waitForRow(id), oscar.waitForRow(id)]);
    assert.equal(await alice.page.locator(`${alice.row(id)} .title`).textContent(), title);
    assert.equal(await oscar.page.locator(`${oscar.row(id)} .region`).textContent(), 'DE-BY');

    await alice.page.locator(`${alice.row(id)} button.ack`).click();
    await oscar.waitFor('the acker\'s name in the operator\'s console',
      (i) => document.querySelector(`#alerts li[data-alert-id="${i}"] .acked-by`)?.textContent === 'Acknowledged by alice', id);
    await alice.waitFor('the ack confirmed in the viewer\'s own console',
      (i) => document.querySelector(`#alerts li[data-alert-id="${i}"]`)?.getAttribute('data-status') === 'acknowledged', id);

    // the Telegram/FCM link: alert-ingest redirects /alerts/{id} to the console, which opens the detail view with
    // the delivery records (operators and admins)
    const info = await harness.info();
    await oscar.page.goto(`${info.ingestUrl}/alerts/${id}`, { waitUntil: 'load' });
    await oscar.waitFor('the console live again after the link', () => document.documentElement.dataset['ready'] === 'true', undefined);
    await oscar.waitFor('the detail view of the linked alert', (t) => {
      const panel = document.getElementById('detail');
      return !!panel && !panel.hidden && panel.querySelector('h2')?.textContent === t && !!panel.querySelector('.deliveries');
    }, title);
    await oscar.waitFor('the delivery records loaded', () => {
      const s = document.querySelector('#detail .deliveries');
      return !!s && !/Loading/.test(s.textContent ?? '');
    }, undefined);
    await oscar.page.locator('#detail button.close').click();

    // the operator clears by criteria (this test's own type): gone from both consoles
    await oscar.page.locator('#clear-types').fill(type);
    await oscar.page.locator('.clear-criteria-submit').click();
    await oscar.page.locator('.confirm-yes').click();
    await Promise.all([alice.waitForNoRow(id), oscar.waitForNoRow(id)]);
    await oscar.waitFor('the clear result', () => /Cleared 1 alert/.test(document.querySelector('.clear-result')?.textContent ?? ''), undefined);
    // still shown, greyed, among the recently cleared
    assert.equal(await alice.page.locator(`#removed-alerts li[data-alert-id="${id}"]`).getAttribute('data-status'), 'cleared');
    assert.deepEqual([...alice.dialogs, ...oscar.dialogs], []);
  });
});

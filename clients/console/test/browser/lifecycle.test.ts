// The alert's life in the console (issue #19): the detail view offers what the user's roles allow and shows the
// timeline. An operator takes back their acknowledgment and resolves with a note (gone from the viewer's live list,
// the note on the timeline); a viewer gets the timeline but no actions; an admin retracts after confirming, and the
// alert disappears from the viewer's list without a "recently removed" trace. An operator assigns an alert to a group
// and a viewer adds a note: the second console sees both live (fields, notes, timeline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Console } from './support.js';
import { Console as Consoles, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

async function openDetail(c: Console, id: string, title: string): Promise<void> {
  await c.page.evaluate((i) => { window.location.hash = `#/alerts/${i}`; }, id);
  await c.waitFor('the detail view', (t) => {
    const panel = document.getElementById('detail');
    return !!panel && !panel.hidden && panel.querySelector('h2')?.textContent === t;
  }, title);
}

async function timelineKinds(c: Console, what: string, expected: string[]): Promise<void> {
  await c.waitFor(what, (kinds) => JSON.stringify([...document.querySelectorAll('#detail .timeline li')]
    .map((li) => li.getAttribute('data-kind'))) === JSON.stringify(kinds), expected);
}

test('timeline and role-bound actions: un-ack and resolve with a note, a viewer without actions, an admin retract', async () => {
  await withConsoles([
    Consoles.open(harness, 'lifecycle-viewer', 'vick', ['viewer', 'oncall']),
    Consoles.open(harness, 'lifecycle-operator', 'opal', ['operator', 'oncall']),
    Consoles.open(harness, 'lifecycle-admin', 'adam', ['admin']),
  ], async (viewer, operator, admin) => {
    const type = unique('console_life');
    const title = `Lifecycle ${type}`;
    const id = await harness.postAlert({ type, title, priority: 'high' });
    await Promise.all([viewer.waitForRow(id), operator.waitForRow(id)]);

    // the viewer: the timeline (created by admin), no actions
    await openDetail(viewer, id, title);
    await timelineKinds(viewer, 'the created entry', ['created']);
    assert.equal(await viewer.page.locator('#detail section.actions').count(), 0, 'a viewer may not act');
    assert.equal(await viewer.page.locator('#detail .timeline li .actor').textContent(), 'admin');

    // the operator acknowledges in the list, then takes it back in the detail view
    await operator.page.locator(`${operator.row(id)} button.ack`).click();
    await operator.waitFor('acknowledged', (i) => document.querySelector(`#alerts li[data-alert-id="${i}"]`)
      ?.getAttribute('data-status') === 'acknowledged', id);
    await openDetail(operator, id, title);
    assert.equal(await operator.page.locator('#detail button.retract').count(), 0, 'only admins retract');
    await operator.page.locator('#detail button.unack').click();
    await timelineKinds(operator, 'ack and un-ack on the timeline', ['created', 'acknowledged', 'unacknowledged']);
    await viewer.waitFor('the un-ack in the viewer\'s list', (i) => {
      const row = document.querySelector(`#alerts li[data-alert-id="${i}"]`);
      return !!row && row.getAttribute('data-status') !== 'acknowledged';
    }, id);
    assert.equal(await operator.page.locator('#detail button.unack').count(), 0, 'nothing left to take back');

    // resolve with a note: shown in the detail view, on both timelines, gone from the viewer's live list
    const note = `valve replaced <b>${type}</b>`;
    await operator.page.locator('#resolve-note').fill(note);
    await operator.page.locator('#detail button.resolve').click();
    await timelineKinds(operator, 'the resolution on the timeline', ['created', 'acknowledged', 'unacknowledged', 'resolved']);
    assert.equal(await operator.page.locator('#detail .timeline li[data-kind="resolved"] .note').textContent(), note,
      'the note, as text');
    await operator.waitFor('resolved by the operator in the fields', () =>
      [...document.querySelectorAll('#detail dd')].some((dd) => dd.textContent === 'opal'), undefined);
    await viewer.waitForNoRow(id);
    await timelineKinds(viewer, 'the viewer\'s timeline follows', ['created', 'acknowledged', 'unacknowledged', 'resolved']);
    assert.equal(await viewer.page.locator(`#removed-alerts li[data-alert-id="${id}"]`).getAttribute('data-status'), 'resolved');

    // an admin retracts another alert, after confirming: gone from the viewer's list, no trace among the removed
    const mistakeTitle = `Sent by mistake ${type}`;
    const mistake = await harness.postAlert({ type, title: mistakeTitle, priority: 'medium' });
    await Promise.all([viewer.waitForRow(mistake), admin.waitForRow(mistake)]);
    await openDetail(admin, mistake, mistakeTitle);
    await admin.page.locator('#detail button.retract').click();
    await admin.page.locator('#detail button.retract-confirm').click();
    await timelineKinds(admin, 'the retraction on the admin\'s timeline', ['created', 'retracted']);
    await Promise.all([viewer.waitForNoRow(mistake), admin.waitForNoRow(mistake)]);
    assert.equal(await viewer.page.locator(`#removed-alerts li[data-alert-id="${mistake}"]`).count(), 0);
    assert.deepEqual([...viewer.dialogs, ...operator.dialogs, ...admin.dialogs], []);
  });
});

test('assign and a note: the operator assigns, the viewer writes a note, each console sees the other\'s change live', async () => {
  await withConsoles([
    Consoles.open(harness, 'notes-viewer', 'vina', ['viewer', 'oncall']),
    Consoles.open(harness, 'notes-operator', 'omar', ['operator', 'oncall']),
  ], async (viewer, operator) => {
    const type = unique('console_notes');
    const title = `Notes ${type}`;
    const id = await harness.postAlert({ type, title, priority: 'high' });
    await Promise.all([viewer.waitForRow(id), operator.waitForRow(id)]);
    await openDetail(viewer, id, title);
    await openDetail(operator, id, title);
    assert.equal(await viewer.page.locator('#detail button.assign').count(), 0, 'a viewer may not assign');
    assert.equal(await viewer.page.locator('#detail #note-text').count(), 1, 'a viewer may add a note');

    // the operator assigns to a group: the viewer's fields and timeline follow live
    await operator.page.locator('#assign-kind').selectOption('group');
    await operator.page.locator('#assign-name').fill('oncall');
    await operator.page.locator('#detail button.assign').click();
    await timelineKinds(operator, 'the assignment on the timeline', ['created', 'assigned']);
    await viewer.waitFor('the assignee in the viewer\'s fields', () =>
      [...document.querySelectorAll('#detail dd')].some((dd) => dd.textContent === 'group oncall'), undefined);
    await timelineKinds(viewer, 'the viewer\'s timeline follows', ['created', 'assigned']);
    assert.equal(await viewer.page.locator('#detail .timeline li[data-kind="assigned"] .assignee').textContent(),
      'group oncall');

    // the viewer writes a note (markup stays text): the operator sees it live, newest last, and on the timeline
    const text = `pump 3 <i>${type}</i>`;
    await viewer.page.locator('#note-text').fill(text);
    await viewer.page.locator('#detail button.add-note').click();
    await viewer.waitFor('the note in the writer\'s list', (t) =>
      [...document.querySelectorAll('#detail .notes li .text')].some((p) => p.textContent === t), text);
    await operator.waitFor('the note live in the other console', (t) =>
      [...document.querySelectorAll('#detail .notes li .text')].map((p) => p.textContent).join('|') === t, text);
    assert.equal(await operator.page.locator('#detail .notes li .author').textContent(), 'vina');
    assert.equal(await operator.page.locator('#detail .notes li i').count(), 0, 'a note is text, never markup');
    await timelineKinds(operator, 'the note on the timeline', ['created', 'assigned', 'noted']);
    await operator.page.locator('#note-text').fill('second');
    await operator.page.locator('#detail button.add-note').click();
    await viewer.waitFor('both notes, newest last', (t) =>
      [...document.querySelectorAll('#detail .notes li .text')].map((p) => p.textContent).join('|') === t,
      `${text}|second`);
    assert.deepEqual([...viewer.dialogs, ...operator.dialogs], []);
  });
});


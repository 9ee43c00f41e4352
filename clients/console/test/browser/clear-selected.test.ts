// "Clear selected" clears exactly the selected alerts, by id: an unselected alert of the same priority and type,
// created between the selected ones (which the former approximation by criteria would have cleared too), stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Console, Harness, unique, withConsoles } from './support.js';

const harness = Harness.fromEnv();

test('clear selected clears exactly the selected alerts and leaves an unselected one of the same priority and type', async () => {
  await withConsoles([Console.open(harness, 'operator-olga', 'olga', ['operator', 'oncall'])], async (olga) => {
    const type = unique('console_selected');
    const first = await harness.postAlert({ type, title: `Selected first ${type}`, priority: 'medium' });
    const between = await harness.postAlert({ type, title: `Not selected ${type}`, priority: 'medium' });
    const last = await harness.postAlert({ type, title: `Selected last ${type}`, priority: 'medium' });
    await Promise.all([first, between, last].map((id) => olga.waitForRow(id)));

    await olga.page.locator(`${olga.row(first)} input.select`).check();
    await olga.page.locator(`${olga.row(last)} input.select`).check();
    assert.equal(await olga.page.locator('.clear-selected').textContent(), 'Clear selected (2)');
    await olga.page.locator('.clear-selected').click();
    // one plain confirmation: no count of extra alerts, no second question
    assert.equal(await olga.page.locator('.confirm p').textContent(), 'Clear the 2 selected alerts?');
    await olga.page.locator('.confirm-yes').click();

    await Promise.all([olga.waitForNoRow(first), olga.waitForNoRow(last)]);
    await olga.waitFor('the clear result', () => /Cleared 2 alerts\./.test(document.querySelector('.clear-result')?.textContent ?? ''), undefined);
    assert.equal(await olga.page.locator(olga.row(between)).count(), 1, 'the unselected alert is still listed');
    assert.equal(await olga.page.locator('.clear-selected').textContent(), 'Clear selected (0)');
    // and the store agrees
    for (const [id, status] of [[first, 'cleared'], [last, 'cleared'], [between, 'active']] as const) {
      assert.equal((await harness.rest<{ status: string }>('GET', `/api/v1/alerts/${id}`)).status, status, id);
    }
    assert.deepEqual(olga.dialogs, []);
  });
});

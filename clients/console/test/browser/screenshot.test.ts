// The console as the README shows it: a few alerts of each priority, one acknowledged, as the admin sees them.
// Saved under build-browser/artifacts/; with TOCSIN_UPDATE_SCREENSHOT=1 also as docs/images/console.png.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, Console, Harness, withConsoles } from './support.js';

const harness = Harness.fromEnv();

const ALERTS = [
  { priority: 'critical', type: 'outbreak_risk', title: 'Flood risk: river Isar above 5 m', source: 'gauge-munich-7', location: { region: 'DE-BY', lat: 48.14, lon: 11.58 }, riskScore: 0.92 },
  { priority: 'critical', type: 'system_health', title: 'Ingest queue stalled in eu-central', source: 'monitor-eu', location: { region: 'DE-HE', lat: 50.11, lon: 8.68 }, riskScore: 0.85 },
  { priority: 'high', type: 'outbreak_risk', title: 'Heat wave warning for Vienna', source: 'met-at', location: { region: 'AT-9', lat: 48.21, lon: 16.37 }, riskScore: 0.7 },
  { priority: 'high', type: 'data_quality', title: 'Sensor 12 reporting stale values', source: 'sensor-12', location: { region: 'CH-ZH', lat: 47.37, lon: 8.54 }, riskScore: 0.55 },
  { priority: 'medium', type: 'data_quality', title: 'Late batch from the Prague feed', source: 'feed-prague', location: { region: 'CZ-10', lat: 50.08, lon: 14.43 }, riskScore: 0.4 },
  { priority: 'low', type: 'system_health', title: 'Disk 70 % full on relay-2', source: 'relay-2', riskScore: 0.2 },
  { priority: 'info', type: 'system_health', title: 'Maintenance window tonight 02:00–03:00', source: 'ops' },
];

test('a screenshot of the console with alerts of each priority', async () => {
  await harness.clearAll();
  await withConsoles([Console.open(harness, 'screenshot-admin', 'admin', ['admin'], { width: 1360, height: 860 })], async (admin) => {
    const ids: string[] = [];
    for (const alert of ALERTS) ids.push(await harness.postAlert({ ...alert, message: `${alert.title}.` }));
    for (const id of ids) await admin.waitForRow(id);
    await admin.page.locator(`${admin.row(ids[3]!)} button.ack`).click();
    await admin.waitFor('the ack', (i) => !!document.querySelector(`#alerts li[data-alert-id="${i}"] .acked-by`), ids[3]!);
    await admin.waitFor('server stats', () => (document.querySelector('#stats-panel dl')?.childElementCount ?? 0) > 2, undefined);
    const path = await admin.screenshot('console', join(ARTIFACTS, 'console.png'));
    assert.ok(path);
    if (process.env['TOCSIN_UPDATE_SCREENSHOT'] === '1') {
      copyFileSync(path, join('..', '..', 'docs', 'images', 'console.png'));
      console.log('docs/images/console.png updated');
    }
  });
});

// The package README's browser example, run as written: its ```html block becomes a page (only the import path, the two
// service URLs and nothing else rewritten), and in headless Chromium it must show a live alert list that acknowledges on
// click. So the README's "under 20 lines" promise is checked, not just stated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Harness, Ingest } from '../support/e2e-harness.js';
import { ARTIFACTS, CHROMIUM_ARGS, chromiumPath } from './chromium.js';

/** The README's browser example: the first ```html block under "## In a browser". */
function readmeExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## In a browser'));
  const match = /```html\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README.md has an ```html example under "## In a browser"');
  return match[1]!;
}

test('the README browser example shows a live alert list and acknowledges on click', { timeout: 180_000 }, async () => {
  const example = readmeExample();
  const lines = example.trimEnd().split('\n').length;
  assert.ok(lines < 20, `the README's browser example is ${lines} lines; the package promises fewer than 20`);

  const harness = Harness.fromEnv();
  const info = await harness.info();
  const rewrite = (text: string, from: RegExp, to: string): string => {
    assert.match(text, from, `the example contains ${from}`);
    return text.replace(from, to);
  };
  let page = rewrite(example, /\.\/node_modules\/@tocsin\/client\/dist\/index\.js/, '/static/dist/index.js');
  page = rewrite(page, /ws:\/\/localhost:8080\/ws\/alerts/, info.gatewayWsUrl);
  page = rewrite(page, /http:\/\/localhost:8081/, info.ingestUrl);
  // Served by the control server from build-browser/ (not committed), so the page has the allowed origin.
  mkdirSync(join('build-browser', 'readme'), { recursive: true });
  writeFileSync(join('build-browser', 'readme', 'index.html'), `<!doctype html><meta charset="utf-8">\n${page}`);

  const profile = mkdtempSync(join(tmpdir(), 'tocsin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, chromiumSandbox: false, timeout: 60_000,
  });
  const consoleLines: string[] = [];
  try {
    const tab = context.pages()[0] ?? await context.newPage();
    tab.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    tab.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    // The example reads its token from session storage, as a signed-in app would have put it there.
    const token = await harness.token('ts-readme', ['operator']);
    await context.addInitScript((t) => sessionStorage.setItem('tocsin-token', t), token);
    await tab.goto(`${info.staticUrl}build-browser/readme/index.html`, { waitUntil: 'load', timeout: 30_000 });

    const ingest = new Ingest(harness);
    const titles: string[] = [];
    for (let n = 0; n < 3; n++) {
      await ingest.postAccepted(9000 + n, { title: `README drill ${n}` });
      titles.push(`README drill ${n}`);
    }
    const rows = (): Promise<string[]> => tab.$$eval('#alerts li', (items) => items.map((li) => li.textContent ?? ''));
    await tab.waitForFunction((wanted) => {
      const texts = Array.from(document.querySelectorAll('#alerts li')).map((li) => li.textContent ?? '');
      return wanted.every((title) => texts.filter((text) => text.includes(title)).length === 1);
    }, titles, { timeout: 60_000, polling: 100 });

    // A click acknowledges; the list re-renders with the acknowledger from the server's answer and the alert_ack.
    await tab.locator('#alerts li', { hasText: 'README drill 1' }).click();
    await tab.waitForFunction(() => Array.from(document.querySelectorAll('#alerts li'))
      .some((li) => (li.textContent ?? '').includes('README drill 1') && (li.textContent ?? '').includes('(ack ts-readme)')),
    undefined, { timeout: 30_000, polling: 100 });
    const shown = await rows();
    console.log(`readme example (${lines} lines): ${shown.filter((text) => text.includes('README drill')).join(' | ')}`);
    assert.equal(shown.filter((text) => text.includes('README drill')).length, 3, 'each posted alert listed once');
    mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: join(ARTIFACTS, 'readme-example.png'), fullPage: true }).catch(() => undefined);
  } catch (error) {
    if (consoleLines.length) console.log(`readme example: page console:\n  ${consoleLines.join('\n  ')}`);
    throw error;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

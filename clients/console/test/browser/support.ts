// Support for the console's browser tests: the e2e harness's control server (which runs the real, packaged services;
// ConsoleBrowserE2ETest starts it and sets TOCSIN_HARNESS_URL), REST calls as the dev admin, and a headless Chromium
// (Debian's, or CHROMIUM_PATH; playwright-core downloads none) with the console open and signed in.
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';

export interface HarnessInfo { gatewayWsUrl: string; ingestUrl: string; consoleUrl: string }

export const ARTIFACTS = join('build-browser', 'artifacts');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export class Harness {
  private cached: HarnessInfo | undefined;

  constructor(readonly url: string) {}

  static fromEnv(): Harness {
    const url = process.env['TOCSIN_HARNESS_URL'];
    if (!url) {
      throw new Error('TOCSIN_HARNESS_URL is not set: the console\'s browser tests run against the real services started '
        + 'by the e2e harness (./mvnw -B -pl e2e -am verify -Dtest=ConsoleBrowserE2ETest '
        + '-Dsurefire.failIfNoSpecifiedTests=false; see docs/console.md)');
    }
    return new Harness(url.replace(/\/$/, ''));
  }

  async info(): Promise<HarnessInfo> {
    this.cached ??= await this.call<HarnessInfo>('GET', '/info');
    return this.cached;
  }

  async token(user: string, groups: string[]): Promise<string> {
    return (await this.call<{ token: string }>('POST', '/token', { user, groups, ttlSeconds: 3600 })).token;
  }

  killGateway(): Promise<unknown> { return this.call('POST', '/gateway/kill'); }
  startGateway(): Promise<unknown> { return this.call('POST', '/gateway/start'); }

  /** POST /api/v1/alerts as the admin; returns the created alert's id. */
  async postAlert(alert: Record<string, unknown>): Promise<string> {
    const body = { priority: 'high', message: 'from the console browser test', source: 'browser-test', ...alert };
    const created = await this.rest<{ id: string }>('POST', '/api/v1/alerts', body);
    return created.id;
  }

  async clearAll(): Promise<number> {
    return (await this.rest<{ cleared: number }>('POST', '/api/v1/alerts/clear',
      { priorities: ['critical', 'high', 'medium', 'low', 'info'] })).cleared;
  }

  async rest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const info = await this.info();
    const admin = await this.token('admin', ['admin']);
    const response = await fetch(info.ingestUrl + path, {
      method,
      headers: { Authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`harness ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

/** One user's console in its own headless Chromium (fresh profile), signed in through the #token= fragment. */
export class Console {
  readonly log: string[] = [];
  readonly dialogs: string[] = [];

  /** The answer to the console page's request (its headers). */
  response: Response | null = null;

  private constructor(readonly name: string, readonly context: BrowserContext, readonly page: Page,
    private readonly profile: string) {}

  static async open(harness: Harness, name: string, user: string, groups: string[],
    viewport = { width: 1280, height: 900 }): Promise<Console> {
    const executablePath = chromiumPath();
    try {
      accessSync(executablePath, constants.X_OK);
    } catch {
      throw new Error(`Chromium not found at ${executablePath}: the console's browser tests drive Debian's chromium `
        + '(apt-get install -y --no-install-recommends chromium) or the browser CHROMIUM_PATH names');
    }
    const info = await harness.info();
    const token = await harness.token(user, groups);
    const profile = mkdtempSync(join(tmpdir(), 'tocsin-console-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: CHROMIUM_ARGS, chromiumSandbox: false, timeout: 60_000, viewport,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const c = new Console(name, context, page, profile);
    // the token is in the URL only for goto(); the page never logs it, and neither do we
    page.on('console', (m) => c.log.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => c.log.push(`[pageerror] ${e.message}`));
    page.on('dialog', (d) => {
      c.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    c.response = await page.goto(`${info.consoleUrl}#token=${encodeURIComponent(token)}`, { waitUntil: 'load', timeout: 30_000 });
    await c.waitFor('the console to be live', () => document.documentElement.dataset['ready'] === 'true', undefined);
    return c;
  }

  /** Waits in the page until `predicate(arg)` holds; fails after the deadline naming `what` and the page's state. */
  async waitFor<A>(what: string, predicate: (arg: A) => boolean, arg: A, timeoutMs = 60_000): Promise<void> {
    try {
      await this.page.waitForFunction(predicate as (a: unknown) => boolean, arg as unknown, { timeout: timeoutMs, polling: 100 });
    } catch (error) {
      const state = await this.page.evaluate(() => ({
        connection: document.getElementById('connection')?.textContent,
        note: document.getElementById('connection-note')?.textContent,
        rows: document.querySelectorAll('#alerts li').length,
        ready: document.documentElement.dataset['ready'],
        fatal: document.getElementById('fatal')?.textContent,
      })).catch(() => undefined);
      throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; page ${JSON.stringify(state)}; `
        + `console:\n  ${this.log.slice(-15).join('\n  ')}`, { cause: error });
    }
  }

  waitForRow(id: string, what = `alert ${id} in the list`): Promise<void> {
    return this.waitFor(what, (i) => document.querySelector(`#alerts li[data-alert-id="${i}"]`) !== null, id);
  }

  waitForNoRow(id: string): Promise<void> {
    return this.waitFor(`alert ${id} gone from the list`, (i) => document.querySelector(`#alerts li[data-alert-id="${i}"]`) === null, id);
  }

  row(id: string): string {
    return `#alerts li[data-alert-id="${id}"]`;
  }

  async screenshot(name: string, path = join(ARTIFACTS, `${name}.png`)): Promise<string | undefined> {
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      await this.page.screenshot({ path, fullPage: false, timeout: 15_000 });
      return path;
    } catch (error) {
      console.log(`screenshot ${name} failed: ${String(error)}`);
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.screenshot(this.name);
    try {
      await this.context.close();
    } finally {
      rmSync(this.profile, { recursive: true, force: true });
    }
  }
}

/** Opens consoles for `body`, closing them (after a screenshot each) whatever happens; prints their logs on failure. */
export async function withConsoles(consoles: Promise<Console>[], body: (...c: Console[]) => Promise<void>): Promise<void> {
  const settled = await Promise.allSettled(consoles);
  const opened = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await body(...opened);
  } catch (error) {
    for (const c of opened) if (c.log.length) console.log(`${c.name}: page console:\n  ${c.log.join('\n  ')}`);
    throw error;
  } finally {
    for (const c of opened) await c.close().catch(() => undefined);
  }
}

export function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

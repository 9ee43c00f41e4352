// Headless Chromium for the browser tests: Debian's `chromium` (or CHROMIUM_PATH) driven by playwright-core, which
// never downloads a browser. Each test gets a fresh profile (--user-data-dir) and the test page served by the harness
// control server, so the page's origin is the one the gateway and alert-ingest allow.
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Harness, HarnessInfo } from '../support/e2e-harness.js';

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

/**
 * The flags the issue asks for. Without the background-networking ones a closed network refuses Chromium's own
 * connections (component updates, sync, field trials) and it stalls; QUIC off keeps it on plain TCP.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Screenshots and other debugging output (not committed; `npm run test:browser` recreates the folder). */
export const ARTIFACTS = join('build-browser', 'artifacts');

/** What the page exposes on `window.tocsinPage` (test/browser/page.js), as the test reads it. */
export interface PageView {
  state: string;
  states: string[];
  alertCounts: Record<string, number>;
  errors: DescribedError[];
  stopped: { error: DescribedError | null } | null;
  sockets: { url: string; firstOffered: string; offered: number; protocol: string | null; opened: boolean;
    closeCode: number | null }[];
  acks: Record<string, AckOutcome>;
  connects: number;
  user: string | null;
  reloads: { reason: string; count: number }[];
}

/** The live `window.tocsinPage` object, as predicates running in the page see it. */
export interface PageApi extends PageView {
  /** The ids the page holds neither as an `alert` event nor in its store. */
  missing(ids: string[]): string[];
}

export interface DescribedError {
  name: string; message: string; code?: string; status?: number; reason?: string; retryAfterSeconds?: number;
  closeCode?: number; closeReason?: string; reconnect?: boolean;
}

export type AckOutcome =
  | { alertId: string; acknowledgedBy: string; acknowledgedAt: string; already: boolean; version: number; error?: never }
  | { error: DescribedError };

export interface StoreRow { id: string; title: string; status: string; acknowledgedBy: string | null }

/** A Chromium with one page of the test page; `close()` removes its profile. */
export class BrowserPage {
  readonly consoleLines: string[] = [];

  private constructor(readonly context: BrowserContext, readonly page: Page, private readonly profile: string) {}

  /**
   * Launches Chromium (with `extraArgs` after {@link CHROMIUM_ARGS}) and opens `${staticUrl}test/browser/index.html`
   * (or `pageUrl`).
   */
  static async open(info: HarnessInfo, pageUrl = `${info.staticUrl}test/browser/index.html`, extraArgs: string[] = []):
    Promise<BrowserPage> {
    const executablePath = chromiumPath();
    try {
      accessSync(executablePath, constants.X_OK);
    } catch {
      throw new Error(`Chromium not found at ${executablePath}: the browser tests drive Debian's chromium `
        + '(apt-get install chromium) or the browser CHROMIUM_PATH names; playwright-core downloads none');
    }
    const profile = mkdtempSync(join(tmpdir(), 'tocsin-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], chromiumSandbox: false, timeout: 60_000,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const browserPage = new BrowserPage(context, page, profile);
    // The page's console is echoed on failure only; the page never logs the token.
    page.on('console', (message) => browserPage.consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserPage.consoleLines.push(`[pageerror] ${error.message}`));
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true', undefined, { timeout: 30_000 });
    return browserPage;
  }

  /**
   * Starts the page's client with a token handed over through page.evaluate (never the URL, never logged) and waits
   * until it is live or stopped.
   */
  async startClient(info: HarnessInfo, token: string, options: { apiUrl?: string | null; gatewayUrl?: string } = {}):
    Promise<void> {
    const config = {
      gatewayUrl: options.gatewayUrl ?? info.gatewayWsUrl,
      apiUrl: options.apiUrl === null ? undefined : options.apiUrl ?? info.ingestUrl,
      token,
    };
    await this.page.evaluate((c) => {
      void (window as unknown as { tocsinPage: { start(c: unknown): Promise<void> } }).tocsinPage.start(c);
    }, config);
  }

  /** A snapshot of `window.tocsinPage`'s data. */
  view(): Promise<PageView> {
    return this.page.evaluate(() => {
      const p = (window as unknown as { tocsinPage: PageView }).tocsinPage;
      return JSON.parse(JSON.stringify({
        state: p.state, states: p.states, alertCounts: p.alertCounts, errors: p.errors, stopped: p.stopped,
        sockets: p.sockets, acks: p.acks, connects: p.connects, user: p.user, reloads: p.reloads,
      })) as PageView;
    });
  }

  store(): Promise<StoreRow[]> {
    return this.page.evaluate(() => (window as unknown as { tocsinPage: { store(): StoreRow[] } }).tocsinPage.store());
  }

  /**
   * Waits, inside the page, until `predicate(window.tocsinPage)` holds; fails after `timeoutMs` with `what` and the
   * page's state. The predicate runs in the browser: it must be self-contained.
   */
  async waitFor<A>(what: string, predicate: (page: PageApi, arg: A) => boolean, arg: A, timeoutMs = 60_000):
    Promise<void> {
    try {
      await this.page.waitForFunction(
        ({ source, arg: a }) => {
          const check = new Function(`return (${source});`)() as (p: unknown, a: unknown) => boolean;
          return check((window as unknown as { tocsinPage: unknown }).tocsinPage, a);
        },
        { source: predicate.toString(), arg }, { timeout: timeoutMs, polling: 100 });
    } catch (error) {
      const view = await this.view().catch(() => undefined);
      throw new Error(`timed out after ${timeoutMs} ms waiting in the page for ${what}; page state `
        + `${view?.state} (states ${view?.states.join(' → ')}), ${Object.keys(view?.alertCounts ?? {}).length} alerts, `
        + `errors ${JSON.stringify(view?.errors.slice(-3))}`, { cause: error });
    }
  }

  /** A full-page screenshot under build-browser/artifacts/, for debugging; never fails the test. */
  async screenshot(name: string): Promise<string | undefined> {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await this.page.screenshot({ path, fullPage: true, timeout: 15_000 });
      return path;
    } catch (error) {
      console.log(`screenshot ${name} failed: ${String(error)}`);
      return undefined;
    }
  }

  async close(): Promise<void> {
    try {
      await this.page.evaluate(() => (window as unknown as { tocsinPage: { stop(): void } }).tocsinPage.stop())
        .catch(() => undefined);
      await this.context.close();
    } finally {
      rmSync(this.profile, { recursive: true, force: true });
    }
  }
}

/**
 * Opens the page, runs `body`, then screenshots (as `name`) and closes whatever happened; on failure the page's
 * console is printed.
 */
export async function withPage(harness: Harness, name: string, body: (page: BrowserPage, info: HarnessInfo) => Promise<void>,
  options: { pageUrl?: (info: HarnessInfo) => string; extraArgs?: string[] } = {}): Promise<void> {
  const info = await harness.info();
  const browserPage = await BrowserPage.open(info, options.pageUrl?.(info), options.extraArgs);
  try {
    await body(browserPage, info);
  } catch (error) {
    if (browserPage.consoleLines.length) console.log(`${name}: page console:\n  ${browserPage.consoleLines.join('\n  ')}`);
    throw error;
  } finally {
    const path = await browserPage.screenshot(name);
    if (path) console.log(`${name}: screenshot ${path}`);
    await browserPage.close();
  }
}

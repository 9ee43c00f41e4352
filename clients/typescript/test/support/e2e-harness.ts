// (test/support/harness.ts is the unit tests' fake-gateway harness; this one drives the real services.)
// Typed calls to the e2e harness's control server (e2e/src/test/java/dev/tocsin/e2e/harness/ControlServer.java),
// which runs the real packaged services and injects their faults. TypeScriptClientE2ETest starts it and sets
// TOCSIN_HARNESS_URL; by hand: ./mvnw -B -o -pl e2e verify -Dtest=TypeScriptClientE2ETest -Dtocsin.harness.serve=true
// then `TOCSIN_HARNESS_URL=<printed url> npm run test:integration`.

export interface HarnessInfo {
  /** ws://127.0.0.1:<port>/ws/alerts */
  gatewayWsUrl: string;
  /** http://127.0.0.1:<port> (the handshake check, admin API) */
  gatewayHttpUrl: string;
  /** alert-ingest's REST API base URL */
  ingestUrl: string;
  /** the control server's origin: the browser test page's origin, allowed by both services */
  origin: string;
  /** where the control server serves clients/typescript/ files: `${origin}/static/` */
  staticUrl: string;
}

export interface TokenOptions {
  ttlSeconds?: number;
  /** ISO-8601 or epoch seconds; default now */
  issuedAt?: string | number;
}

/** A cuttable network path to the gateway for one client: a real offline period for that client only. */
export interface Proxy {
  id: string;
  gatewayWsUrl: string;
  gatewayHttpUrl: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export class Harness {
  private infoCache: HarnessInfo | undefined;

  constructor(readonly url: string) {}

  /** From TOCSIN_HARNESS_URL; throws a clear error when it is not set (these tests need the real services). */
  static fromEnv(): Harness {
    const url = process.env['TOCSIN_HARNESS_URL'];
    if (!url) {
      throw new Error('TOCSIN_HARNESS_URL is not set: the integration tests run against the real services started by '
        + 'the e2e harness (./mvnw -pl e2e verify -Dtest=TypeScriptClientE2ETest, see clients/typescript/README.md)');
    }
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
      throw new Error(`no global WebSocket in Node ${process.version}: Node 20 needs --experimental-websocket (the `
        + 'test:integration script passes it), Node 22+ has it by default');
    }
    return new Harness(url.replace(/\/$/, ''));
  }

  async info(): Promise<HarnessInfo> {
    this.infoCache ??= await this.call<HarnessInfo>('GET', '/info');
    return this.infoCache;
  }

  async token(user: string, groups: string[], options: TokenOptions = {}): Promise<string> {
    return (await this.call<{ token: string }>('POST', '/token', { user, groups, ...options })).token;
  }

  /** A token provider for TocsinClient that asks the harness for a fresh token each time, and counts the calls. */
  tokenProvider(user: string, groups: string[], options: TokenOptions = {}): (() => Promise<string>) & { calls: number } {
    const provider = Object.assign(async () => {
      provider.calls++;
      return this.token(user, groups, options);
    }, { calls: 0 });
    return provider;
  }

  killGateway(): Promise<unknown> { return this.call('POST', '/gateway/kill'); }
  /** Same port; resolves when the gateway is ready. */
  startGateway(): Promise<unknown> { return this.call('POST', '/gateway/start'); }
  killIngest(): Promise<unknown> { return this.call('POST', '/ingest/kill'); }
  startIngest(): Promise<unknown> { return this.call('POST', '/ingest/start'); }
  restartRedis(): Promise<unknown> { return this.call('POST', '/redis/restart'); }
  /** The next published event starts a new epoch (Redis lost `<prefix>epoch` and the history). */
  changeEpoch(): Promise<{ previousEpoch?: string }> { return this.call('POST', '/epoch/change'); }
  /** The ban the gateway writes after repeated rate-limit violations. */
  ban(user: string, seconds?: number): Promise<{ user: string; until: string; seconds: number }> {
    return this.call('POST', '/ban', seconds === undefined ? { user } : { user, seconds });
  }
  stop(): Promise<unknown> { return this.call('POST', '/stop'); }

  async proxy(): Promise<Proxy> {
    const created = await this.call<{ id: string; gatewayWsUrl: string; gatewayHttpUrl: string }>('POST', '/proxy');
    return {
      ...created,
      cut: async () => { await this.call('POST', '/proxy/cut', { id: created.id }); },
      restore: async () => { await this.call('POST', '/proxy/restore', { id: created.id }); },
    };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`harness ${method} ${path}: ${response.status} ${text}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}

/** Waits until `condition` holds, polling; fails with `what` after the deadline. A deadline, never a bare sleep. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string,
  timeoutMs = 60_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface PostedAlert { id: string; number: number }

/** alert-ingest's REST API as an admin (posting) or as a client's user (reading, the REST view). */
export class Ingest {
  constructor(private readonly harness: Harness) {}

  /** POST /api/v1/alerts; the created alert's id on 201, else undefined (ingest down, timeout, other status). */
  private adminToken: Promise<string> | undefined;

  async post(number: number, fields: Record<string, unknown> = {}): Promise<string | undefined> {
    const { ingestUrl } = await this.harness.info();
    this.adminToken ??= this.harness.token('ts-admin', ['admin']); // valid for an hour
    const token = await this.adminToken;
    try {
      const response = await fetch(`${ingestUrl}/api/v1/alerts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          priority: number % 5 === 0 ? 'critical' : 'medium', type: 'system_health', title: `TS drill ${number}`,
          message: 'm', source: 'ts-integration', metadata: { testNumber: number }, ...fields,
        }),
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status !== 201) return undefined;
      return ((await response.json()) as { id: string }).id;
    } catch {
      return undefined;
    }
  }

  /** Posts until one is answered 201 (retrying through outages); returns its id. */
  async postAccepted(number: number, fields: Record<string, unknown> = {}): Promise<string> {
    for (;;) {
      const id = await this.post(number, fields);
      if (id) return id;
      await new Promise((resolve) => setTimeout(resolve, 200)); // retry pacing, not a synchronisation
    }
  }

  /** What is on screen now for `user`: GET /api/v1/alerts?status=active,acknowledged, every page. */
  async activeIds(user: string, groups: string[]): Promise<Set<string>> {
    const { ingestUrl } = await this.harness.info();
    const token = await this.harness.token(user, groups);
    const ids = new Set<string>();
    for (let page = 0; ; page++) {
      const response = await fetch(`${ingestUrl}/api/v1/alerts?status=active,acknowledged&size=200&page=${page}`, {
        headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`GET alerts: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { items: { id: string }[] };
      body.items.forEach((item) => ids.add(item.id));
      if (body.items.length < 200) return ids;
    }
  }
}

/**
 * Posts alerts one after another, retrying through outages, like the Java fault test's poster; an alert counts once
 * its POST was answered 201.
 */
export class Poster {
  readonly accepted = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly ingest: Ingest) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      let number = 0;
      while (this.running) {
        const id = await this.ingest.post(number);
        if (id) {
          this.accepted.set(id, number);
          number++;
        }
        await new Promise((resolve) => setTimeout(resolve, 40)); // the posting rate, not a synchronisation
      }
    })();
  }

  /** Waits until `count` more alerts were accepted. */
  async awaitAccepted(count: number, timeoutMs = 90_000): Promise<void> {
    const target = this.accepted.size + count;
    await waitFor(() => this.accepted.size >= target, `${target} accepted alerts (have ${this.accepted.size})`, timeoutMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

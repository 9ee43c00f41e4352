import { TocsinClient, type TocsinClientOptions, type TocsinEvents } from '../../src/index.js';
import type { Alert } from '../../src/protocol.js';
import type { FetchLike } from '../../src/rest.js';
import { FakeClock, flush } from './fake-clock.js';
import { fakeGateway, type FakeWebSocket } from './fake-websocket.js';
import { greeting, recovered } from './frames.js';

export const GATEWAY = 'ws://gateway.test:8080/ws/alerts';
export const API = 'http://ingest.test:8081';

/** alert-ingest's list and the gateway's check endpoint, as a fake `fetch`. */
export class FakeRest {
  alerts: Alert[] = [];
  epoch = 'e1';
  seq = 0;
  /** Status of GET /ws/alerts/check (404: not there yet) and its problem body. */
  check: { status: number; body?: Record<string, unknown> } = { status: 404 };
  /** Answers the next list calls with this status (then goes back to 200). */
  failNext: number[] = [];
  readonly calls: { url: string; authorization?: string }[] = [];

  readonly fetch: FetchLike = async (url, init) => {
    const authorization = init?.headers?.Authorization;
    this.calls.push({ url, ...(authorization !== undefined ? { authorization } : {}) });
    const parsed = new URL(url);
    if (parsed.pathname.endsWith('/ws/alerts/check')) {
      const { status, body } = this.check;
      return { ok: status >= 200 && status < 300, status, json: async () => body ?? null };
    }
    const failure = this.failNext.shift();
    if (failure !== undefined) return { ok: false, status: failure, json: async () => ({ status: failure }) };
    const page = Number(parsed.searchParams.get('page'));
    const size = Number(parsed.searchParams.get('size'));
    const items = this.alerts.slice(page * size, (page + 1) * size);
    return { ok: true, status: 200,
      json: async () => ({ items, page, size, total: this.alerts.length, epoch: this.epoch, seq: this.seq }) };
  };

  listCalls(): number {
    return this.calls.filter((c) => c.url.includes('/api/v1/alerts')).length;
  }
}

export type Recorded = { [K in keyof TocsinEvents]: TocsinEvents[K][] };

export function setup(options: Partial<TocsinClientOptions> = {}) {
  const clock = new FakeClock();
  const gateway = fakeGateway();
  const rest = new FakeRest();
  const client = new TocsinClient({
    gatewayUrl: GATEWAY, token: 'token-1', WebSocket: gateway.WebSocket, fetch: rest.fetch, timers: clock,
    now: clock.now, random: () => 0.5, ...options,
  });
  const events: Recorded = { state: [], connected: [], recovering: [], recovered: [], reloaded: [], gap: [], alert: [],
    change: [], note: [], error: [], stopped: [] };
  for (const name of Object.keys(events) as (keyof TocsinEvents)[]) {
    client.on(name, (e) => (events[name] as unknown[]).push(e));
  }
  return { clock, gateway, rest, client, events };
}

/** Plays the gateway through a connection: open, greeting, answers the `sync` as recovered. */
export async function acceptConnection(socket: FakeWebSocket, epoch: string, cursor: string, replay: () => void = () => undefined):
  Promise<void> {
  socket.open();
  socket.receive(greeting(epoch, cursor));
  await flush();
  const sync = socket.sentOf('sync')[0];
  if (!sync) throw new Error('no sync sent');
  replay();
  socket.receive(recovered(sync.id, epoch, typeof sync.since === 'string' && sync.epoch === epoch ? sync.since : cursor));
  await flush();
}

/** Polls a condition over flushed event-loop turns (no real time involved). */
export async function until(condition: () => boolean, what: string, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (condition()) return;
    await flush(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

import type { BackoffOptions } from './backoff.js';
import type { TocsinError } from './errors.js';
import type { Alert, AlertFilters, AlertNote, GapReason } from './protocol.js';
import type { ReloadReason } from './reload.js';
import type { FetchLike } from './rest.js';
import type { TokenTransport, WebSocketConstructor } from './socket.js';
import type { AlertStoreChange } from './store.js';
import type { Timers } from './timers.js';

/** Returns the current token; called before every (re)connect and REST call, so it may refresh one. */
export type TokenProvider = () => string | Promise<string>;

export interface TocsinClientOptions {
  /** `ws(s)://host:port/ws/alerts`. */
  gatewayUrl: string;
  /** `http(s)://ingest-host:port` of alert-ingest; needed for the first load and REST reloads. */
  apiUrl?: string;
  token: string | TokenProvider;
  /** Default `'subprotocol'` (bearer-token-carrier); `'query'` puts the token in the URL: only when asked. */
  tokenTransport?: TokenTransport;
  /** Default `globalThis.WebSocket` (browsers, Node 22+; on Node 20 pass one, e.g. from `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Default `globalThis.fetch`. Used for the REST list and `GET /ws/alerts/check`. */
  fetch?: FetchLike;
  /** Re-applied after every reconnect; null: none. */
  filters?: AlertFilters | null;
  /** Group subscriptions; undefined: the server's default (all the token's groups). Re-applied after every reconnect. */
  groups?: string[];
  reconnect?: BackoffOptions;
  /** An ack/clear/request sent and not answered within this rejects with ActionTimeoutError (default 10 000). */
  actionTimeoutMs?: number;
  /** A connection attempt without a greeting, or whose sync is not answered, within this is dropped and retried (default 15 000). */
  connectTimeoutMs?: number;
  /** Default true when `apiUrl` is set: REST active+acknowledged alerts, then live frames (the first-load recipe). */
  firstLoad?: boolean;
  /** For tests: randomness of the backoff jitter. */
  random?: () => number;
  /** For tests: the clock (ms since the epoch). */
  now?: () => number;
  /** For tests: timers (default the global setTimeout/clearTimeout). */
  timers?: Timers;
}

export type ConnectionState = 'idle' | 'connecting' | 'recovering' | 'live' | 'reconnecting' | 'stopped';

export interface AckResult { alertId: string; acknowledgedBy: string; acknowledgedAt: string; already: boolean; version: number }
export interface ClearResult { cleared: number }
/** The answer to resolve, unack and assign: the alert as stored after the request. */
export interface ActionResult { alertId: string; version: number; alert: Alert }
export interface ConnectionStats {
  received: number; sent: number; dropped: number; latencyMs: { avg: number; max: number; samples: number };
  connectedAt: string;
}

export interface TocsinEvents {
  /** `reconnecting` carries when the next attempt is due (`now()` clock) and how many came before. */
  state: { state: ConnectionState; nextAttemptAt?: number; attempt?: number };
  connected: { connectionId: string; user: string };
  /** A reconnect sent `sync` from the stored position. */
  recovering: { since?: string; epoch?: string };
  recovered: { count: number; fromSeq?: number; toSeq?: number };
  /** The store was rebuilt from the REST list (plus the frames that arrived meanwhile). */
  reloaded: { reason: ReloadReason; count: number };
  gap: { fromSeq: number; toSeq: number; dropped: number; reason: GapReason };
  /** Each new alert once (duplicates dropped); `replayed` when it came in a `sync` replay. */
  alert: { alert: Alert; seq: number; epoch: string; replayed: boolean };
  change: AlertStoreChange;
  /** A note added to an alert this connection sees (live or replayed by `sync`), once: duplicates are dropped. */
  note: { alertId: string; note: AlertNote; noteCount: number; seq: number; epoch: string };
  /** Non-fatal problems: a refused handshake or a close that will be retried, an `error` frame without ref. */
  error: TocsinError;
  /** Fatal (4500–4999 close, 401/403 refusal) with `error`, or `stop()` without. */
  stopped: { error?: TocsinError };
}

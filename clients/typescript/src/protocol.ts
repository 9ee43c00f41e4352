/**
 * Protocol v1.1 (docs/protocol.md) as TypeScript types: every server and client frame, discriminated on `type`.
 * test/schema.test.ts checks each type against docs/schema/websocket so the two cannot drift.
 */

export const PRIORITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Opaque position handed back in `sync.since` (e.g. `"42"`, `"41;critical=43"`). Never parse it. */
export type Cursor = string;
/** An ISO-8601 / RFC 3339 instant in UTC. */
export type Instant = string;

export const ERROR_CODES = [
  'malformed_json', 'unknown_type', 'invalid_message', 'frame_too_large', 'forbidden', 'unknown_alert', 'conflict',
  'rate_limited', 'unavailable', 'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The close-code table of docs/protocol.md: 4000–4499 reconnect, 4500–4999 do not. */
export const CLOSE_CODES = {
  shutdown: 4000,
  heartbeat_timeout: 4001,
  slow_consumer: 4002,
  token_expired: 4003,
  unauthorized: 4500,
  banned: 4501,
  protocol_violation: 4502,
} as const;
export type CloseCodeName = keyof typeof CLOSE_CODES;

export type UpdateStatus = 'updated' | 'cleared' | 'expired' | 'resolved' | 'deleted';
/** `retracted` alerts reach admins over REST only; clients get `alert_update` `deleted` for them. */
export type AlertStatus = 'active' | 'cleared' | 'expired' | 'resolved' | 'retracted';
export type AlertChange =
  | 'created' | 'updated' | 'acknowledged' | 'unacknowledged' | 'cleared' | 'expired' | 'resolved' | 'retracted'
  | 'assigned' | 'noted';
export type SyncReason = 'history_trimmed' | 'epoch_changed' | 'too_many_events';
export type GapReason = 'slow_consumer' | 'history_trimmed';

/** Who an alert is assigned to: one user or one group, by name. */
export interface Assignee { kind: 'user' | 'group'; id: string }
/** What `assign` names: a user or a group. */
export type AssigneeTarget = { user: string; group?: never } | { group: string; user?: never };
/** A note on an alert; never part of the alert (only `noteCount` is). */
export interface AlertNote { id: string; author: string; at: Instant; text: string }

export interface AlertLocation { lat?: number; lon?: number; region?: string }
export interface AlertAudience { everyone: boolean; users: string[]; groups: string[] }

/** An alert as the gateway and the REST API send it (docs/schema/websocket/alert.json). */
export interface Alert {
  id: string;
  /** Absent when the stored value could not be read; treated as `medium`. */
  priority?: Priority;
  type: string;
  title: string;
  message: string;
  source: string;
  location?: AlertLocation;
  riskScore?: number;
  confidence?: number;
  affectedPopulation?: number;
  actionRequired: boolean;
  actionUrl?: string;
  expiresAt?: Instant;
  createdAt: Instant;
  updatedAt?: Instant;
  audience: AlertAudience;
  metadata?: Record<string, unknown>;
  status?: AlertStatus;
  acknowledged?: boolean;
  acknowledgedBy?: string;
  acknowledgedAt?: Instant;
  clearedBy?: string;
  clearedAt?: Instant;
  resolvedBy?: string;
  resolvedAt?: Instant;
  /** The resolver's note. */
  resolution?: string;
  lastChange?: AlertChange;
  escalationGroup?: string;
  version: number;
  assignee?: Assignee;
  /** Who assigned it, or took the assignment back, last. */
  assignedBy?: string;
  assignedAt?: Instant;
  /** How many notes the alert has (read them with `GET /api/v1/alerts/{id}/notes`); absent from older servers. */
  noteCount?: number;
}

export interface BoundingBox { minLat: number; minLon: number; maxLat: number; maxLon: number }
export interface Circle { lat: number; lon: number; radiusKm: number }
export type Area = { bbox: BoundingBox; circle?: never } | { circle: Circle; bbox?: never };

/** Filters of `update_filters` (docs/schema/websocket/filters.json). */
export interface AlertFilters {
  priorities?: Priority[];
  types?: string[];
  regions?: string[];
  area?: Area;
  minRiskScore?: number;
  /** Written by the server (true when nothing filters); ignored when sent. */
  empty?: boolean;
}

/**
 * Criteria of `clear`; at least one must be given, and an alert must match every one given. An empty `priorities` or
 * `types` list is none; `ids` (1 to {@link MAX_CLEAR_IDS} alert ids, a repeated one counts once) clears exactly those
 * alerts the user may see, and an empty `ids` is refused rather than read as "any alert".
 */
export interface ClearCriteria { ids?: string[]; priorities?: Priority[]; types?: string[]; olderThan?: Instant }

/** Most alert ids one `clear` may name; clear a larger selection in several requests. */
export const MAX_CLEAR_IDS = 200;

// ---------------------------------------------------------------- server → client

interface ServerBase { v: 1 }

export interface ConnectionLimits {
  maxFrameBytes: number; messagesPerMinute: number; maxConnectionsPerUser: number;
  batchWindowMs: number; maxBatchSize: number; outboundQueueSize: number;
}

export interface ConnectionEstablishedFrame extends ServerBase {
  type: 'connection_established';
  connectionId: string; user: string; serverTime: Instant; heartbeatIntervalMs: number; limits: ConnectionLimits;
  /** Absent before the first event ever. */
  epoch?: string;
  seq: number;
  cursor: Cursor;
}

/** The event part of an `alert` frame; also one entry of `alert_batch` (which has no `type`/`v`/`cursor`). */
/** `op` is `updated` only for an alert from the offline inbox that changed since it was created (the alert as it is now). */
export interface NewAlertEvent { epoch: string; seq: number; op: 'created' | 'updated'; alertId: string; version: number; alert: Alert }

export interface AlertFrame extends ServerBase, NewAlertEvent { type: 'alert'; cursor?: Cursor }

export interface AlertBatchFrame extends ServerBase {
  type: 'alert_batch'; epoch: string; alerts: NewAlertEvent[];
  /** Applies after all entries. */
  cursor?: Cursor;
}

interface AlertUpdateBase extends ServerBase {
  type: 'alert_update'; epoch: string; seq: number; alertId: string; cursor?: Cursor;
}
export interface AlertChangedUpdate extends AlertUpdateBase {
  status: 'updated' | 'cleared' | 'expired' | 'resolved'; version: number; alert: Alert;
}
/** A delete is final: no version, no alert. */
export interface AlertDeletedUpdate extends AlertUpdateBase { status: 'deleted'; version?: never; alert?: never }
export type AlertUpdateFrame = AlertChangedUpdate | AlertDeletedUpdate;

export interface AlertAckFrame extends ServerBase {
  type: 'alert_ack'; epoch: string; seq: number; alertId: string; acknowledgedBy: string; acknowledgedAt: Instant;
  version: number; cursor?: Cursor;
}

export interface AckResultFrame extends ServerBase {
  type: 'ack_result'; ref?: string; alertId: string; acknowledgedBy: string; acknowledgedAt: Instant; already: boolean;
  version: number;
}

export interface ClearResultFrame extends ServerBase { type: 'clear_result'; ref?: string; cleared: number }

/** A note added to an alert the connection sees; it does not change the alert's version. */
export interface AlertNoteFrame extends ServerBase {
  type: 'alert_note'; epoch: string; seq: number; alertId: string; note: AlertNote; noteCount: number; cursor?: Cursor;
}

export interface ActionResultFrame extends ServerBase {
  type: 'action_result'; ref?: string; action: 'resolve' | 'unack' | 'assign'; alertId: string; version: number;
  alert: Alert;
}

export interface NoteResultFrame extends ServerBase { type: 'note_result'; ref?: string; alertId: string; note: AlertNote }

export interface SubscriptionResponseFrame extends ServerBase {
  type: 'subscription_response'; ref?: string; groups: string[]; filters?: AlertFilters;
}

export interface ServerPingFrame extends ServerBase { type: 'ping'; serverTime: Instant; epoch?: string; cursor?: Cursor }
export interface ServerPongFrame extends ServerBase { type: 'pong'; ref?: string; serverTime: Instant }

export interface RateLimitWarningFrame extends ServerBase {
  type: 'rate_limit_warning'; ref?: string; limit: number; retryAfterMs: number; violations: number;
}

export interface ConnectionStatsFrame extends ServerBase {
  type: 'connection_stats'; ref?: string; received: number; sent: number; dropped: number;
  latencyMs: { avg: number; max: number; samples: number }; connectedAt: Instant;
}

export interface GapFrame extends ServerBase {
  type: 'gap';
  /** -1 when the dropped frames named no position. */
  fromSeq: number; toSeq: number; dropped: number; reason: GapReason; epoch?: string; cursor?: Cursor;
}

interface SyncResponseBase extends ServerBase { type: 'sync_response'; ref?: string; epoch?: string; cursor?: Cursor }
export interface SyncRecoveredFrame extends SyncResponseBase {
  recovered: true; fromSeq: number; toSeq: number; count: number; reason?: never; seq?: number;
}
export interface SyncNotRecoveredFrame extends SyncResponseBase {
  recovered: false; reason: SyncReason; seq: number; fromSeq?: number; toSeq?: number; count?: number;
}
export type SyncResponseFrame = SyncRecoveredFrame | SyncNotRecoveredFrame;

export interface InboxFrame extends ServerBase { type: 'inbox'; delivered: number; dropped: number }

export interface ErrorFrame extends ServerBase { type: 'error'; code: ErrorCode; message: string; ref?: string }

export type ServerFrame =
  | ConnectionEstablishedFrame | AlertFrame | AlertBatchFrame | AlertUpdateFrame | AlertAckFrame | AckResultFrame
  | ClearResultFrame | SubscriptionResponseFrame | ServerPingFrame | ServerPongFrame | RateLimitWarningFrame
  | ConnectionStatsFrame | GapFrame | SyncResponseFrame | InboxFrame | ErrorFrame | AlertNoteFrame | ActionResultFrame
  | NoteResultFrame;
export type ServerFrameType = ServerFrame['type'];

/** Every server frame type of v1.1 (the `type` enum of server-message.json). */
export const SERVER_FRAME_TYPES = [
  'connection_established', 'alert', 'alert_batch', 'alert_update', 'alert_ack', 'ack_result', 'clear_result',
  'subscription_response', 'ping', 'pong', 'rate_limit_warning', 'connection_stats', 'gap', 'sync_response', 'inbox',
  'error', 'alert_note', 'action_result', 'note_result',
] as const satisfies readonly ServerFrameType[];

// ---------------------------------------------------------------- client → server

interface ClientBase {
  /** Request id (≤ 64 chars), echoed as `ref` by the answer. */
  id?: string;
}
export interface ClientPingMessage extends ClientBase { type: 'ping' }
export interface ClientPongMessage extends ClientBase { type: 'pong' }
export interface SubscribeMessage extends ClientBase { type: 'subscribe'; groups: string[] }
export interface UnsubscribeMessage extends ClientBase { type: 'unsubscribe'; groups: string[] }
export interface UpdateFiltersMessage extends ClientBase { type: 'update_filters'; filters?: AlertFilters | null }
export interface AckMessage extends ClientBase { type: 'ack'; alertId: string }
export interface ClearMessage extends ClientBase, ClearCriteria { type: 'clear' }
export interface GetStatsMessage extends ClientBase { type: 'get_stats' }
export interface ResolveMessage extends ClientBase { type: 'resolve'; alertId: string; note?: string }
export interface UnackMessage extends ClientBase { type: 'unack'; alertId: string }
/** Exactly one of `user` and `group`; neither takes the assignment back. */
export interface AssignMessage extends ClientBase { type: 'assign'; alertId: string; user?: string; group?: string }
export interface NoteMessage extends ClientBase { type: 'note'; alertId: string; text: string }
export interface SyncMessage extends ClientBase {
  type: 'sync';
  /** The last cursor received, or a seq; 0 for none. */
  since: Cursor | number;
  /** Required unless `since` is 0. */
  epoch?: string;
  lastSyncTimestamp?: Instant;
  priorities?: Priority[];
  includeAcknowledged?: boolean;
  maxCount?: number;
}

export type ClientFrame =
  | ClientPingMessage | ClientPongMessage | SubscribeMessage | UnsubscribeMessage | UpdateFiltersMessage | AckMessage
  | ClearMessage | GetStatsMessage | SyncMessage | ResolveMessage | UnackMessage | AssignMessage | NoteMessage;
export type ClientFrameType = ClientFrame['type'];

/** Every client message type of v1.1 (the `type` enum of client-message.json). */
export const CLIENT_FRAME_TYPES = [
  'ping', 'pong', 'subscribe', 'unsubscribe', 'update_filters', 'ack', 'clear', 'get_stats', 'sync', 'resolve',
  'unack', 'assign', 'note',
] as const satisfies readonly ClientFrameType[];

const SERVER_TYPES: ReadonlySet<string> = new Set(SERVER_FRAME_TYPES);

/**
 * Reads one text frame. Returns undefined for what a v1 client must skip: non-JSON, non-objects and `type`s this
 * version does not know (the protocol allows new types; unknown fields are kept and ignored).
 */
export function parseServerFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !SERVER_TYPES.has(type)) return undefined;
  return value as ServerFrame;
}

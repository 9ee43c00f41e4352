import { RequestTracker, type RequestBody } from './actions.js';
import { Backoff } from './backoff.js';
import { watchBrowserSignals, browserOffline } from './browser-signals.js';
import { decideAfterClose, decideAfterHandshake, type ReconnectDecision } from './close-policy.js';
import { SeenEvents } from './dedupe.js';
import {
  ActionFailedError, ClientStoppedError, ConnectionClosedError, HandshakeRefusedError, TocsinError,
} from './errors.js';
import { Emitter } from './events.js';
import { Liveness } from './liveness.js';
import type {
  AckResult, ActionResult, ClearResult, ConnectionState, ConnectionStats, TocsinClientOptions, TocsinEvents,
} from './options.js';
import { Position } from './position.js';
import {
  MAX_CLEAR_IDS, parseServerFrame, type AlertFilters, type AlertNote, type AssigneeTarget, type AssignMessage,
  type ResolveMessage, type ClearCriteria, type ClearMessage, type ConnectionEstablishedFrame, type NewAlertEvent,
  type ServerFrame, type SubscriptionResponseFrame, type SyncResponseFrame,
} from './protocol.js';
import { Reload, type ReloadReason } from './reload.js';
import { fetchOpenAlerts, type FetchLike } from './rest.js';
import { checkHandshake, Socket, socketTarget, type WebSocketConstructor } from './socket.js';
import { AlertStore, type StoreEvent } from './store.js';
import { Subscriptions } from './subscriptions.js';
import { defaultTimers, type Timers } from './timers.js';

/** One connection attempt and what is known about it. */
interface Connection {
  socket: Socket;
  greeted: boolean;
  /** The client had a position before this connection: its `sync` resumes. */
  resuming: boolean;
  syncId?: string;
  synced: boolean;
  reconciled: boolean;
  timer?: unknown;
}

const ALERT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An id in `clear.ids`: what alert-ingest gives alerts (a MongoDB ObjectId as hex); the gateway refuses others. */
const CLEAR_ID = /^[0-9a-fA-F]{24}$/;

/**
 * The Tocsin client: one WebSocket at a time, reconnected with backoff, resumed with `sync` from the stored cursor,
 * reloaded over REST when the history cannot serve it, feeding an {@link AlertStore}; ack/clear survive disconnects.
 */
export class TocsinClient {
  readonly alerts = new AlertStore();
  private readonly events = new Emitter<TocsinEvents>();
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  private readonly restBackoff: Backoff;
  /** Delays between `sync` requests the gateway answered `unavailable` (its history could not be read). */
  private readonly syncBackoff: Backoff;
  private readonly requests: RequestTracker;
  private readonly liveness: Liveness;
  private readonly seen = new SeenEvents();
  private readonly positionState = new Position();
  private readonly subscriptions: Subscriptions;
  private readonly WebSocketCtor: WebSocketConstructor | undefined;
  private readonly fetchFn: FetchLike | undefined;
  private stateValue: ConnectionState = 'idle';
  private conn: Connection | undefined;
  private reload: Reload | undefined;
  private needsReload: ReloadReason | undefined;
  private reconnectTimer: unknown;
  /** The pending reconnect waits out a ban: waking up early would only be refused again. */
  private waitingOutBan = false;
  private shutdownRetried = false;
  private tokenRetried = false;
  private nextRequest = 0;
  private liveWaiters: { resolve(): void; reject(error: Error): void }[] = [];
  private stopSignals: (() => void) | undefined;

  constructor(private readonly options: TocsinClientOptions) {
    if (!options.gatewayUrl) throw new TypeError('gatewayUrl is required');
    this.timers = options.timers ?? defaultTimers;
    this.now = options.now ?? Date.now;
    this.backoff = new Backoff(options.reconnect, options.random);
    this.restBackoff = new Backoff(options.reconnect, options.random);
    this.syncBackoff = new Backoff(options.reconnect, options.random);
    this.WebSocketCtor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    this.fetchFn = options.fetch ?? (globalFetch ? globalFetch.bind(globalThis) : undefined);
    this.requests = new RequestTracker(this.timers, options.actionTimeoutMs ?? 10_000, () => `r${++this.nextRequest}`);
    this.liveness = new Liveness(this.timers, () => this.onSilence());
    this.subscriptions = new Subscriptions(options.groups, options.filters);
    if (options.firstLoad ?? options.apiUrl !== undefined) this.needsReload = 'first_load';
    this.alerts.subscribe((change) => this.events.emit('change', change));
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The stored resume position (epoch + opaque cursor). */
  get position(): { epoch?: string; cursor?: string } {
    const position: { epoch?: string; cursor?: string } = {};
    if (this.positionState.epoch !== undefined) position.epoch = this.positionState.epoch;
    if (this.positionState.cursor !== undefined) position.cursor = this.positionState.cursor;
    return position;
  }

  on<K extends keyof TocsinEvents>(event: K, listener: (e: TocsinEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Connects; resolves when live (first load done), rejects on a fatal refusal or `stop()`. */
  start(): Promise<void> {
    if (this.stateValue === 'idle') {
      if (!this.WebSocketCtor) {
        return Promise.reject(new TocsinError('no_websocket', 'no WebSocket: pass options.WebSocket'));
      }
      this.stopSignals = watchBrowserSignals({ onWake: () => this.wake() });
      void this.connect();
    }
    return this.whenLive();
  }

  /** Closes for good; pending actions reject with ClientStoppedError. */
  stop(): void {
    this.halt(undefined);
  }

  /** Acknowledges an alert; queued while offline, sent once when live, re-sent if a reconnect lost the answer. */
  async ack(alertId: string): Promise<AckResult> {
    if (!ALERT_ID.test(alertId)) throw new ActionFailedError('invalid_message', `not an alert id: ${alertId}`);
    const frame = await this.durable({ type: 'ack', alertId });
    if (frame.type !== 'ack_result') throw unexpected(frame);
    return {
      alertId: frame.alertId, acknowledgedBy: frame.acknowledgedBy, acknowledgedAt: frame.acknowledgedAt,
      already: frame.already, version: frame.version,
    };
  }

  /**
   * Clears alerts by criteria (at least one; `ids` for a selection); same queueing as {@link ack}. An empty `ids`
   * rejects here: dropping it would widen the clear to whatever the other criteria match.
   */
  async clear(criteria: ClearCriteria): Promise<ClearResult> {
    const body: Omit<ClearMessage, 'id'> = { type: 'clear' };
    if (criteria.ids !== undefined) {
      const ids = [...new Set(criteria.ids)];
      const bad = ids.find((id) => !CLEAR_ID.test(id));
      if (!ids.length || ids.length > MAX_CLEAR_IDS || bad !== undefined) {
        throw new ActionFailedError('invalid_message', bad !== undefined ? `ids: not an alert id: ${bad}`
          : `ids: give 1 to ${MAX_CLEAR_IDS} alert ids`);
      }
      body.ids = ids;
    }
    if (criteria.priorities?.length) body.priorities = [...criteria.priorities];
    if (criteria.types?.length) body.types = [...criteria.types];
    if (criteria.olderThan) body.olderThan = criteria.olderThan;
    if (!body.ids && !body.priorities && !body.types && !body.olderThan) {
      throw new ActionFailedError('invalid_message', 'clear needs at least one criterion');
    }
    const frame = await this.durable(body);
    if (frame.type !== 'clear_result') throw unexpected(frame);
    return { cleared: frame.cleared };
  }

  /** Resolves an alert (operator, admin) with an optional note; queued and re-sent like {@link ack} (idempotent). */
  async resolve(alertId: string, note?: string): Promise<ActionResult> {
    const body: Omit<ResolveMessage, 'id'> = { type: 'resolve', alertId: checkedAlertId(alertId) };
    if (note !== undefined && note.trim() !== '') body.note = note;
    return actionResult(await this.durable(body));
  }

  /** Takes the user's acknowledgment back (an admin: anyone's); queued and re-sent like {@link ack}. */
  async unack(alertId: string): Promise<ActionResult> {
    return actionResult(await this.durable({ type: 'unack', alertId: checkedAlertId(alertId) }));
  }

  /**
   * Assigns an alert to a user or a group (operator, admin), or takes the assignment back with `null`; queued and
   * re-sent like {@link ack} (an assignment in force changes nothing).
   */
  async assign(alertId: string, target: AssigneeTarget | null): Promise<ActionResult> {
    const body: Omit<AssignMessage, 'id'> = { type: 'assign', alertId: checkedAlertId(alertId) };
    if (target?.user !== undefined) body.user = target.user;
    else if (target?.group !== undefined) body.group = target.group;
    return actionResult(await this.durable(body));
  }

  /**
   * Adds a note to an alert the user sees. Unlike the other actions it is not queued while offline nor re-sent after a
   * reconnect lost its answer (a second send would add it twice): it rejects instead, and the caller decides.
   */
  async addNote(alertId: string, text: string): Promise<AlertNote> {
    if (text.trim() === '') throw new ActionFailedError('invalid_message', 'text: required, not blank');
    if (this.stateValue === 'stopped') throw new ClientStoppedError();
    const frame = await this.requests.transient({ type: 'note', alertId: checkedAlertId(alertId), text }, notConnected);
    if (frame.type !== 'note_result') throw unexpected(frame);
    return frame.note;
  }

  /** Replaces the filters now and after every reconnect. */
  async setFilters(filters: AlertFilters | null): Promise<void> {
    this.subscriptions.wantedFilters = filters;
    await this.applySubscription({ type: 'update_filters', filters });
  }

  /** Adds groups (kept across reconnects); resolves with the groups in force. */
  async subscribe(groups: string[]): Promise<string[]> {
    await this.whenLive();
    return this.changeGroups(this.subscriptions.plusGroups(groups), { type: 'subscribe', groups });
  }

  /** Drops groups (kept across reconnects); resolves with the groups in force. */
  async unsubscribe(groups: string[]): Promise<string[]> {
    await this.whenLive();
    return this.changeGroups(this.subscriptions.minusGroups(groups), { type: 'unsubscribe', groups });
  }

  /** The connection's counters (`get_stats`); fails when not connected. */
  async stats(): Promise<ConnectionStats> {
    const frame = await this.requests.transient({ type: 'get_stats' }, notConnected);
    if (frame.type !== 'connection_stats') throw unexpected(frame);
    return { received: frame.received, sent: frame.sent, dropped: frame.dropped, latencyMs: frame.latencyMs,
      connectedAt: frame.connectedAt };
  }

  // ------------------------------------------------------------------ connecting

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    this.waitingOutBan = false;
    if (this.stateValue === 'stopped' || this.conn) return;
    this.setState('connecting');
    let token: string;
    try {
      token = await this.token();
    } catch (cause) {
      this.events.emit('error', new TocsinError('token_failed', 'the token provider failed', { cause }));
      this.act({ action: 'reconnect', when: 'backoff' });
      return;
    }
    if (this.isStopped() || this.conn) return;
    const target = socketTarget(this.options.gatewayUrl, token, this.options.tokenTransport ?? 'subprotocol');
    const ctor = this.WebSocketCtor as WebSocketConstructor;
    let conn: Connection | undefined;
    const handlers = {
      onOpen: () => undefined,
      onMessage: (data: unknown) => conn && this.onMessage(conn, data),
      onClose: (code: number, reason: string, opened: boolean) => conn && this.onClose(conn, code, reason, opened, token),
    };
    try {
      conn = { socket: new Socket(ctor, target, handlers), greeted: false, resuming: false, synced: false,
        reconciled: false };
    } catch (cause) {
      // A malformed URL or subprotocol: retrying changes nothing.
      this.halt(new TocsinError('invalid_url', `cannot open ${this.options.gatewayUrl}`, { cause }));
      return;
    }
    this.conn = conn;
    this.subscriptions.reset();
    const attempt = conn;
    attempt.timer = this.timers.setTimeout(() => {
      if (this.conn !== attempt || attempt.greeted) return;
      this.lose(attempt, new ConnectionClosedError(1006, 'no greeting in time', true));
    }, this.options.connectTimeoutMs ?? 15_000);
  }

  private onMessage(conn: Connection, data: unknown): void {
    if (this.conn !== conn) return;
    this.liveness.touch();
    const frame = parseServerFrame(data);
    if (frame) this.dispatch(conn, frame);
  }

  private dispatch(conn: Connection, frame: ServerFrame): void {
    switch (frame.type) {
      case 'connection_established':
        this.onGreeting(conn, frame);
        return;
      case 'alert':
        this.onNewAlert(conn, frame);
        break;
      case 'alert_batch':
        for (const entry of frame.alerts) this.onNewAlert(conn, entry);
        break; // the batch's cursor applies after all its entries
      case 'alert_update':
      case 'alert_ack':
        if (this.seen.add(frame.epoch, frame.seq)) this.applyEvent(frame);
        break;
      case 'alert_note':
        if (this.seen.add(frame.epoch, frame.seq)) {
          this.applyEvent(frame);
          this.events.emit('note', { alertId: frame.alertId, note: frame.note, noteCount: frame.noteCount,
            seq: frame.seq, epoch: frame.epoch });
        }
        break;
      case 'sync_response':
        this.onSyncResponse(conn, frame);
        return;
      case 'gap':
        this.events.emit('gap', { fromSeq: frame.fromSeq, toSeq: frame.toSeq, dropped: frame.dropped,
          reason: frame.reason });
        this.requestReload('gap');
        break;
      case 'inbox':
        if (frame.dropped > 0) this.requestReload('inbox_dropped');
        return;
      case 'ping':
        break;
      default:
        if (frame.type === 'error' && frame.ref !== undefined && frame.ref === conn.syncId && !conn.synced
            && frame.code === 'unavailable') {
          this.retrySync(conn);
          return;
        }
        if (!this.requests.answer(frame) && frame.type === 'error') {
          this.events.emit('error', new ActionFailedError(frame.code, frame.message));
        }
        return;
    }
    this.positionState.observe(frame);
  }

  private onGreeting(conn: Connection, frame: ConnectionEstablishedFrame): void {
    if (conn.greeted) return;
    conn.greeted = true;
    this.timers.clearTimeout(conn.timer);
    this.liveness.start(frame.heartbeatIntervalMs);
    conn.resuming = this.positionState.known;
    this.positionState.greet(frame);
    this.events.emit('connected', { connectionId: frame.connectionId, user: frame.user });
    this.setState('recovering');
    if (conn.resuming) this.events.emit('recovering', { since: this.positionState.cursor, epoch: this.positionState.epoch });
    // The first message, so the gateway's hold on connect ends and nothing overtakes the replay.
    this.sendSync(conn);
  }

  /** Sends `sync` from the stored position; its answer must come within connectTimeoutMs. */
  private sendSync(conn: Connection): void {
    conn.syncId = `r${++this.nextRequest}`;
    conn.socket.send(this.positionState.syncMessage(conn.syncId));
    conn.timer = this.timers.setTimeout(() => {
      if (this.conn === conn && !conn.synced) this.lose(conn, new ConnectionClosedError(1006, 'sync not answered in time', true));
    }, this.options.connectTimeoutMs ?? 15_000);
  }

  /**
   * The gateway could not read its history for this `sync` (a Redis hiccup, a reconnect storm): ask again on the same
   * connection after a backoff, from the position stored meanwhile (the gateway keeps it at what was asked). A new
   * connection would be handed again what this one already got. The answer's deadline starts over with each request.
   */
  private retrySync(conn: Connection): void {
    this.timers.clearTimeout(conn.timer);
    conn.timer = this.timers.setTimeout(() => {
      if (this.conn === conn && !conn.synced) this.sendSync(conn);
    }, this.syncBackoff.next());
  }

  private onNewAlert(conn: Connection, event: NewAlertEvent): void {
    if (!this.seen.add(event.epoch, event.seq)) return;
    this.events.emit('alert', { alert: event.alert, seq: event.seq, epoch: event.epoch,
      replayed: conn.resuming && !conn.synced });
    this.applyEvent(event);
  }

  private applyEvent(event: StoreEvent): void {
    if (this.reload) this.reload.hold(event);
    else this.alerts.apply(event);
  }

  private onSyncResponse(conn: Connection, frame: SyncResponseFrame): void {
    if (conn.synced) return;
    conn.synced = true;
    this.timers.clearTimeout(conn.timer);
    this.syncBackoff.reset();
    if (frame.recovered) {
      this.positionState.observe(frame);
      if (conn.resuming) {
        this.events.emit('recovered', { count: frame.count, fromSeq: frame.fromSeq, toSeq: frame.toSeq });
      }
    } else {
      // Continue from the response's position; what the history could not give comes from REST.
      this.positionState.set(frame.epoch ?? this.positionState.epoch, frame.cursor ?? String(frame.seq));
      if (this.needsReload !== 'first_load') this.needsReload = frame.reason;
    }
    this.requests.online((message) => conn.socket.send(message));
    void this.reconcile(conn);
    if (this.needsReload) void this.runReload(conn);
  }

  private async reconcile(conn: Connection): Promise<void> {
    try {
      await this.subscriptions.reconcile((body) => this.subscriptionRequest(body));
    } catch (error) {
      if (this.conn !== conn) return;
      // A group the token no longer carries: keep what the server allows rather than failing every reconnect.
      if (error instanceof ActionFailedError) {
        this.subscriptions.wantedGroups = this.subscriptions.knownGroups;
        this.events.emit('error', error);
      } else if (error instanceof TocsinError) {
        this.events.emit('error', error);
      }
    }
    if (this.conn !== conn) return;
    conn.reconciled = true;
    this.maybeLive(conn);
  }

  private requestReload(reason: ReloadReason): void {
    this.needsReload ??= reason;
    const conn = this.conn;
    if (conn?.synced && !this.reload) void this.runReload(conn);
  }

  private async runReload(conn: Connection): Promise<void> {
    const reason = this.needsReload;
    if (!reason || this.reload) return;
    if (!this.options.apiUrl || !this.fetchFn) {
      this.needsReload = undefined;
      this.events.emit('error', new TocsinError('reload_unavailable',
        `a REST reload (${reason}) is needed but no apiUrl/fetch is configured`));
      this.maybeLive(conn);
      return;
    }
    // Cleared now: a gap that arrives during this load asks for another one.
    this.needsReload = undefined;
    const reload = new Reload(reason, this.alerts);
    this.reload = reload;
    this.setState('recovering');
    for (;;) {
      try {
        const alerts = await fetchOpenAlerts(this.options.apiUrl, await this.token(), this.fetchFn);
        if (this.conn !== conn || this.reload !== reload) return;
        reload.complete(alerts);
        this.reload = undefined;
        this.restBackoff.reset();
        this.events.emit('reloaded', { reason, count: alerts.length });
        if (this.needsReload) void this.runReload(conn); // a gap arrived while loading
        else this.maybeLive(conn);
        return;
      } catch (error) {
        if (this.conn !== conn || this.reload !== reload) return;
        this.events.emit('error', error instanceof TocsinError ? error
          : new TocsinError('rest_failed', 'REST reload failed', { cause: error }));
        await new Promise<void>((resolve) => this.timers.setTimeout(resolve, this.restBackoff.next()));
        if (this.conn !== conn || this.reload !== reload) return;
      }
    }
  }

  private maybeLive(conn: Connection): void {
    if (this.conn !== conn || !conn.synced || !conn.reconciled || this.reload || this.needsReload) return;
    if (this.stateValue === 'live') return;
    this.backoff.reset();
    this.shutdownRetried = false;
    this.tokenRetried = false;
    this.setState('live');
    const waiters = this.liveWaiters.splice(0);
    for (const waiter of waiters) waiter.resolve();
  }

  // ------------------------------------------------------------------ losing a connection

  private onClose(conn: Connection, code: number, reason: string, opened: boolean, token: string): void {
    if (this.conn !== conn) return;
    this.drop(conn, new ConnectionClosedError(code, reason, true));
    if (!opened) {
      void this.diagnoseHandshake(token);
      return;
    }
    const decision = decideAfterClose(code, this.shutdownRetried);
    if (code === 4000 && decision.action === 'reconnect' && decision.when === 'now') this.shutdownRetried = true;
    const error = new ConnectionClosedError(code, reason, decision.action !== 'stop');
    if (decision.action === 'stop') this.halt(error);
    else {
      this.events.emit('error', error);
      this.act(decision);
    }
  }

  /** The socket failed before `open`: ask the gateway what it would answer, then follow the refusal table. */
  private async diagnoseHandshake(token: string): Promise<void> {
    this.setState('reconnecting');
    const check = await checkHandshake(this.options.gatewayUrl, token, this.fetchFn);
    if (this.stateValue === 'stopped' || this.conn) return;
    const decision = decideAfterHandshake(check, this.tokenRetried);
    const error = check.kind === 'refused'
      ? new HandshakeRefusedError(check.status, check.reason, check.retryAfterSeconds)
      : new ConnectionClosedError(1006, check.kind === 'unknown' ? (check.detail ?? 'unknown') : 'network', true);
    if (decision.action === 'stop') {
      this.halt(error);
      return;
    }
    if (check.kind === 'refused' && check.status === 401) this.tokenRetried = true;
    this.events.emit('error', error);
    this.act(decision);
  }

  /** Nothing heard for 2.5 heartbeat intervals: the connection is dead even if the socket does not know it. */
  private onSilence(): void {
    const conn = this.conn;
    if (conn) this.lose(conn, new ConnectionClosedError(1006, 'no frame within 2.5 heartbeat intervals', true));
  }

  private lose(conn: Connection, error: ConnectionClosedError): void {
    conn.socket.close(1000, error.closeReason);
    this.drop(conn, error);
    this.events.emit('error', error);
    this.act({ action: 'reconnect', when: 'backoff' });
  }

  /** Forgets a connection: durable requests wait for the next one, buffered frames go to the store. */
  private drop(conn: Connection, error: ConnectionClosedError): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.timers.clearTimeout(conn.timer);
    this.liveness.stop();
    this.requests.offline(error);
    if (this.reload) {
      this.needsReload ??= this.reload.reason; // the next connection loads again
      this.reload.abandon();
      this.reload = undefined;
    }
  }

  private act(decision: ReconnectDecision): void {
    if (this.stateValue === 'stopped') return;
    switch (decision.action) {
      case 'stop':
        this.halt(new TocsinError('stopped', 'stopped by policy'));
        return;
      case 'wait':
        this.schedule(decision.ms, true);
        return;
      case 'reconnect': {
        const delay = decision.when === 'now' ? 0 : this.backoff.next();
        // Offline browser: no point in trying before `online` (which wakes us); keep a slow fallback.
        this.schedule(browserOffline() ? Math.max(delay, this.options.reconnect?.maxDelayMs ?? 30_000) : delay, false);
      }
    }
  }

  private schedule(delayMs: number, ban: boolean): void {
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    this.waitingOutBan = ban;
    this.setState('reconnecting', { nextAttemptAt: this.now() + delayMs, attempt: this.backoff.attempt });
    this.reconnectTimer = this.timers.setTimeout(() => void this.connect(), delayMs);
  }

  /** Back online or visible: a pending reconnect goes now (a ban is waited out regardless). */
  private wake(): void {
    if (this.stateValue !== 'reconnecting' || this.reconnectTimer === undefined || this.waitingOutBan) return;
    this.timers.clearTimeout(this.reconnectTimer);
    void this.connect();
  }

  private halt(error: TocsinError | undefined): void {
    if (this.stateValue === 'stopped') return;
    const conn = this.conn;
    if (conn) {
      conn.socket.close(1000, 'client stopped');
      this.drop(conn, new ConnectionClosedError(1000, 'client stopped', false));
    }
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopSignals?.();
    this.setState('stopped');
    this.requests.stop(new ClientStoppedError(error ? `client stopped: ${error.message}` : 'client stopped'));
    const waiters = this.liveWaiters.splice(0);
    for (const waiter of waiters) waiter.reject(error ?? new ClientStoppedError());
    this.events.emit('stopped', error ? { error } : {});
  }

  // ------------------------------------------------------------------ helpers

  private setState(state: ConnectionState, extra: { nextAttemptAt?: number; attempt?: number } = {}): void {
    if (this.stateValue === state && state !== 'reconnecting') return;
    this.stateValue = state;
    this.events.emit('state', { state, ...extra });
  }

  /** Read through a method: TypeScript would keep a narrowing of `stateValue` across an `await`. */
  private isStopped(): boolean {
    return this.stateValue === 'stopped';
  }

  private whenLive(): Promise<void> {
    if (this.stateValue === 'live') return Promise.resolve();
    if (this.stateValue === 'stopped') return Promise.reject(new ClientStoppedError());
    return new Promise((resolve, reject) => this.liveWaiters.push({ resolve, reject }));
  }

  private async token(): Promise<string> {
    const token = this.options.token;
    return typeof token === 'function' ? await token() : token;
  }

  private durable(body: RequestBody): Promise<ServerFrame> {
    if (this.stateValue === 'stopped') return Promise.reject(new ClientStoppedError());
    return this.requests.durable(body);
  }

  private async subscriptionRequest(body: RequestBody): Promise<SubscriptionResponseFrame> {
    const frame = await this.requests.transient(body, notConnected);
    if (frame.type !== 'subscription_response') throw unexpected(frame);
    this.subscriptions.learn(frame);
    return frame;
  }

  /**
   * Sends a subscription change on the live connection. When the connection is not live (or drops before the
   * answer), the reconnect's re-apply carries the wanted state, so waiting for live is the answer.
   */
  private async applySubscription(body: RequestBody): Promise<void> {
    // Before the sync is answered the coming re-apply reads the wanted state; after it, send the change itself.
    if (!this.conn?.synced) {
      await this.whenLive();
      return;
    }
    try {
      await this.subscriptionRequest(body);
    } catch (error) {
      if (!(error instanceof ConnectionClosedError)) throw error;
      await this.whenLive();
    }
  }

  private async changeGroups(wanted: string[], body: RequestBody): Promise<string[]> {
    const before = this.subscriptions.wantedGroups;
    this.subscriptions.wantedGroups = wanted;
    try {
      await this.applySubscription(body);
    } catch (error) {
      if (error instanceof ActionFailedError) this.subscriptions.wantedGroups = before;
      throw error;
    }
    return [...(this.subscriptions.knownGroups ?? wanted)];
  }
}

function notConnected(): TocsinError {
  return new TocsinError('not_connected', 'not connected');
}

function unexpected(frame: ServerFrame): TocsinError {
  return new TocsinError('unexpected_answer', `unexpected answer: ${frame.type}`);
}

function checkedAlertId(alertId: string): string {
  if (!ALERT_ID.test(alertId)) throw new ActionFailedError('invalid_message', `not an alert id: ${alertId}`);
  return alertId;
}

function actionResult(frame: ServerFrame): ActionResult {
  if (frame.type !== 'action_result') throw unexpected(frame);
  return { alertId: frame.alertId, version: frame.version, alert: frame.alert };
}

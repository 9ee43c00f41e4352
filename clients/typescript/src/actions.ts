import { ActionFailedError, ActionTimeoutError, type TocsinError } from './errors.js';
import type { ClientFrame, ServerFrame } from './protocol.js';
import type { Timers } from './timers.js';

/** A client message before the tracker gives it its request id. */
export type RequestBody = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'id'> : never) : never;

interface Pending {
  frame: ClientFrame;
  /** Survives a disconnect: queued offline, sent when live, re-sent after a reconnect when unanswered. */
  durable: boolean;
  timer?: unknown;
  resolve(frame: ServerFrame): void;
  reject(error: Error): void;
}

/**
 * Requests and their answers, matched by `id`/`ref`. Durable requests (ack, clear) are idempotent on the server,
 * so re-sending one whose answer was lost with a connection is safe; others fail with the connection.
 */
export class RequestTracker {
  private readonly pending = new Map<string, Pending>();
  private sender: ((frame: ClientFrame) => void) | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly timeoutMs: number,
    private readonly nextId: () => string,
  ) {}

  /** An ack or clear: sent now when live, else queued until the connection is live again. */
  durable(body: RequestBody): Promise<ServerFrame> {
    return this.add(body, true);
  }

  /** A request for the current connection only; fails at once when there is none. */
  transient(body: RequestBody, offlineError: () => TocsinError): Promise<ServerFrame> {
    if (!this.sender) return Promise.reject(offlineError());
    return this.add(body, false);
  }

  /** The connection is live (after the sync): send every queued request, once. */
  online(send: (frame: ClientFrame) => void): void {
    this.sender = send;
    for (const [id, pending] of this.pending) {
      if (pending.timer === undefined) this.send(id, pending);
    }
  }

  /** The connection is gone: durable requests wait for the next one (timers stop), the others fail. */
  offline(error: TocsinError): void {
    this.sender = undefined;
    for (const [id, pending] of this.pending) {
      this.clearTimer(pending);
      if (!pending.durable) {
        this.pending.delete(id);
        pending.reject(error);
      }
    }
  }

  /** Settles the request a frame answers; false when the frame answers none of ours. */
  answer(frame: ServerFrame): boolean {
    const ref = 'ref' in frame ? frame.ref : undefined;
    if (ref === undefined) return false;
    const pending = this.pending.get(ref);
    if (!pending) return false;
    this.pending.delete(ref);
    this.clearTimer(pending);
    if (frame.type === 'error') pending.reject(new ActionFailedError(frame.code, frame.message));
    else if (frame.type === 'rate_limit_warning') {
      pending.reject(new ActionFailedError('rate_limited', `rate limited; retry after ${frame.retryAfterMs} ms`));
    } else pending.resolve(frame);
    return true;
  }

  /** Rejects everything (stop). */
  stop(error: Error): void {
    this.sender = undefined;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) {
      this.clearTimer(pending);
      pending.reject(error);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  private add(body: RequestBody, durable: boolean): Promise<ServerFrame> {
    const id = this.nextId();
    return new Promise<ServerFrame>((resolve, reject) => {
      const pending: Pending = { frame: { ...body, id } as ClientFrame, durable, resolve, reject };
      this.pending.set(id, pending);
      if (this.sender) this.send(id, pending);
    });
  }

  private send(id: string, pending: Pending): void {
    pending.timer = this.timers.setTimeout(() => {
      if (this.pending.get(id) !== pending) return;
      this.pending.delete(id);
      pending.reject(new ActionTimeoutError(`no answer to ${pending.frame.type} ${id} within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    this.sender?.(pending.frame);
  }

  private clearTimer(pending: Pending): void {
    if (pending.timer !== undefined) this.timers.clearTimeout(pending.timer);
    delete pending.timer;
  }
}

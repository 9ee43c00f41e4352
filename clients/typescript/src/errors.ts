import type { ErrorCode } from './protocol.js';

/** The base of every error this client raises; `code` is stable and machine-readable. */
export class TocsinError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The gateway refused the WebSocket handshake (as diagnosed through `GET /ws/alerts/check`). */
export class HandshakeRefusedError extends TocsinError {
  readonly status: number;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
  constructor(status: number, reason?: string, retryAfterSeconds?: number) {
    super(reason ?? `http_${status}`, `handshake refused: ${status}${reason ? ` (${reason})` : ''}`);
    this.status = status;
    if (reason !== undefined) this.reason = reason;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The connection closed; `reconnect` says whether the client goes on trying. */
export class ConnectionClosedError extends TocsinError {
  readonly closeCode: number;
  readonly closeReason: string;
  readonly reconnect: boolean;
  constructor(closeCode: number, closeReason: string, reconnect: boolean) {
    super('connection_closed', `connection closed: ${closeCode}${closeReason ? ` ${closeReason}` : ''}`);
    this.closeCode = closeCode;
    this.closeReason = closeReason;
    this.reconnect = reconnect;
  }
}

/** The server answered a request with an `error` frame (or the client refused to send an invalid one). */
export class ActionFailedError extends TocsinError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** A request was sent and not answered within `actionTimeoutMs`. */
export class ActionTimeoutError extends TocsinError {
  constructor(message = 'no answer in time') {
    super('action_timeout', message);
  }
}

/** The client was stopped (by `stop()` or a fatal refusal) before the request was answered. */
export class ClientStoppedError extends TocsinError {
  constructor(message = 'client stopped') {
    super('client_stopped', message);
  }
}

/** A REST call (first load or reload) failed; the client retries it. */
export class RestError extends TocsinError {
  readonly status?: number;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super('rest_failed', message, options);
    if (status !== undefined) this.status = status;
  }
}

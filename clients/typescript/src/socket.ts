import type { HandshakeCheck } from './close-policy.js';
import type { ClientFrame } from './protocol.js';
import type { FetchLike } from './rest.js';

/**
 * The part of the WebSocket API (browsers, Node 22+, undici, `ws`) the client uses. Listener parameters are
 * declared as methods so the DOM's own `WebSocket` class is assignable.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export type TokenTransport = 'subprotocol' | 'query';

/** The subprotocol Quarkus reads an `Authorization` header from (docs/protocol.md, Connecting). */
export const BEARER_SUBPROTOCOL = 'bearer-token-carrier';

/** Where and how to connect: the token rides in a subprotocol, or in the query string only when asked. */
export function socketTarget(gatewayUrl: string, token: string, transport: TokenTransport):
  { url: string; protocols?: string[] } {
  if (transport === 'query') {
    const url = new URL(gatewayUrl);
    url.searchParams.set('access_token', token);
    return { url: url.toString() };
  }
  return {
    url: gatewayUrl,
    protocols: [BEARER_SUBPROTOCOL, `quarkus-http-upgrade#Authorization#Bearer%20${encodeURIComponent(token)}`],
  };
}

/** `ws(s)://host/ws/alerts` → `http(s)://host/ws/alerts/check`: why a handshake would be refused. */
export function handshakeCheckUrl(gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/check`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * Browsers and undici report a refused handshake only as close 1006, so ask the gateway what it would answer.
 * 204: accepted now; 404: the gateway has no such endpoint (unknown); else the status and its problem body.
 */
export async function checkHandshake(gatewayUrl: string, token: string, fetchFn: FetchLike | undefined):
  Promise<HandshakeCheck> {
  if (!fetchFn) return { kind: 'unknown', detail: 'no fetch' };
  try {
    const response = await fetchFn(handshakeCheckUrl(gatewayUrl), { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 204 || response.ok) return { kind: 'accepted' };
    if (response.status === 404) return { kind: 'unknown', detail: 'no check endpoint' };
    const check: HandshakeCheck & { kind: 'refused' } = { kind: 'refused', status: response.status };
    try {
      const body = (await response.json()) as { reason?: unknown; retryAfterSeconds?: unknown } | null;
      if (typeof body?.reason === 'string') check.reason = body.reason;
      if (typeof body?.retryAfterSeconds === 'number') check.retryAfterSeconds = body.retryAfterSeconds;
    } catch {
      // no readable problem body: the status alone decides
    }
    return check;
  } catch (error) {
    return { kind: 'unknown', detail: String(error) };
  }
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  /** `opened` false: the handshake failed (or the network did) before `open`. */
  onClose(code: number, reason: string, opened: boolean): void;
}

/** One connection attempt. After `close()` or `detach()` no handler is called again. */
export class Socket {
  private readonly ws: WebSocketLike;
  private attached = true;
  private opened = false;

  constructor(ctor: WebSocketConstructor, target: { url: string; protocols?: string[] }, handlers: SocketHandlers) {
    this.ws = target.protocols ? new ctor(target.url, target.protocols) : new ctor(target.url);
    this.ws.addEventListener('open', () => {
      if (!this.attached) return;
      this.opened = true;
      handlers.onOpen();
    });
    this.ws.addEventListener('message', (event) => {
      if (this.attached) handlers.onMessage(event.data);
    });
    // Browsers follow `error` with `close`, which carries what there is to know; Node 20's undici WebSocket fires only
    // `error` for a refused handshake, so an error before `open` ends the attempt itself.
    this.ws.addEventListener('error', () => {
      if (!this.attached || this.opened) return;
      this.attached = false;
      handlers.onClose(1006, 'handshake failed', false);
    });
    this.ws.addEventListener('close', (event) => {
      if (!this.attached) return;
      this.attached = false;
      handlers.onClose(event.code, event.reason, this.opened);
    });
  }

  get isOpen(): boolean {
    return this.attached && this.opened;
  }

  send(frame: ClientFrame): void {
    if (this.attached) this.ws.send(JSON.stringify(frame));
  }

  /** Closes from this side; the caller handles the consequences itself (no onClose). */
  close(code = 1000, reason = ''): void {
    this.attached = false;
    try {
      this.ws.close(code, reason);
    } catch {
      // already closing
    }
  }
}

import type { WebSocketLike } from '../../src/socket.js';
import type { ClientFrame, ServerFrame } from '../../src/protocol.js';
import { assertFrame } from './schemas.js';

type Listener = (event: never) => void;

/**
 * A test double of the browser's WebSocket: the test plays the gateway. Every frame the client sends and every frame
 * the test makes the "server" send is checked against the protocol's JSON Schemas.
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  closedByClient: { code?: number; reason?: string } | undefined;
  /** Groups of this connection, for the automatic answers to update_filters/subscribe/unsubscribe. */
  groups: string[] = ['direct', 'everyone', 'ops'];
  autoSubscriptions = true;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string, readonly protocols?: string | string[]) {}

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as ClientFrame;
    assertFrame('client', frame);
    this.sent.push(frame);
    if (this.autoSubscriptions) this.answerSubscription(frame);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) };
    const wasOpen = this.readyState === 1;
    this.readyState = 3;
    if (wasOpen) queueMicrotask(() => this.emit('close', { code: code ?? 1005, reason: reason ?? '' }));
  }

  // ---------------------------------------------------------------- the server's side

  open(): void {
    this.readyState = 1;
    this.emit('open', {});
  }

  receive(frame: ServerFrame | Record<string, unknown>, validate = true): void {
    if (validate) assertFrame('server', frame);
    this.emit('message', { data: JSON.stringify(frame) });
  }

  receiveRaw(data: string): void {
    this.emit('message', { data });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }

  /** What a browser sees of a refused handshake: an error, then close 1006, never `open`. */
  failHandshake(): void {
    this.readyState = 3;
    this.emit('error', {});
    this.emit('close', { code: 1006, reason: '' });
  }

  /** What Node 20's undici WebSocket does on a refused handshake: `error` and no `close`. */
  failHandshakeWithoutClose(): void {
    this.readyState = 3;
    this.emit('error', {});
  }

  sentOf<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }

  private answerSubscription(frame: ClientFrame): void {
    let groups = this.groups;
    if (frame.type === 'subscribe') groups = [...new Set([...groups, ...frame.groups])].sort();
    else if (frame.type === 'unsubscribe') groups = groups.filter((g) => !frame.groups.includes(g));
    else if (frame.type !== 'update_filters') return;
    this.groups = groups;
    const answer: ServerFrame = { type: 'subscription_response', v: 1, groups: [...groups] };
    if (frame.id !== undefined) answer.ref = frame.id;
    queueMicrotask(() => this.receive(answer));
  }

  private emit(type: string, event: object): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) (listener as (e: object) => void)(event);
  }
}

/** A gateway's worth of sockets: each test gets its own class so instances do not leak between tests. */
export function fakeGateway(): { WebSocket: new (url: string, protocols?: string | string[]) => FakeWebSocket;
  sockets: FakeWebSocket[]; last(): FakeWebSocket } {
  const sockets: FakeWebSocket[] = [];
  class GatewaySocket extends FakeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return {
    WebSocket: GatewaySocket,
    sockets,
    last() {
      const socket = sockets[sockets.length - 1];
      if (!socket) throw new Error('no socket opened');
      return socket;
    },
  };
}

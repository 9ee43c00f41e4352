export { TocsinClient } from './client.js';
export type {
  AckResult, ActionResult, ClearResult, ConnectionState, ConnectionStats, TocsinClientOptions, TocsinEvents, TokenProvider,
} from './options.js';
export { AlertStore } from './store.js';
export type { AlertEntry, AlertStoreChange, RemovalStatus } from './store.js';
export {
  ActionFailedError, ActionTimeoutError, ClientStoppedError, ConnectionClosedError, HandshakeRefusedError, RestError,
  TocsinError,
} from './errors.js';
export { Backoff, BACKOFF_DEFAULTS } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { decideAfterClose, decideAfterHandshake } from './close-policy.js';
export type { HandshakeCheck, ReconnectDecision } from './close-policy.js';
export type { ReloadReason } from './reload.js';
export type { FetchLike } from './rest.js';
export { BEARER_SUBPROTOCOL, handshakeCheckUrl } from './socket.js';
export type { TokenTransport, WebSocketConstructor, WebSocketLike } from './socket.js';
export type { Timers } from './timers.js';
export * from './protocol.js';

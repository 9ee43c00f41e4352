/** What to do after a connection ends: the close-code table and the handshake refusals of docs/protocol.md. */

export type ReconnectDecision =
  | { action: 'reconnect'; when: 'now' | 'backoff' }
  | { action: 'wait'; ms: number }
  | { action: 'stop' };

/** The diagnosis of a handshake that failed before `open` (from `GET /ws/alerts/check`). */
export type HandshakeCheck =
  | { kind: 'accepted' }
  | { kind: 'refused'; status: number; reason?: string; retryAfterSeconds?: number }
  | { kind: 'unknown'; detail?: string };

/**
 * After a close of an open connection. `shutdownRetried`: a 4000 was already answered by an immediate reconnect
 * since the client was last live (a draining gateway sends everyone 4000: the first reconnect goes at once to another
 * replica, a second in a row backs off).
 */
export function decideAfterClose(code: number, shutdownRetried: boolean): ReconnectDecision {
  if (code === 4000) return { action: 'reconnect', when: shutdownRetried ? 'backoff' : 'now' };
  if (code >= 4500 && code <= 4999) return { action: 'stop' };
  // 4001–4499, 1000–3999, 1006 and anything unknown: the server or the network may recover.
  return { action: 'reconnect', when: 'backoff' };
}

/**
 * After a handshake that failed before `open`. `tokenRetried`: a 401 was already retried with a freshly provided
 * token since the client was last live.
 */
export function decideAfterHandshake(check: HandshakeCheck, tokenRetried: boolean): ReconnectDecision {
  if (check.kind !== 'refused') return { action: 'reconnect', when: 'backoff' };
  switch (check.status) {
    case 401:
      // The provider may hand out a fresh token: one immediate retry, then give up.
      return tokenRetried ? { action: 'stop' } : { action: 'reconnect', when: 'now' };
    case 403:
      if (check.reason === 'banned') {
        return check.retryAfterSeconds !== undefined
          ? { action: 'wait', ms: check.retryAfterSeconds * 1000 }
          : { action: 'reconnect', when: 'backoff' };
      }
      return { action: 'stop' }; // roles or origin: nothing changes by retrying
    default:
      return { action: 'reconnect', when: 'backoff' }; // 429, 503 and anything else
  }
}

/**
 * Browser hints that a connection can be tried now: `online`, and the page becoming visible (timers are throttled in
 * hidden tabs, so a backoff may have stretched). Never disconnects on hide. No-ops where there is no `window`
 * (Node, workers without these events).
 */
export interface BrowserSignalHandlers {
  /** The network or the page is back: a waiting reconnect may go now. */
  onWake(): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export function watchBrowserSignals(handlers: BrowserSignalHandlers, scope: object = globalThis): () => void {
  const target = (scope as { window?: EventTargetLike }).window;
  const doc = (scope as { document?: EventTargetLike & { visibilityState?: string } }).document;
  if (!target || typeof target.addEventListener !== 'function') return () => undefined;
  const onOnline = (): void => handlers.onWake();
  const onVisibility = (): void => {
    if (doc?.visibilityState === 'visible') handlers.onWake();
  };
  target.addEventListener('online', onOnline);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('online', onOnline);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Whether the browser says it is offline (then a reconnect waits for `online`); false where unknown. */
export function browserOffline(scope: object = globalThis): boolean {
  const navigator = (scope as { navigator?: { onLine?: boolean } }).navigator;
  return typeof (scope as { window?: unknown }).window === 'object' && navigator?.onLine === false;
}

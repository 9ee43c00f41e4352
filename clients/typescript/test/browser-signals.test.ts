import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchBrowserSignals } from '../src/browser-signals.js';

class FakeTarget {
  readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, l: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: () => void): void {
    this.listeners.get(type)?.delete(l);
  }
  fire(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l();
  }
}

test('in Node (no window) watching is a no-op', () => {
  let woke = 0;
  const stop = watchBrowserSignals({ onWake: () => woke++ }, {});
  stop();
  assert.equal(woke, 0);
});

test('online and the page becoming visible wake a pending reconnect; hiding does not', () => {
  const window = new FakeTarget();
  const document = Object.assign(new FakeTarget(), { visibilityState: 'hidden' });
  let woke = 0;
  const stop = watchBrowserSignals({ onWake: () => woke++ }, { window, document });
  window.fire('online');
  document.fire('visibilitychange');
  assert.equal(woke, 1, 'hidden: no wake');
  document.visibilityState = 'visible';
  document.fire('visibilitychange');
  assert.equal(woke, 2);
  stop();
  window.fire('online');
  assert.equal(woke, 2, 'removed on stop');
});

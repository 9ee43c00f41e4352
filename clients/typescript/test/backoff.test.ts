import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../src/backoff.js';

test('the cap grows by the multiplier and stops at maxDelayMs', () => {
  const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 }, () => 1);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
});

test('full jitter: delays lie in [0, cap] and follow the injected random', () => {
  const backoff = new Backoff({ initialDelayMs: 500, maxDelayMs: 30_000 }, () => 0);
  assert.equal(backoff.next(), 0);
  const randoms = [0.25, 0.5, 0.999];
  const jittered = new Backoff({ initialDelayMs: 400 }, () => randoms.shift() ?? 0);
  assert.deepEqual([jittered.next(), jittered.next(), jittered.next()], [100, 400, 1598]);
  for (let i = 0; i < 1000; i++) {
    const b = new Backoff({}, Math.random);
    for (let n = 0; n < 12; n++) {
      const cap = b.cap();
      const delay = b.next();
      assert.ok(delay >= 0 && delay <= cap && cap <= 30_000, `${delay} within ${cap}`);
    }
  }
});

test('defaults: 500 ms first cap, doubling, 30 s at most; reset starts over', () => {
  const backoff = new Backoff({}, () => 1);
  assert.equal(backoff.next(), 500);
  assert.equal(backoff.next(), 1000);
  for (let i = 0; i < 20; i++) backoff.next();
  assert.equal(backoff.next(), 30_000);
  assert.equal(backoff.attempt, 23);
  backoff.reset();
  assert.equal(backoff.attempt, 0);
  assert.equal(backoff.next(), 500);
});

test('a random outside [0, 1] is clamped', () => {
  assert.equal(new Backoff({ initialDelayMs: 100 }, () => 7).next(), 100);
  assert.equal(new Backoff({ initialDelayMs: 100 }, () => -1).next(), 0);
});

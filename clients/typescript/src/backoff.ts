/** Reconnect delays: exponential growth capped at `maxDelayMs`, with full jitter (a uniform pick in [0, cap]). */
export interface BackoffOptions {
  /** The cap of the first delay (default 500 ms). */
  initialDelayMs?: number;
  /** The largest cap (default 30 000 ms). */
  maxDelayMs?: number;
  /** Growth of the cap per attempt (default 2). */
  multiplier?: number;
}

export const BACKOFF_DEFAULTS = { initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2 } as const;

export class Backoff {
  private readonly initial: number;
  private readonly max: number;
  private readonly multiplier: number;
  private attempts = 0;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initial = options.initialDelayMs ?? BACKOFF_DEFAULTS.initialDelayMs;
    this.max = options.maxDelayMs ?? BACKOFF_DEFAULTS.maxDelayMs;
    this.multiplier = options.multiplier ?? BACKOFF_DEFAULTS.multiplier;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The cap for the current attempt (without jitter). */
  cap(): number {
    return Math.min(this.max, this.initial * this.multiplier ** this.attempts);
  }

  /** The next delay; full jitter spreads a crowd of clients that lost the same gateway. */
  next(): number {
    const cap = this.cap();
    this.attempts++;
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.floor(r * cap);
  }

  /** Called once a connection is live again. */
  reset(): void {
    this.attempts = 0;
  }
}

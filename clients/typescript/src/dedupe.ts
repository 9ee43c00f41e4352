/**
 * The event positions (epoch + seq) already handled, so a frame that comes twice (the offline inbox and a replay,
 * a resend after a reconnect) fires `alert` once. Bounded: the oldest positions are forgotten first.
 */
export class SeenEvents {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 50_000) {}

  /** True the first time a position is offered, false for a duplicate. */
  add(epoch: string, seq: number): boolean {
    const key = `${epoch}\u0000${seq}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return true;
  }
}

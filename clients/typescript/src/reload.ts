import type { Alert } from './protocol.js';
import type { AlertStore, StoreEvent } from './store.js';

export type ReloadReason =
  | 'first_load' | 'history_trimmed' | 'epoch_changed' | 'too_many_events' | 'gap' | 'inbox_dropped';

/**
 * The first-load recipe (docs/protocol.md): while the REST list is read, live frames are buffered; then the REST
 * alerts replace the store and the buffer is applied over them, the higher `version` winning per alert. Frames that
 * arrived before the REST request are covered by its answer, which is at least as new as they are.
 */
export class Reload {
  private readonly buffer: StoreEvent[] = [];
  private done = false;

  constructor(readonly reason: ReloadReason, private readonly store: AlertStore) {}

  /** Holds an event until the REST answer is in. */
  hold(event: StoreEvent): void {
    this.buffer.push(event);
  }

  /** The REST answer arrived: it becomes the base, the buffered events are applied over it. */
  complete(alerts: Alert[]): void {
    if (this.done) return;
    this.done = true;
    this.store.replaceAll(alerts);
    for (const event of this.buffer.splice(0)) this.store.apply(event);
  }

  /** The connection was lost first: keep what was buffered (its cursors are already stored) on the old base. */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    for (const event of this.buffer.splice(0)) this.store.apply(event);
  }
}

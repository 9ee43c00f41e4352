import type { TocsinClient } from '../../src/index.js';

/** What one client saw: `alert` events by alertId, connects, reloads, errors; and the counts the fault tests print. */
export class Tally {
  readonly alertEvents = new Map<string, number>();
  readonly reloads: { reason: string; count: number }[] = [];
  readonly errors: unknown[] = [];
  connects = 0;
  /** State changes with ms since the tally began, for the log of a failed run. */
  readonly states: string[] = [];
  private readonly since = Date.now();

  constructor(readonly name: string, readonly client: TocsinClient) {
    client.on('alert', (e) => this.alertEvents.set(e.alert.id, (this.alertEvents.get(e.alert.id) ?? 0) + 1));
    client.on('connected', () => { this.connects++; });
    client.on('reloaded', (e) => { this.reloads.push({ reason: e.reason, count: e.count }); });
    client.on('error', (e) => { this.errors.push(e); });
    client.on('state', (e) => { this.states.push(`${e.state}@${Date.now() - this.since}`); });
  }

  /** Seen as an `alert` event, or in the store (an alert that came with a REST reload has no `alert` event). */
  has(id: string): boolean {
    return this.alertEvents.has(id) || this.client.alerts.get(id) !== undefined;
  }

  /** posted=N delivered=N duplicates=0 missing=0, over the alerts whose POST was answered 201. */
  counts(accepted: Iterable<string>): { posted: number; delivered: number; duplicates: number; missing: number; line: string } {
    const ids = [...accepted];
    const delivered = ids.filter((id) => this.has(id)).length;
    const duplicates = [...this.alertEvents.values()].filter((count) => count > 1).length;
    const missing = ids.length - delivered;
    const line = `${this.name}: posted=${ids.length} delivered=${delivered} duplicates=${duplicates} missing=${missing}`
      + ` connects=${this.connects} restReloads=${this.reloads.length}`
      + (this.reloads.length ? ` (${this.reloads.map((r) => r.reason).join(',')})` : '');
    return { posted: ids.length, delivered, duplicates, missing, line };
  }
}

import type { Alert, AlertAckFrame, AlertNoteFrame, AlertUpdateFrame, NewAlertEvent, Priority } from './protocol.js';

/** One alert on screen: active, acknowledged or not. Entries are replaced, never mutated. */
export interface AlertEntry {
  id: string;
  alert: Alert;
  version: number;
  status: 'active' | 'acknowledged';
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

export type RemovalStatus = 'cleared' | 'expired' | 'resolved' | 'deleted';

export type AlertStoreChange =
  | { kind: 'added' | 'updated'; entry: AlertEntry }
  | { kind: 'removed'; id: string; status: RemovalStatus }
  | { kind: 'reset' };

/**
 * What the store applies: a new alert (an `alert` frame or a batch entry), an `alert_update`, an `alert_ack`, an
 * `alert_note` (which raises the alert's `noteCount`; the notes themselves are the application's to keep).
 */
export type StoreEvent = NewAlertEvent | AlertUpdateFrame | AlertAckFrame | AlertNoteFrame;

const RANK: Record<Priority, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
/** Removed alerts remembered so a late, older copy cannot bring one back; bounded for long sessions. */
const MAX_TOMBSTONES = 10_000;

/**
 * The live alert list, merged as docs/protocol.md's first-load recipe asks: per alert the copy with the higher
 * `version` wins (ties and older copies are ignored); cleared, expired, resolved, retracted and deleted alerts leave
 * the list.
 */
export class AlertStore {
  private readonly entries = new Map<string, AlertEntry>();
  private readonly tombstones = new Map<string, number>();
  private readonly listeners = new Set<(change: AlertStoreChange) => void>();

  get(id: string): AlertEntry | undefined {
    return this.entries.get(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sorted: priority (critical first; an alert without one counts as medium), then newest `createdAt` first. */
  list(view: { includeAcknowledged?: boolean } = {}): AlertEntry[] {
    const includeAcknowledged = view.includeAcknowledged ?? true;
    return [...this.entries.values()]
      .filter((entry) => includeAcknowledged || entry.status === 'active')
      .sort(compareEntries);
  }

  subscribe(listener: (change: AlertStoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** @internal Replaces everything with a REST answer (the start of a first load or reload). */
  replaceAll(alerts: Iterable<Alert>): void {
    this.entries.clear();
    this.tombstones.clear();
    for (const alert of alerts) this.offer(alert, alert.version ?? 0, false);
    this.emit({ kind: 'reset' });
  }

  /** @internal Applies one live or replayed event. */
  apply(event: StoreEvent): void {
    if ('op' in event) {
      this.offer(event.alert, event.version, true);
    } else if (event.type === 'alert_ack') {
      this.acknowledge(event);
    } else if (event.type === 'alert_note') {
      this.noted(event);
    } else if (event.status === 'deleted') {
      this.remove(event.alertId, Number.POSITIVE_INFINITY, 'deleted');
    } else if (event.status === 'updated') {
      // Updates reach every connection that may see the alert, whatever its filters: only held alerts change.
      if (this.entries.has(event.alertId)) this.offer(event.alert, event.version, true);
    } else {
      this.remove(event.alertId, event.version, event.status);
    }
  }

  private offer(alert: Alert, version: number, notify: boolean): void {
    if (alert.status === 'cleared' || alert.status === 'expired' || alert.status === 'resolved') {
      this.remove(alert.id, version, alert.status, notify);
      return;
    }
    if (alert.status === 'retracted') {
      // Only an admin's REST answer can hold one; clients treat it as deleted.
      this.remove(alert.id, version, 'deleted', notify);
      return;
    }
    const tomb = this.tombstones.get(alert.id);
    if (tomb !== undefined && tomb >= version) return;
    const current = this.entries.get(alert.id);
    if (current && current.version >= version) return; // ties and stale copies change nothing
    const entry = toEntry(alert, version);
    this.entries.set(alert.id, entry);
    this.tombstones.delete(alert.id);
    if (notify) this.emit({ kind: current ? 'updated' : 'added', entry });
  }

  private acknowledge(frame: AlertAckFrame): void {
    const current = this.entries.get(frame.alertId);
    // An ack of an alert the store does not hold (filtered, or not loaded) shows nothing: ignore it.
    if (!current || current.version >= frame.version) return;
    const alert: Alert = {
      ...current.alert,
      acknowledged: true,
      acknowledgedBy: frame.acknowledgedBy,
      acknowledgedAt: frame.acknowledgedAt,
      version: frame.version,
    };
    const entry = toEntry(alert, frame.version);
    this.entries.set(frame.alertId, entry);
    this.emit({ kind: 'updated', entry });
  }

  /**
   * A note does not change the alert's version (docs/protocol.md): the count only grows, so the larger count wins,
   * whichever of the REST copy and the frame is newer.
   */
  private noted(frame: AlertNoteFrame): void {
    const current = this.entries.get(frame.alertId);
    if (!current || (current.alert.noteCount ?? 0) >= frame.noteCount) return;
    const entry = toEntry({ ...current.alert, noteCount: frame.noteCount }, current.version);
    this.entries.set(frame.alertId, entry);
    this.emit({ kind: 'updated', entry });
  }

  private remove(id: string, version: number, status: RemovalStatus, notify = true): void {
    const current = this.entries.get(id);
    if (current && current.version >= version) return;
    const tomb = this.tombstones.get(id);
    if (tomb === undefined || tomb < version) {
      this.tombstones.delete(id);
      this.tombstones.set(id, version);
      if (this.tombstones.size > MAX_TOMBSTONES) {
        const oldest = this.tombstones.keys().next();
        if (!oldest.done) this.tombstones.delete(oldest.value);
      }
    }
    if (current) {
      this.entries.delete(id);
      if (notify) this.emit({ kind: 'removed', id, status });
    }
  }

  private emit(change: AlertStoreChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error(error);
      }
    }
  }
}

function toEntry(alert: Alert, version: number): AlertEntry {
  const entry: AlertEntry = {
    id: alert.id,
    alert,
    version,
    status: alert.acknowledgedBy !== undefined ? 'acknowledged' : 'active',
  };
  if (alert.acknowledgedBy !== undefined) entry.acknowledgedBy = alert.acknowledgedBy;
  if (alert.acknowledgedAt !== undefined) entry.acknowledgedAt = alert.acknowledgedAt;
  return entry;
}

function compareEntries(a: AlertEntry, b: AlertEntry): number {
  const byPriority = RANK[a.alert.priority ?? 'medium'] - RANK[b.alert.priority ?? 'medium'];
  if (byPriority !== 0) return byPriority;
  const byTime = (Date.parse(b.alert.createdAt) || 0) - (Date.parse(a.alert.createdAt) || 0);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

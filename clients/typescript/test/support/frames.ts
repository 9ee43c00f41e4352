import type {
  AckResultFrame, ActionResultFrame, Alert, AlertAckFrame, AlertNoteFrame, AlertBatchFrame, AlertChangedUpdate, AlertFrame, AlertUpdateFrame, ConnectionEstablishedFrame,
  Priority, SyncResponseFrame,
} from '../../src/protocol.js';

export function alert(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id, priority: 'high', type: 'outbreak_risk', title: `Alert ${id}`, message: 'River above 5 m', source: 'sensor-7',
    actionRequired: false, createdAt: '2026-11-23T10:15:30Z', audience: { everyone: true, users: [], groups: [] },
    status: 'active', version: 1, ...overrides,
  };
}

export function greeting(epoch: string | undefined, cursor: string, extra: Partial<ConnectionEstablishedFrame> = {}):
  ConnectionEstablishedFrame {
  return {
    type: 'connection_established', v: 1, connectionId: `c-${cursor}`, user: 'vera', serverTime: '2026-11-23T10:15:30Z',
    heartbeatIntervalMs: 30_000,
    limits: { maxFrameBytes: 65536, messagesPerMinute: 60, maxConnectionsPerUser: 5, batchWindowMs: 100,
      maxBatchSize: 50, outboundQueueSize: 1000 },
    ...(epoch !== undefined ? { epoch } : {}), seq: Number.parseInt(cursor, 10), cursor, ...extra,
  };
}

/** `cursor` null: a frame without one (the hold on connect, the offline inbox). */
export function alertFrame(epoch: string, seq: number, a: Alert, cursor: string | null = String(seq)): AlertFrame {
  return { type: 'alert', v: 1, epoch, seq, op: 'created', alertId: a.id, version: a.version, alert: a,
    ...(cursor !== null ? { cursor } : {}) };
}

export function batch(epoch: string, entries: [number, Alert][], cursor?: string): AlertBatchFrame {
  return { type: 'alert_batch', v: 1, epoch,
    alerts: entries.map(([seq, a]) => ({ epoch, seq, op: 'created', alertId: a.id, version: a.version, alert: a })),
    ...(cursor !== undefined ? { cursor } : {}) };
}

export function update(epoch: string, seq: number, a: Alert, status: AlertChangedUpdate['status']): AlertUpdateFrame {
  return { type: 'alert_update', v: 1, epoch, seq, alertId: a.id, status, version: a.version, alert: a, cursor: String(seq) };
}

export function deleted(epoch: string, seq: number, id: string): AlertUpdateFrame {
  return { type: 'alert_update', v: 1, epoch, seq, alertId: id, status: 'deleted', cursor: String(seq) };
}

export function ackFrame(epoch: string, seq: number, id: string, version: number, by = 'olga'): AlertAckFrame {
  return { type: 'alert_ack', v: 1, epoch, seq, alertId: id, acknowledgedBy: by,
    acknowledgedAt: '2026-11-23T10:16:00Z', version, cursor: String(seq) };
}

export function ackResult(ref: string, id: string, version = 2): AckResultFrame {
  return { type: 'ack_result', v: 1, ref, alertId: id, acknowledgedBy: 'vera', acknowledgedAt: '2026-11-23T10:16:00Z',
    already: false, version };
}

export function recovered(ref: string | undefined, epoch: string, cursor: string, count = 0): SyncResponseFrame {
  const seq = Number.parseInt(cursor, 10);
  return { type: 'sync_response', v: 1, ...(ref !== undefined ? { ref } : {}), recovered: true, epoch, cursor,
    fromSeq: seq - count, toSeq: seq, count };
}

export function notRecovered(ref: string | undefined, epoch: string, seq: number,
  reason: 'history_trimmed' | 'epoch_changed' | 'too_many_events' = 'epoch_changed'): SyncResponseFrame {
  return { type: 'sync_response', v: 1, ...(ref !== undefined ? { ref } : {}), recovered: false, reason, epoch, seq,
    cursor: String(seq) };
}

export function withPriority(a: Alert, priority: Priority): Alert {
  return { ...a, priority };
}

export function noteFrame(epoch: string, seq: number, id: string, noteCount: number, text = 'on my way'): AlertNoteFrame {
  return { type: 'alert_note', v: 1, epoch, seq, alertId: id,
    note: { id: `n${seq}`, author: 'olga', at: '2026-11-23T10:17:00Z', text }, noteCount, cursor: String(seq) };
}

export function actionResult(ref: string, action: ActionResultFrame['action'], a: Alert): ActionResultFrame {
  return { type: 'action_result', v: 1, ref, action, alertId: a.id, version: a.version, alert: a };
}

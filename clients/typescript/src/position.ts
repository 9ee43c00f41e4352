import type { ConnectionEstablishedFrame, Cursor, SyncMessage } from './protocol.js';

/**
 * Where the client resumes: the epoch and the opaque cursor of the last frame that carried one
 * (docs/protocol.md, "Resuming: the cursor"). The cursor is handed back in `sync`, never parsed.
 */
export class Position {
  private epochValue: string | undefined;
  private cursorValue: Cursor | undefined;

  get epoch(): string | undefined {
    return this.epochValue;
  }

  get cursor(): Cursor | undefined {
    return this.cursorValue;
  }

  /** Whether the client has a place to resume from (false before the first greeting). */
  get known(): boolean {
    return this.cursorValue !== undefined;
  }

  /**
   * A greeting: a fresh client starts at its cursor; a resuming one keeps its own (the new greeting's position
   * is the gateway's, not what was written to this client).
   */
  greet(frame: ConnectionEstablishedFrame): void {
    if (!this.known) this.set(frame.epoch, frame.cursor);
  }

  /** Any other frame: store its cursor, in the frame's epoch, when it has one. */
  observe(frame: { cursor?: Cursor; epoch?: string }): void {
    if (typeof frame.cursor === 'string') this.set(frame.epoch, frame.cursor);
  }

  /** Continue from an explicit position (a `sync_response` that was not recovered). */
  set(epoch: string | undefined, cursor: Cursor): void {
    this.epochValue = epoch;
    this.cursorValue = cursor;
  }

  /** The `sync` to send first on a connection. */
  syncMessage(id: string): SyncMessage {
    const message: SyncMessage = { type: 'sync', id, since: this.cursorValue ?? 0 };
    if (this.epochValue !== undefined) message.epoch = this.epochValue;
    return message;
  }
}

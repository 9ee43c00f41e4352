// "Can I trust what I see?": the connection indicator (live, connecting, reconnecting with the next attempt's time,
// recovering, stopped), the last recovery or reload, and a banner when nothing came from the gateway (no event, no
// heartbeat ping) for longer than the configured staleness limit. The gateway sends a ping message every heartbeat
// interval (30 s by default), so a healthy connection never goes quiet for long.
import type { ConnectionState, TocsinClient, TocsinError, WebSocketConstructor } from '@tocsin/client';
import { clockTime } from './format.js';

let lastFrameAt = Date.now();

/** The browser's WebSocket, noting when each message arrives (the client itself has no such hook). */
export function trackedWebSocket(): WebSocketConstructor {
  class TrackedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', () => {
        lastFrameAt = Date.now();
      });
    }
  }
  return TrackedWebSocket as unknown as WebSocketConstructor;
}

const LABELS: Record<ConnectionState, string> = {
  idle: 'Not connected', connecting: 'Connecting…', recovering: 'Recovering missed alerts…', live: 'Live',
  reconnecting: 'Reconnecting', stopped: 'Stopped',
};

export class StatusBar {
  private state: ConnectionState = 'idle';
  private nextAttemptAt: number | undefined;
  private note = '';

  constructor(private readonly indicator: HTMLElement, private readonly noteNode: HTMLElement,
    private readonly banner: HTMLElement, private readonly staleAfterSeconds: number, client: TocsinClient) {
    client.on('state', ({ state, nextAttemptAt }) => {
      this.state = state;
      this.nextAttemptAt = nextAttemptAt;
      if (state === 'live') lastFrameAt = Date.now();
      this.render();
    });
    client.on('recovered', ({ count }) => this.setNote(`Recovered ${count} missed event${count === 1 ? '' : 's'} at ${clockTime(Date.now())}`));
    client.on('reloaded', ({ reason, count }) => {
      if (reason !== 'first_load') this.setNote(`Reloaded ${count} alerts after a gap (${reason.replace(/_/g, ' ')}) at ${clockTime(Date.now())}`);
    });
    client.on('gap', ({ dropped }) => this.setNote(`The gateway dropped ${dropped} event${dropped === 1 ? '' : 's'}: reloading…`));
    client.on('stopped', ({ error }) => {
      this.state = 'stopped';
      this.setNote(error ? stopReason(error) : 'Stopped.');
    });
    window.setInterval(() => this.render(), 1000);
  }

  private setNote(note: string): void {
    this.note = note;
    this.render();
  }

  render(): void {
    let label = LABELS[this.state];
    if (this.state === 'reconnecting' && this.nextAttemptAt !== undefined) {
      const wait = Math.max(0, Math.ceil((this.nextAttemptAt - Date.now()) / 1000));
      label = `Reconnecting: next attempt at ${clockTime(this.nextAttemptAt)} (in ${wait} s)`;
    }
    if (this.indicator.textContent !== label) this.indicator.textContent = label;
    this.indicator.dataset['state'] = this.state;
    if (this.noteNode.textContent !== this.note) this.noteNode.textContent = this.note;
    const quietFor = Math.floor((Date.now() - lastFrameAt) / 1000);
    const stale = this.state !== 'idle' && quietFor >= this.staleAfterSeconds;
    this.banner.hidden = !stale;
    if (stale) {
      this.banner.textContent = `What you see may be out of date: nothing has come from the gateway for ${quietFor} s `
        + `(since ${clockTime(lastFrameAt)}).`;
    }
  }
}

function stopReason(error: TocsinError): string {
  const code = error.code;
  if (code === 'origin_not_allowed') {
    return 'The gateway refuses this page\'s origin: add it to tocsin.gateway.allowed-origins.';
  }
  if (/unauthor|401/.test(code) || (error as { status?: number }).status === 401) {
    return 'The gateway refused the token (expired or not trusted): sign in again.';
  }
  return `Stopped: ${error.message}`;
}

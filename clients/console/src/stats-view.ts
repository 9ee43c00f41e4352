// Admins see the gateway's statistics for this connection (get_stats → connection_stats): frames received and
// sent, frames dropped for a slow consumer, delivery latency, connected since.
import type { TocsinClient } from '@tocsin/client';
import { el } from './dom.js';
import { absoluteTime } from './format.js';

export class StatsView {
  constructor(private readonly root: HTMLElement, private readonly client: TocsinClient) {
    const refresh = el('button', { text: 'Refresh', attrs: { type: 'button', class: 'stats-refresh' } });
    refresh.addEventListener('click', () => void this.load());
    root.replaceChildren(el('h2', { text: 'Server stats' }), el('dl', { class: 'stats' }), refresh);
    window.setInterval(() => {
      if (client.state === 'live' && !root.hidden) void this.load();
    }, 15_000);
    client.on('state', ({ state }) => {
      if (state === 'live') void this.load();
    });
  }

  async load(): Promise<void> {
    const dl = this.root.querySelector('dl')!;
    try {
      const s = await this.client.stats();
      const rows: [string, string][] = [
        ['Frames received by the server', String(s.received)],
        ['Frames sent to this console', String(s.sent)],
        ['Frames dropped (slow consumer)', String(s.dropped)],
        ['Latency avg / max', `${s.latencyMs.avg.toFixed(0)} ms / ${s.latencyMs.max.toFixed(0)} ms (${s.latencyMs.samples} samples)`],
        ['Connected since', absoluteTime(s.connectedAt)],
      ];
      dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
    } catch (error) {
      dl.replaceChildren(el('dt', { text: 'Stats' }), el('dd', { text: `unavailable: ${(error as Error).message}` }));
    }
  }
}

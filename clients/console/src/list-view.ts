// The live list: one row per alert the filters let through, in the store's order (critical first, newest first
// within a priority), plus the alerts cleared or expired in the last minutes, greyed out. Rows are rebuilt from the
// store on every change; the relative times tick once a second without a rebuild.
import type { AlertEntry, RemovalStatus } from '@tocsin/client';
import { el } from './dom.js';
import { absoluteTime, relativeTime, risk } from './format.js';
import { priorityIcon, priorityOf } from './icons.js';

export interface RemovedAlert { entry: AlertEntry; status: RemovalStatus; at: number }

export interface ListActions {
  ack(id: string): void;
  /** Operators and admins pick rows for "clear selected"; null hides the checkboxes. */
  selection: Set<string> | null;
  onSelectionChange(): void;
}

export class ListView {
  /** Per alert: an ack on its way ('pending') or the reason the last one failed. */
  readonly ackState = new Map<string, 'pending' | { error: string }>();

  constructor(private readonly list: HTMLUListElement, private readonly removedList: HTMLUListElement,
    private readonly summary: HTMLElement, private readonly actions: ListActions) {
    window.setInterval(() => this.tick(), 1000);
  }

  render(entries: AlertEntry[], total: number, removed: RemovedAlert[]): void {
    this.list.replaceChildren(...entries.map((entry) => this.row(entry)));
    this.removedList.replaceChildren(...removed.map((r) => this.removedRow(r)));
    this.removedList.parentElement!.hidden = removed.length === 0;
    const hidden = total - entries.length;
    this.summary.textContent = `${entries.length} alert${entries.length === 1 ? '' : 's'} shown`
      + (hidden > 0 ? `, ${hidden} hidden by filters` : '');
  }

  /** Updates the relative times in place. */
  tick(): void {
    const now = Date.now();
    for (const time of this.list.parentElement!.querySelectorAll<HTMLTimeElement>('time.rel')) {
      time.textContent = relativeTime(time.dateTime, now);
    }
  }

  private row(entry: AlertEntry): HTMLLIElement {
    const a = entry.alert;
    const priority = priorityOf(a.priority);
    const acked = entry.status === 'acknowledged';
    const li = el('li', {
      class: `alert p-${priority}${acked ? ' acknowledged' : ''}`,
      attrs: { 'data-alert-id': entry.id, 'data-status': entry.status, 'data-priority': priority },
    });
    const selection = this.actions.selection;
    if (selection) {
      const box = el('input', { class: 'select', attrs: { type: 'checkbox', 'aria-label': `Select “${a.title}”` } });
      box.checked = selection.has(entry.id);
      box.addEventListener('change', () => {
        if (box.checked) selection.add(entry.id); else selection.delete(entry.id);
        this.actions.onSelectionChange();
      });
      li.append(box);
    }
    li.append(
      el('span', { class: 'priority' }, priorityIcon(priority), el('span', { text: priority })),
      el('div', { class: 'main' },
        el('a', { class: 'title', text: a.title, attrs: { href: `#/alerts/${encodeURIComponent(entry.id)}` } }),
        el('div', { class: 'meta' },
          el('span', { class: 'type', text: a.type }),
          el('span', { class: 'source', text: a.source, attrs: { title: 'source' } }),
          a.location?.region ? el('span', { class: 'region', text: a.location.region, attrs: { title: 'region' } }) : null,
          a.riskScore !== undefined ? el('span', { class: 'risk', text: `risk ${risk(a.riskScore)}` }) : null,
          el('time', { class: 'rel', text: relativeTime(a.createdAt), attrs: { datetime: a.createdAt, title: absoluteTime(a.createdAt) } }))),
      this.ackCell(entry),
    );
    return li;
  }

  private ackCell(entry: AlertEntry): HTMLElement {
    const cell = el('div', { class: 'ack-cell' });
    if (entry.status === 'acknowledged') {
      cell.append(el('span', { class: 'acked-by', text: `Acknowledged by ${entry.acknowledgedBy ?? 'someone'}`,
        attrs: { title: absoluteTime(entry.acknowledgedAt) } }));
      return cell;
    }
    const state = this.ackState.get(entry.id);
    const button = el('button', {
      class: 'ack', text: state === 'pending' ? 'Acknowledging…' : 'Acknowledge',
      attrs: { type: 'button', 'aria-label': `Acknowledge “${entry.alert.title}”` },
    });
    button.disabled = state === 'pending';
    button.addEventListener('click', () => this.actions.ack(entry.id));
    cell.append(button);
    if (state && state !== 'pending') cell.append(el('span', { class: 'row-error', text: state.error, attrs: { role: 'alert' } }));
    return cell;
  }

  private removedRow(removed: RemovedAlert): HTMLLIElement {
    const a = removed.entry.alert;
    const priority = priorityOf(a.priority);
    return el('li', { class: `alert removed p-${priority}`, attrs: { 'data-alert-id': a.id, 'data-status': removed.status } },
      el('span', { class: 'priority' }, priorityIcon(priority), el('span', { text: priority })),
      el('div', { class: 'main' },
        el('a', { class: 'title', text: a.title, attrs: { href: `#/alerts/${encodeURIComponent(a.id)}` } }),
        el('div', { class: 'meta' },
          el('span', { class: 'source', text: a.source }),
          a.location?.region ? el('span', { class: 'region', text: a.location.region }) : null)),
      el('div', { class: 'ack-cell' }, el('span', { class: 'removed-state', text: `${removed.status} ${relativeTime(new Date(removed.at).toISOString())}` })));
  }
}

// One alert in full: every field (as text), its metadata, the actions the user's roles allow (alert-actions.ts), its
// notes with the "Add note" box (notes-view.ts), its timeline, and for operators and admins its delivery records (GET /api/v1/alerts/{id}/deliveries). Opened by #/alerts/{id}, which is where alert-ingest's /alerts/{id}
// (the link in Telegram and FCM messages) redirects.
import type { Alert, TocsinClient } from '@tocsin/client';
import { AlertActions } from './alert-actions.js';
import type { Session } from './auth.js';
import { canReadDeliveries } from './auth.js';
import { el } from './dom.js';
import { absoluteTime, relativeTime, risk } from './format.js';
import { priorityIcon, priorityOf } from './icons.js';
import { api } from './rest.js';
import { NotesSection } from './notes-view.js';
import { loadTimeline } from './timeline-view.js';

interface Delivery {
  user: string; channel: string; outcome: string; attempts?: number; step?: string; detail?: string; at: string;
}

export class DetailView {
  private openId: string | null = null;
  private returnFocus: HTMLElement | null = null;
  private readonly showDeliveries: boolean;
  private readonly actions: AlertActions;
  private notes: NotesSection | null = null;

  constructor(private readonly panel: HTMLElement, private readonly client: TocsinClient, private readonly apiUrl: string,
    session: Session, private readonly onClose: () => void) {
    this.showDeliveries = canReadDeliveries(session);
    // After an action the answer is shown at once (a resolved or retracted alert leaves the live store, so no
    // store change would re-render it), and the timeline is read again.
    this.actions = new AlertActions(apiUrl, session, (id, alert) => {
      if (this.openId !== id) return;
      if (alert) {
        this.show(alert);
      } else {
        this.panel.querySelector('section.actions')?.remove();
        this.panel.querySelector('dl')?.replaceWith(el('p', { class: 'retracted', text: 'Retracted: only admins see it now.' }));
      }
      this.reloadTimeline(id);
    });
    // Notes of the open alert arrive live whether or not the store holds it (a resolved alert still takes notes).
    client.on('note', ({ alertId, note, noteCount }) => {
      if (this.notes && this.notes.alertId === alertId && this.openId === alertId) this.notes.addLive(note, noteCount);
    });
  }

  get currentId(): string | null {
    return this.openId;
  }

  async open(id: string): Promise<void> {
    if (this.openId !== id && document.activeElement instanceof HTMLElement) this.returnFocus = document.activeElement;
    this.openId = id;
    this.panel.hidden = false;
    let alert: Alert | undefined = this.client.alerts.get(id)?.alert;
    const body = el('div', { class: 'detail-body' }, el('p', { text: 'Loading…' }));
    this.panel.replaceChildren(this.header(alert?.title ?? id), body);
    (this.panel.querySelector('h2') as HTMLElement).focus();
    if (!alert) {
      try {
        alert = await api<Alert>(this.apiUrl, 'GET', `/api/v1/alerts/${encodeURIComponent(id)}`);
      } catch (error) {
        body.replaceChildren(el('p', { class: 'error', text: `Alert ${id} could not be loaded: ${(error as Error).message}` }));
        return;
      }
      if (this.openId !== id) return;
      this.panel.replaceChildren(this.header(alert.title), body);
      (this.panel.querySelector('h2') as HTMLElement).focus(); // the new heading: keep the keyboard in the panel
    }
    body.replaceChildren(this.fields(alert));
    const actions = this.actions.render(alert);
    if (actions) body.append(actions);
    this.notes = new NotesSection(this.apiUrl, id, () => this.openId === id);
    body.append(this.notes.element);
    const timeline = el('section', { class: 'timeline-section' }, el('h3', { text: 'Timeline' }), el('p', { text: 'Loading…' }));
    body.append(timeline);
    void loadTimeline(this.apiUrl, id, timeline, () => this.openId === id);
    if (this.showDeliveries) {
      const section = el('section', { class: 'deliveries' }, el('h3', { text: 'Deliveries' }), el('p', { text: 'Loading…' }));
      body.append(section);
      void this.loadDeliveries(id, section);
    }
  }

  /** Re-renders the open alert after a store change (an ack, a clear, a resolve) without losing the deliveries. */
  refresh(id: string): void {
    if (this.openId !== id) return;
    const alert = this.client.alerts.get(id)?.alert;
    if (alert) {
      this.show(alert);
    } else {
      // resolved, cleared or expired: gone from the live store, still readable over REST (retracted: 404, kept as is)
      void api<Alert>(this.apiUrl, 'GET', `/api/v1/alerts/${encodeURIComponent(id)}`)
        .then((stored) => { if (this.openId === id) this.show(stored); }, () => undefined);
    }
    this.reloadTimeline(id);
  }

  /** Fields and actions of the open alert from this copy; the timeline and deliveries stay. */
  private show(alert: Alert): void {
    this.panel.querySelector('dl')?.replaceWith(this.fields(alert));
    const actions = this.actions.render(alert);
    const old = this.panel.querySelector('section.actions');
    if (old && actions) old.replaceWith(actions);
    else if (old) old.remove();
    else if (actions) this.panel.querySelector('dl')?.after(actions);
  }

  private reloadTimeline(id: string): void {
    const section = this.panel.querySelector<HTMLElement>('section.timeline-section');
    if (section) void loadTimeline(this.apiUrl, id, section, () => this.openId === id);
  }

  close(): void {
    this.openId = null;
    this.notes = null;
    this.panel.hidden = true;
    this.panel.replaceChildren();
    this.returnFocus?.focus();
    this.onClose();
  }

  private header(title: string): HTMLElement {
    const close = el('button', { class: 'close', text: 'Close', attrs: { type: 'button' } });
    close.addEventListener('click', () => this.close());
    return el('div', { class: 'detail-header' }, el('h2', { text: title, attrs: { tabindex: '-1' } }), close);
  }

  private fields(a: Alert): HTMLDListElement {
    // the live entry's ack state, unless this copy is newer (an action's answer arrives before its event)
    const live = this.client.alerts.get(a.id);
    const entry = live && live.alert.version >= a.version ? live : undefined;
    const priority = priorityOf(a.priority);
    const rows: [string, Node | string | undefined][] = [
      ['Priority', el('span', { class: `priority p-${priority}` }, priorityIcon(priority), el('span', { text: priority }))],
      ['Title', a.title],
      ['Message', a.message],
      ['Type', a.type],
      ['Source', a.source],
      ['Status', entry?.status ?? a.status],
      ['Acknowledged by', entry?.acknowledgedBy ?? a.acknowledgedBy],
      ['Acknowledged at', absoluteTime(entry?.acknowledgedAt ?? a.acknowledgedAt)],
      ['Cleared by', a.clearedBy],
      ['Cleared at', absoluteTime(a.clearedAt)],
      ['Resolved by', a.resolvedBy],
      ['Resolved at', absoluteTime(a.resolvedAt)],
      ['Resolution', a.resolution],
      ['Assigned to', a.assignee ? `${a.assignee.kind} ${a.assignee.id}` : undefined],
      ['Assigned by', a.assignee ? a.assignedBy : undefined],
      ['Notes', a.noteCount ? String(a.noteCount) : undefined],
      ['Region', a.location?.region],
      ['Coordinates', a.location?.lat !== undefined && a.location?.lon !== undefined ? `${a.location.lat}, ${a.location.lon}` : undefined],
      ['Risk score', risk(a.riskScore)],
      ['Confidence', risk(a.confidence)],
      ['Affected population', a.affectedPopulation?.toLocaleString()],
      ['Action required', a.actionRequired ? 'yes' : 'no'],
      ['Action', safeLink(a.actionUrl)],
      ['Created', `${absoluteTime(a.createdAt)} (${relativeTime(a.createdAt)})`],
      ['Updated', absoluteTime(a.updatedAt)],
      ['Expires', absoluteTime(a.expiresAt)],
      ['Audience', a.audience.everyone ? 'everyone'
        : [...a.audience.groups.map((g) => `group ${g}`), ...a.audience.users.map((u) => `user ${u}`)].join(', ')],
      ['Escalation group', a.escalationGroup],
      ['Version', String(a.version)],
      ['Id', a.id],
      ['Metadata', a.metadata && Object.keys(a.metadata).length
        ? el('pre', { class: 'metadata', text: JSON.stringify(a.metadata, null, 2) }) : undefined],
    ];
    const dl = el('dl', { class: 'fields' });
    for (const [name, value] of rows) {
      if (value === undefined || value === '') continue;
      dl.append(el('dt', { text: name }), el('dd', {}, value));
    }
    return dl;
  }

  private async loadDeliveries(id: string, section: HTMLElement): Promise<void> {
    try {
      const answer = await api<{ items: Delivery[] }>(this.apiUrl, 'GET', `/api/v1/alerts/${encodeURIComponent(id)}/deliveries`);
      if (this.openId !== id) return;
      const heading = section.querySelector('h3')!;
      if (!answer.items.length) {
        section.replaceChildren(heading, el('p', { text: 'No delivery recorded yet.' }));
        return;
      }
      const table = el('table', {},
        el('caption', { class: 'visually-hidden', text: 'Delivery records, newest first' }),
        el('thead', {}, el('tr', {}, ...['When', 'User', 'Channel', 'Step', 'Outcome', 'Attempts', 'Detail']
          .map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
        el('tbody', {}, ...answer.items.map((d) => el('tr', { attrs: { 'data-outcome': d.outcome } },
          el('td', { text: absoluteTime(d.at) }), el('td', { text: d.user }), el('td', { text: d.channel }),
          el('td', { text: d.step ?? '' }), el('td', { class: `outcome ${d.outcome}`, text: d.outcome }),
          el('td', { text: d.attempts === undefined ? '' : String(d.attempts) }), el('td', { text: d.detail ?? '' })))));
      section.replaceChildren(heading, el('div', { class: 'table-wrap' }, table));
    } catch (error) {
      section.replaceChildren(section.querySelector('h3')!, el('p', { class: 'error', text: `Deliveries could not be loaded: ${(error as Error).message}` }));
    }
  }
}

/** An http(s) link, or the URL as plain text (never a javascript: or data: link). */
function safeLink(url: string | undefined): Node | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      return el('a', { text: url, attrs: { href: parsed.href, rel: 'noopener noreferrer', target: '_blank' } });
    }
  } catch {
    // fall through
  }
  return document.createTextNode(url);
}

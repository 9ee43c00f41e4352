// What the signed-in user may do to the open alert, as alert-ingest allows it (docs/rest-api.md): resolve with an
// optional note (operator, admin), assign an active alert to a user or a group or take the assignment back
// (operator, admin), take back an acknowledgment (the acknowledger or an admin) and retract an alert sent by mistake
// (admin, after a confirmation step). The services enforce the roles; this only hides what would be
// refused. Each action's answer (the alert as stored) is handed back so the panel shows it at once.
import type { Alert } from '@tocsin/client';
import type { Session } from './auth.js';
import { canClear, isAdmin } from './auth.js';
import { el } from './dom.js';
import { api } from './rest.js';

const NOTE_MAX = 1000;
const ASSIGNEE_MAX = 200;

export class AlertActions {
  constructor(private readonly apiUrl: string, private readonly session: Session,
    private readonly onDone: (id: string, alert: Alert | null) => void) {}

  /** The action controls for this alert, or null when the user may do nothing to it. */
  render(alert: Alert): HTMLElement | null {
    const status = alert.status ?? 'active';
    if (status === 'retracted' || status === 'expired') return null;
    const controls: HTMLElement[] = [];
    const message = el('p', { class: 'action-message', attrs: { role: 'status' } });
    const path = `/api/v1/alerts/${encodeURIComponent(alert.id)}`;

    if (canClear(this.session) && status !== 'resolved') {
      const note = el('input', { attrs: { type: 'text', id: 'resolve-note', maxlength: String(NOTE_MAX),
        placeholder: 'Resolution note (optional)', 'aria-label': 'Resolution note' } });
      const resolve = el('button', { class: 'resolve', text: 'Resolve', attrs: { type: 'button' } });
      resolve.addEventListener('click', () => void this.run(message, alert.id, resolve, () =>
        api<Alert>(this.apiUrl, 'POST', `${path}/resolve`, note.value.trim() ? { note: note.value.trim() } : {})));
      controls.push(el('div', { class: 'resolve-row' }, note, resolve));
    }
    if (canClear(this.session) && status === 'active') controls.push(this.assignRow(alert, message, path));
    if (alert.acknowledgedBy && (alert.acknowledgedBy === this.session.user || isAdmin(this.session))) {
      const unack = el('button', { class: 'unack', text: 'Take back acknowledgment', attrs: { type: 'button' } });
      unack.addEventListener('click', () => void this.run(message, alert.id, unack, () =>
        api<Alert>(this.apiUrl, 'DELETE', `${path}/ack`)));
      controls.push(unack);
    }
    if (isAdmin(this.session)) {
      const retract = el('button', { class: 'retract', text: 'Retract…', attrs: { type: 'button' } });
      const confirm = el('div', { class: 'confirm', attrs: { hidden: '' } },
        el('p', { text: 'Retract this alert? Everyone but admins loses it, and clients drop it.' }));
      const yes = el('button', { class: 'retract-confirm', text: 'Retract', attrs: { type: 'button' } });
      const no = el('button', { text: 'Keep it', attrs: { type: 'button' } });
      confirm.append(yes, no);
      retract.addEventListener('click', () => { confirm.hidden = false; yes.focus(); });
      no.addEventListener('click', () => { confirm.hidden = true; retract.focus(); });
      yes.addEventListener('click', () => void this.run(message, alert.id, yes, async () => {
        await api<null>(this.apiUrl, 'DELETE', path);
        return null;
      }));
      controls.push(retract, confirm);
    }
    if (!controls.length) return null;
    return el('section', { class: 'actions', attrs: { 'aria-label': 'Actions' } }, el('h3', { text: 'Actions' }),
      ...controls, message);
  }

  /** "Assign…": a user or group name and the kind; "Unassign" when someone is assigned. */
  private assignRow(alert: Alert, message: HTMLElement, path: string): HTMLElement {
    const kind = el('select', { attrs: { id: 'assign-kind', 'aria-label': 'Assign to a' } },
      el('option', { text: 'user', attrs: { value: 'user' } }), el('option', { text: 'group', attrs: { value: 'group' } }));
    const name = el('input', { attrs: { type: 'text', id: 'assign-name', maxlength: String(ASSIGNEE_MAX),
      placeholder: 'User or group name', 'aria-label': 'Assignee name' } });
    const assign = el('button', { class: 'assign', text: 'Assign…', attrs: { type: 'button' } });
    assign.addEventListener('click', () => {
      const target = name.value.trim();
      if (!target) {
        message.textContent = 'Name a user or a group to assign the alert to.';
        message.classList.add('error');
        name.focus();
        return;
      }
      void this.run(message, alert.id, assign, () => api<Alert>(this.apiUrl, 'POST', `${path}/assign`,
        kind.value === 'group' ? { group: target } : { user: target }));
    });
    const row = el('div', { class: 'assign-row' }, kind, name, assign);
    if (alert.assignee) {
      const unassign = el('button', { class: 'unassign', text: 'Unassign', attrs: { type: 'button' } });
      unassign.addEventListener('click', () => void this.run(message, alert.id, unassign, () =>
        api<Alert>(this.apiUrl, 'DELETE', `${path}/assignee`)));
      row.append(unassign);
    }
    return row;
  }

  private async run(message: HTMLElement, id: string, button: HTMLButtonElement,
    call: () => Promise<Alert | null>): Promise<void> {
    button.disabled = true;
    message.textContent = '';
    try {
      this.onDone(id, await call());
    } catch (error) {
      message.textContent = (error as Error).message;
      message.classList.add('error');
      button.disabled = false;
    }
  }
}

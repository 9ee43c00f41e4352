// Clearing, for operators and admins only (viewers never get these controls: they are not even in the page; the
// server refuses a viewer's clear anyway). "Clear selected" clears exactly the selected alerts by id (`ids`, at most
// MAX_CLEAR_IDS per request, so a larger selection goes out in several); "Clear matching…" clears by criteria.
import { MAX_CLEAR_IDS, type AlertEntry, type ClearCriteria, type Priority, type TocsinClient } from '@tocsin/client';
import { csv, el } from './dom.js';
import { PRIORITIES, priorityOf } from './icons.js';

export class ClearControls {
  readonly selection = new Set<string>();
  private readonly selectedButton: HTMLButtonElement;
  private readonly confirmBox: HTMLElement;
  private readonly result: HTMLElement;

  constructor(private readonly root: HTMLElement, private readonly client: TocsinClient) {
    this.selectedButton = el('button', { class: 'clear-selected', text: 'Clear selected (0)', attrs: { type: 'button' } });
    this.selectedButton.disabled = true;
    this.selectedButton.addEventListener('click', () => this.clearSelected());
    this.confirmBox = el('div', { class: 'confirm', attrs: { role: 'alertdialog', 'aria-live': 'assertive' } });
    this.confirmBox.hidden = true;
    this.result = el('p', { class: 'clear-result', attrs: { role: 'status' } });
    const form = this.criteriaForm();
    root.replaceChildren(el('h2', { text: 'Clear' }), this.selectedButton, form, this.confirmBox, this.result);
  }

  selectionChanged(): void {
    for (const id of [...this.selection]) if (!this.client.alerts.get(id)) this.selection.delete(id);
    this.selectedButton.textContent = `Clear selected (${this.selection.size})`;
    this.selectedButton.disabled = this.selection.size === 0;
  }

  private criteriaForm(): HTMLFormElement {
    const boxes = PRIORITIES.map((p) => el('label', { class: 'check' },
      el('input', { attrs: { type: 'checkbox', name: 'clear-priority', value: p } }), ` ${p}`));
    const types = el('input', { attrs: { type: 'text', name: 'clear-types', placeholder: 'e.g. data_quality, system_health', id: 'clear-types' } });
    const older = el('input', { attrs: { type: 'number', name: 'clear-older', min: '0', step: '1', id: 'clear-older' } });
    const form = el('form', { class: 'clear-criteria' },
      el('fieldset', {}, el('legend', { text: 'Priorities' }), ...boxes),
      el('label', { attrs: { for: 'clear-types' }, text: 'Types (comma-separated)' }), types,
      el('label', { attrs: { for: 'clear-older' }, text: 'Older than (minutes)' }), older,
      el('button', { text: 'Clear matching…', attrs: { type: 'submit', class: 'clear-criteria-submit' } }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const criteria: ClearCriteria = {};
      const priorities = boxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value as Priority);
      if (priorities.length) criteria.priorities = priorities;
      if (csv(types.value).length) criteria.types = csv(types.value);
      if (older.value !== '') criteria.olderThan = new Date(Date.now() - Number(older.value) * 60_000).toISOString();
      if (!Object.keys(criteria).length) {
        this.result.textContent = 'Pick at least one criterion.';
        return;
      }
      const affected = this.client.alerts.list().filter((e) => covers(criteria, e)).length;
      this.confirm(`Clear ${affected} alert${affected === 1 ? '' : 's'} now on screen matching ${describe(criteria)}`
        + ' (and any others of yours that match)?', () => this.client.clear(criteria));
    });
    return form;
  }

  private clearSelected(): void {
    const ids = [...this.selection].filter((id) => this.client.alerts.get(id));
    if (!ids.length) return;
    this.confirm(`Clear the ${ids.length} selected alert${ids.length === 1 ? '' : 's'}?`, () => this.clearIds(ids));
  }

  private async clearIds(ids: string[]): Promise<{ cleared: number }> {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_CLEAR_IDS) batches.push(ids.slice(i, i + MAX_CLEAR_IDS));
    const results = await Promise.all(batches.map((batch) => this.client.clear({ ids: batch })));
    return { cleared: results.reduce((sum, r) => sum + r.cleared, 0) };
  }

  private confirm(message: string, clear: () => Promise<{ cleared: number }>): void {
    const yes = el('button', { class: 'confirm-yes danger', text: 'Clear', attrs: { type: 'button' } });
    const no = el('button', { class: 'confirm-no', text: 'Cancel', attrs: { type: 'button' } });
    this.confirmBox.replaceChildren(el('p', { text: message }), yes, no);
    this.confirmBox.hidden = false;
    yes.focus();
    no.addEventListener('click', () => {
      this.confirmBox.hidden = true;
      this.selectedButton.focus();
    });
    yes.addEventListener('click', () => {
      this.confirmBox.hidden = true;
      this.result.textContent = 'Clearing…';
      clear().then(({ cleared }) => {
        this.result.textContent = `Cleared ${cleared} alert${cleared === 1 ? '' : 's'}.`;
        this.selection.clear();
        this.selectionChanged();
      }, (error: Error & { code?: string }) => {
        this.result.textContent = error.code === 'forbidden' ? 'The server refused: your role may not clear.'
          : `Not cleared: ${error.message}`;
      });
    });
  }
}

function covers(c: ClearCriteria, e: AlertEntry): boolean {
  if (c.priorities && !c.priorities.includes(priorityOf(e.alert.priority))) return false;
  if (c.types && !c.types.includes(e.alert.type)) return false;
  if (c.olderThan && !(Date.parse(e.alert.createdAt) < Date.parse(c.olderThan))) return false;
  return true;
}

function describe(c: ClearCriteria): string {
  const parts: string[] = [];
  if (c.priorities) parts.push(`priority ${c.priorities.join('/')}`);
  if (c.types) parts.push(`type ${c.types.join('/')}`);
  if (c.olderThan) parts.push(`created before ${new Date(c.olderThan).toLocaleTimeString()}`);
  return parts.join(', ');
}

// Admins post a new alert (POST /api/v1/alerts). The form's inputs are named after the request's fields
// (location.lat, audience.groups, ...), so the REST problem's per-field messages land next to the right input; a
// message for a field the form does not have is listed at the top.
import { csv, el } from './dom.js';
import { api, ProblemError } from './rest.js';

export class CreateForm {
  private readonly summary: HTMLElement;

  constructor(private readonly form: HTMLFormElement, private readonly apiUrl: string) {
    this.summary = form.querySelector<HTMLElement>('.form-summary')!;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  private async submit(): Promise<void> {
    this.reset();
    const submit = this.form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    let body: Record<string, unknown>;
    try {
      body = this.body();
    } catch (error) {
      this.summary.append(el('p', { class: 'error', text: (error as Error).message }));
      return;
    }
    submit.disabled = true;
    try {
      const created = await api<{ id: string; title: string }>(this.apiUrl, 'POST', '/api/v1/alerts', body);
      this.summary.append(el('p', { class: 'ok', attrs: { role: 'status' } }, 'Created ',
        el('a', { text: created.title, attrs: { href: `#/alerts/${encodeURIComponent(created.id)}` } }), '.'));
      this.form.querySelector<HTMLInputElement>('[name=title]')!.value = '';
    } catch (error) {
      this.showProblem(error);
    } finally {
      submit.disabled = false;
    }
  }

  private body(): Record<string, unknown> {
    const value = (name: string): string => (this.form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    const number = (name: string): number | undefined => (value(name) === '' ? undefined : Number(value(name)));
    const body: Record<string, unknown> = {
      priority: value('priority'), type: value('type'), title: value('title'), message: value('message'),
      source: value('source'),
      actionRequired: (this.form.elements.namedItem('actionRequired') as HTMLInputElement).checked,
    };
    const location: Record<string, unknown> = {};
    if (value('location.region')) location['region'] = value('location.region');
    if (number('location.lat') !== undefined) location['lat'] = number('location.lat');
    if (number('location.lon') !== undefined) location['lon'] = number('location.lon');
    if (Object.keys(location).length) body['location'] = location;
    for (const name of ['riskScore', 'confidence', 'affectedPopulation']) {
      if (number(name) !== undefined) body[name] = number(name);
    }
    if (value('actionUrl')) body['actionUrl'] = value('actionUrl');
    if (value('expiresAt')) {
      const expires = new Date(value('expiresAt'));
      body['expiresAt'] = Number.isNaN(expires.getTime()) ? value('expiresAt') : expires.toISOString();
    }
    const groups = csv(value('audience.groups'));
    const users = csv(value('audience.users'));
    if (groups.length || users.length) body['audience'] = { everyone: false, groups, users };
    if (value('escalationGroup')) body['escalationGroup'] = value('escalationGroup');
    if (value('metadata')) {
      try {
        body['metadata'] = JSON.parse(value('metadata'));
      } catch {
        this.fieldMessage('metadata', 'must be a JSON object');
        throw new Error('Metadata is not valid JSON.');
      }
    }
    return body;
  }

  private showProblem(error: unknown): void {
    if (!(error instanceof ProblemError)) {
      this.summary.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: `Not created: ${String(error)}` }));
      return;
    }
    const unplaced = error.fieldErrors.filter((e) => !this.fieldMessage(e.field, e.message));
    this.summary.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: `Not created: ${error.message}` }));
    if (unplaced.length) {
      this.summary.append(el('ul', {}, ...unplaced.map((e) => el('li', { text: `${e.field}: ${e.message}` }))));
    }
    this.form.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
  }

  /** Shows `message` under the input for `field` (or its closest parent path); false when there is none. */
  private fieldMessage(field: string, message: string): boolean {
    let path = field;
    for (;;) {
      const input = this.form.querySelector<HTMLElement>(`[name="${CSS.escape(path)}"]`);
      if (input) {
        const slot = this.form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(path)}"]`);
        input.setAttribute('aria-invalid', 'true');
        if (slot) {
          slot.append(el('span', { text: path === field ? message : `${field}: ${message}` }));
          slot.hidden = false;
        }
        return true;
      }
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) return false;
      path = path.slice(0, cut);
    }
  }

  private reset(): void {
    this.summary.replaceChildren();
    for (const input of this.form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const slot of this.form.querySelectorAll<HTMLElement>('[data-error-for]')) {
      slot.replaceChildren();
      slot.hidden = true;
    }
  }
}

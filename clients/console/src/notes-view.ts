// An alert's notes (GET /api/v1/alerts/{id}/notes, docs/rest-api.md "Notes"), oldest first and newest last, kept live
// by the client's `note` event (alert_note), and the "Add note" box for anyone who sees the alert. A note is shown once
// by its id, whether it came from the list, the answer to this console's own POST, or the live frame. Text, never HTML.
import type { AlertNote } from '@tocsin/client';
import { el } from './dom.js';
import { absoluteTime } from './format.js';
import { api } from './rest.js';

const TEXT_MAX = 2000;

export class NotesSection {
  readonly element: HTMLElement;
  private readonly list = el('ol', { class: 'notes' });
  private readonly empty = el('p', { class: 'no-notes', text: 'No notes yet.' });
  private readonly shown = new Set<string>();
  private readonly path: string;
  private loading = false;

  constructor(private readonly apiUrl: string, readonly alertId: string, private readonly stillOpen: () => boolean) {
    const path = `/api/v1/alerts/${encodeURIComponent(alertId)}/notes`;
    this.path = path;
    const text = el('textarea', { attrs: { id: 'note-text', maxlength: String(TEXT_MAX), rows: '2',
      placeholder: 'What do you know about it?', 'aria-label': 'Note' } });
    const add = el('button', { class: 'add-note', text: 'Add note', attrs: { type: 'button' } });
    const message = el('p', { class: 'note-message', attrs: { role: 'status' } });
    add.addEventListener('click', () => void (async () => {
      if (!text.value.trim()) {
        message.textContent = 'Write the note first.';
        message.classList.add('error');
        return;
      }
      add.disabled = true;
      message.textContent = '';
      message.classList.remove('error');
      try {
        this.add(await api<AlertNote>(this.apiUrl, 'POST', path, { text: text.value }));
        text.value = '';
      } catch (error) {
        message.textContent = (error as Error).message;
        message.classList.add('error');
      } finally {
        add.disabled = false;
      }
    })());
    this.element = el('section', { class: 'notes-section' }, el('h3', { text: 'Notes' }), this.empty, this.list,
      el('div', { class: 'note-form' }, text, add), message);
    void this.load(path);
  }

  /**
   * A live note (alert_note): shown once; when the alert holds more notes than are shown (a frame that carried a
   * later note instead, see docs/protocol.md), the list is read again.
   */
  addLive(note: AlertNote, noteCount: number): void {
    this.add(note);
    if (this.shown.size < noteCount && !this.loading && this.stillOpen()) void this.load(this.path);
  }

  /** Shows a note once (by id), as the newest. */
  add(note: AlertNote): void {
    if (this.shown.has(note.id) || !this.stillOpen()) return;
    this.shown.add(note.id);
    this.empty.remove();
    this.list.append(el('li', { attrs: { 'data-note-id': note.id } },
      el('time', { text: absoluteTime(note.at), attrs: { datetime: note.at } }),
      el('span', { class: 'author', text: note.author }),
      el('p', { class: 'text', text: note.text })));
  }

  private async load(path: string): Promise<void> {
    this.loading = true;
    try {
      const answer = await api<{ notes: AlertNote[] }>(this.apiUrl, 'GET', path);
      // Live notes may have arrived first; the list is oldest first, so put it before them.
      const live = [...this.list.children];
      const before = new Set(this.shown);
      this.list.replaceChildren();
      this.shown.clear();
      for (const note of answer.notes) this.add(note);
      for (const item of live) {
        const id = item.getAttribute('data-note-id');
        if (id && before.has(id) && !this.shown.has(id)) {
          this.shown.add(id);
          this.list.append(item);
        }
      }
      if (this.shown.size) this.empty.remove();
    } catch (error) {
      if (this.stillOpen()) this.empty.replaceWith(el('p', { class: 'error', text: `Notes could not be loaded: ${(error as Error).message}` }));
    } finally {
      this.loading = false;
    }
  }
}

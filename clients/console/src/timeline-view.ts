// The alert's story (GET /api/v1/alerts/{id}/timeline, docs/rest-api.md "Timeline"): every change with who and when,
// oldest first, with the fields an edit changed, a resolution's note, an assignment's assignee, and the relay's pushes
// (who, on which channel, in which step, and why one failed). Entries are text, never HTML.
import { el } from './dom.js';
import { absoluteTime } from './format.js';
import { api } from './rest.js';

interface TimelineEntry {
  kind: string; actor?: string; at: string; fields?: string[]; note?: string;
  assignee?: { kind: string; id: string }; noteId?: string;
  user?: string; channel?: string; step?: string; detail?: string;
}
interface Timeline { alertId: string; limit: number; entries: TimelineEntry[] }

const KIND_TEXT: Record<string, string> = {
  created: 'created', edited: 'edited', acknowledged: 'acknowledged', unacknowledged: 'took back the acknowledgment',
  cleared: 'cleared', resolved: 'resolved', expired: 'expired', retracted: 'retracted', assigned: 'assigned it to',
  unassigned: 'took back the assignment', noted: 'added a note',
  push_sent: 'pushed', push_failed: 'could not push', escalation_step: 'ran escalation step',
};

/** "dave on telegram (offline)" for a push, "all-5m" for an escalation step; null for the alert's own changes. */
function pushText(entry: TimelineEntry): string | null {
  if (entry.kind === 'escalation_step') return entry.step ?? null;
  if (entry.kind !== 'push_sent' && entry.kind !== 'push_failed') return null;
  const step = entry.step ? ` (${entry.step})` : '';
  const why = entry.detail ? `: ${entry.detail}` : '';
  return `${entry.user ?? 'someone'} on ${entry.channel ?? 'a push channel'}${step}${why}`;
}

/** Loads the timeline into `section` (which keeps its heading); a newer load for another alert wins. */
export async function loadTimeline(apiUrl: string, id: string, section: HTMLElement, stillOpen: () => boolean): Promise<void> {
  const heading = section.querySelector('h3')!;
  try {
    const timeline = await api<Timeline>(apiUrl, 'GET', `/api/v1/alerts/${encodeURIComponent(id)}/timeline`);
    if (!stillOpen()) return;
    if (!timeline.entries.length) {
      section.replaceChildren(heading, el('p', { text: 'Nothing recorded yet.' }));
      return;
    }
    section.replaceChildren(heading, el('ol', { class: 'timeline' }, ...timeline.entries.map((entry) =>
      el('li', { attrs: { 'data-kind': entry.kind } },
        el('time', { text: absoluteTime(entry.at), attrs: { datetime: entry.at } }),
        el('span', { class: 'actor', text: entry.actor ?? 'unknown' }),
        el('span', { class: 'kind', text: KIND_TEXT[entry.kind] ?? entry.kind }),
        entry.fields?.length ? el('span', { class: 'changed', text: entry.fields.join(', ') }) : null,
        entry.assignee ? el('span', { class: 'assignee', text: `${entry.assignee.kind} ${entry.assignee.id}` }) : null,
        pushText(entry) ? el('span', { class: 'push', text: pushText(entry)! }) : null,
        entry.note ? el('q', { class: 'note', text: entry.note }) : null))));
  } catch (error) {
    if (stillOpen()) section.replaceChildren(heading, el('p', { class: 'error', text: `Timeline could not be loaded: ${(error as Error).message}` }));
  }
}

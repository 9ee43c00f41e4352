import { RestError } from './errors.js';
import type { Alert } from './protocol.js';

/** The alert list of alert-ingest (docs/rest-api.md). */
export interface AlertPage { items: Alert[]; page: number; size: number; total: number; epoch?: string; seq: number }

export type FetchLike = (input: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{
  ok: boolean; status: number; json(): Promise<unknown>;
}>;

const PAGE_SIZE = 200; // the API's maximum
/** Rereads when the list shifted under the paging (an alert cleared between two pages would be skipped). */
const MAX_PASSES = 3;

/**
 * Reads every active and acknowledged alert (`GET /api/v1/alerts?status=active,acknowledged`, all pages).
 * The answer is at least as new as the first page's `epoch`/`seq`.
 */
export async function fetchOpenAlerts(apiUrl: string, token: string, fetchFn: FetchLike): Promise<Alert[]> {
  let alerts = new Map<string, Alert>();
  for (let pass = 1; ; pass++) {
    alerts = new Map();
    const totals = new Set<number>();
    for (let page = 0; ; page++) {
      const body = await fetchPage(apiUrl, token, fetchFn, page);
      totals.add(body.total);
      for (const alert of body.items) alerts.set(alert.id, alert);
      if (body.items.length < PAGE_SIZE || (page + 1) * PAGE_SIZE >= body.total) break;
    }
    // One page, or a total that held still across pages: nothing was skipped by a shift.
    if (totals.size <= 1 || pass >= MAX_PASSES) return [...alerts.values()];
  }
}

async function fetchPage(apiUrl: string, token: string, fetchFn: FetchLike, page: number): Promise<AlertPage> {
  const url = `${apiUrl.replace(/\/+$/, '')}/api/v1/alerts?status=active,acknowledged&page=${page}&size=${PAGE_SIZE}`;
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchFn(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  } catch (cause) {
    throw new RestError(`GET ${url} failed`, undefined, { cause });
  }
  if (!response.ok) throw new RestError(`GET ${url} answered ${response.status}`, response.status);
  const body = (await response.json()) as Partial<AlertPage> | null;
  if (!body || !Array.isArray(body.items) || typeof body.total !== 'number') {
    throw new RestError(`GET ${url}: not an alert page`, response.status);
  }
  return body as AlertPage;
}

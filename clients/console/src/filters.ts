// What the list shows: priority, type, region, minimum risk and an area (drawn on the map), kept in localStorage so
// they survive a reload. They filter the console's view of the client's store; the group subscriptions (which the
// gateway applies) are kept here too.
import type { AlertEntry, BoundingBox, Priority } from '@tocsin/client';
import { PRIORITIES, priorityOf } from './icons.js';

const KEY = 'tocsin.console.filters';

export interface ViewFilters {
  priorities: Priority[];
  types: string[];
  regions: string[];
  minRisk: number | null;
  area: BoundingBox | null;
  /** The audience groups to be subscribed to; null = the server's default (all of the token's groups). */
  groups: string[] | null;
  showAcknowledged: boolean;
}

export function defaultFilters(): ViewFilters {
  return { priorities: [...PRIORITIES], types: [], regions: [], minRisk: null, area: null, groups: null, showAcknowledged: true };
}

export function loadFilters(): ViewFilters {
  const fallback = defaultFilters();
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return fallback;
    const saved = JSON.parse(raw) as Partial<ViewFilters>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    const area = saved.area && ['minLat', 'minLon', 'maxLat', 'maxLon'].every((k) => typeof (saved.area as unknown as Record<string, unknown>)[k] === 'number')
      ? saved.area : null;
    return {
      priorities: strings(saved.priorities).filter((p): p is Priority => (PRIORITIES as string[]).includes(p)),
      types: strings(saved.types),
      regions: strings(saved.regions),
      minRisk: typeof saved.minRisk === 'number' ? saved.minRisk : null,
      area,
      groups: saved.groups === null || saved.groups === undefined ? null : strings(saved.groups),
      showAcknowledged: saved.showAcknowledged !== false,
    };
  } catch {
    return fallback;
  }
}

export function saveFilters(filters: ViewFilters): void {
  localStorage.setItem(KEY, JSON.stringify(filters));
}

export function matches(entry: AlertEntry, f: ViewFilters): boolean {
  const alert = entry.alert;
  if (!f.priorities.includes(priorityOf(alert.priority))) return false;
  if (f.types.length && !f.types.includes(alert.type)) return false;
  if (f.regions.length && !f.regions.includes(alert.location?.region ?? '')) return false;
  if (f.minRisk !== null && (alert.riskScore ?? 0) < f.minRisk) return false;
  if (!f.showAcknowledged && entry.status === 'acknowledged') return false;
  if (f.area) {
    const { lat, lon } = alert.location ?? {};
    if (lat === undefined || lon === undefined) return false;
    if (lat < f.area.minLat || lat > f.area.maxLat || lon < f.area.minLon || lon > f.area.maxLon) return false;
  }
  return true;
}

/** True when some filter hides something (for the "n hidden by filters" note). */
export function isFiltering(f: ViewFilters): boolean {
  return f.priorities.length < PRIORITIES.length || f.types.length > 0 || f.regions.length > 0 || f.minRisk !== null
    || f.area !== null || !f.showAcknowledged;
}

// The filter form: binds the inputs in index.html to ViewFilters, saves every change, and applies group
// subscriptions on the connection (subscribe/unsubscribe: the gateway then sends only those groups' alerts, plus
// alerts addressed to everyone or to the user).
import type { AlertEntry, BoundingBox, Priority, TocsinClient } from '@tocsin/client';
import type { Session } from './auth.js';
import { byId, csv, el } from './dom.js';
import { loadFilters, saveFilters, type ViewFilters, defaultFilters } from './filters.js';
import { PRIORITIES } from './icons.js';
import { AreaMap } from './map.js';

const AREA_INPUTS = ['minLat', 'minLon', 'maxLat', 'maxLon'] as const;

export class FiltersPanel {
  filters: ViewFilters = loadFilters();
  private readonly map: AreaMap;

  constructor(private readonly session: Session, private readonly onChange: () => void) {
    const form = byId<HTMLFormElement>('filters');
    form.addEventListener('submit', (e) => e.preventDefault());
    this.map = new AreaMap(byId<HTMLElement>('map') as unknown as SVGSVGElement, (area) => {
      this.filters.area = area;
      this.writeArea();
      this.changed();
    });
    for (const box of this.priorityBoxes()) box.addEventListener('change', () => this.readAndSave());
    for (const id of ['f-types', 'f-regions', 'f-minrisk', 'f-acked']) byId(id).addEventListener('change', () => this.readAndSave());
    for (const key of AREA_INPUTS) byId(`f-${key}`).addEventListener('change', () => this.readArea());
    byId('f-area-clear').addEventListener('click', () => {
      this.filters.area = null;
      this.writeArea();
      this.changed();
    });
    byId('f-reset').addEventListener('click', () => {
      const groups = this.filters.groups;
      this.filters = { ...defaultFilters(), groups };
      this.write();
      this.changed();
    });
    this.write();
  }

  /** The groups to pass as the client's `groups` option: the saved choice within the token's groups. */
  initialGroups(): string[] | undefined {
    if (this.filters.groups === null) return undefined;
    return this.filters.groups.filter((g) => this.session.audienceGroups.includes(g));
  }

  /** Group checkboxes; each change subscribes or unsubscribes that group on the live connection. */
  bindGroups(client: TocsinClient): void {
    const root = byId('f-groups');
    if (!this.session.audienceGroups.length) {
      root.replaceChildren(el('p', { class: 'hint', text: 'Your token names no audience groups.' }));
      return;
    }
    const status = el('p', { class: 'hint', attrs: { role: 'status' } });
    root.replaceChildren(...this.session.audienceGroups.map((group) => {
      const box = el('input', { attrs: { type: 'checkbox', value: group } });
      box.checked = this.filters.groups === null || this.filters.groups.includes(group);
      box.addEventListener('change', () => {
        const wanted = this.session.audienceGroups.filter((g) =>
          (root.querySelector<HTMLInputElement>(`input[value="${CSS.escape(g)}"]`)?.checked ?? false));
        this.filters.groups = wanted;
        saveFilters(this.filters);
        const call = box.checked ? client.subscribe([group]) : client.unsubscribe([group]);
        status.textContent = box.checked ? `Subscribing to ${group}…` : `Unsubscribing from ${group}…`;
        call.then((inForce) => {
          status.textContent = `Subscribed: ${inForce.join(', ') || 'no group'}`;
        }, (error: Error) => {
          status.textContent = `Not changed: ${error.message}`;
        });
      });
      return el('label', { class: 'check' }, box, ` ${group}`);
    }), status);
  }

  renderMap(entries: AlertEntry[]): void {
    this.map.render(entries, this.filters.area);
    const types = new Set(entries.map((e) => e.alert.type));
    const regions = new Set(entries.map((e) => e.alert.location?.region).filter((r): r is string => !!r));
    fillDatalist('types-list', types);
    fillDatalist('regions-list', regions);
  }

  private priorityBoxes(): HTMLInputElement[] {
    return [...byId('filters').querySelectorAll<HTMLInputElement>('input[name=priority]')];
  }

  private readAndSave(): void {
    this.filters.priorities = this.priorityBoxes().filter((b) => b.checked).map((b) => b.value as Priority);
    this.filters.types = csv(byId<HTMLInputElement>('f-types').value);
    this.filters.regions = csv(byId<HTMLInputElement>('f-regions').value);
    const minRisk = byId<HTMLInputElement>('f-minrisk').value;
    this.filters.minRisk = minRisk === '' ? null : Math.min(1, Math.max(0, Number(minRisk)));
    this.filters.showAcknowledged = byId<HTMLInputElement>('f-acked').checked;
    this.changed();
  }

  private readArea(): void {
    const values = AREA_INPUTS.map((k) => byId<HTMLInputElement>(`f-${k}`).value);
    if (values.some((v) => v === '')) {
      this.filters.area = null;
    } else {
      const [minLat, minLon, maxLat, maxLon] = values.map(Number) as [number, number, number, number];
      const area: BoundingBox = { minLat: Math.min(minLat, maxLat), maxLat: Math.max(minLat, maxLat),
        minLon: Math.min(minLon, maxLon), maxLon: Math.max(minLon, maxLon) };
      this.filters.area = area;
    }
    this.changed();
  }

  private write(): void {
    for (const box of this.priorityBoxes()) box.checked = this.filters.priorities.includes(box.value as Priority);
    byId<HTMLInputElement>('f-types').value = this.filters.types.join(', ');
    byId<HTMLInputElement>('f-regions').value = this.filters.regions.join(', ');
    byId<HTMLInputElement>('f-minrisk').value = this.filters.minRisk === null ? '' : String(this.filters.minRisk);
    byId<HTMLInputElement>('f-acked').checked = this.filters.showAcknowledged;
    this.writeArea();
  }

  private writeArea(): void {
    for (const key of AREA_INPUTS) {
      byId<HTMLInputElement>(`f-${key}`).value = this.filters.area ? String(this.filters.area[key]) : '';
    }
  }

  private changed(): void {
    saveFilters(this.filters);
    this.onChange();
  }
}

function fillDatalist(id: string, values: Set<string>): void {
  const list = byId(id);
  if (list.childElementCount === values.size) return;
  list.replaceChildren(...[...values].sort().map((v) => el('option', { attrs: { value: v } })));
}

export { PRIORITIES };

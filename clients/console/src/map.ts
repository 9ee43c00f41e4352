// The area filter's map: the alerts' coordinates as points on a plain lat/lon grid in SVG (equirectangular), no
// tiles or coastlines, so it works offline. Drag a rectangle to filter by that area; the four number inputs next to
// it do the same from the keyboard.
import type { AlertEntry, BoundingBox } from '@tocsin/client';
import { priorityOf } from './icons.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 200;

interface View { minLat: number; maxLat: number; minLon: number; maxLon: number }

export class AreaMap {
  private view: View = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
  private readonly points: SVGGElement;
  private readonly grid: SVGGElement;
  private readonly selection: SVGRectElement;
  private dragStart: { x: number; y: number } | null = null;
  private area: BoundingBox | null = null;

  constructor(readonly svg: SVGSVGElement, private readonly onArea: (area: BoundingBox | null) => void) {
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.grid = document.createElementNS(SVG, 'g');
    this.grid.setAttribute('class', 'map-grid');
    this.points = document.createElementNS(SVG, 'g');
    this.selection = document.createElementNS(SVG, 'rect');
    this.selection.setAttribute('class', 'map-selection');
    svg.append(this.grid, this.points, this.selection);
    svg.addEventListener('pointerdown', (e) => this.down(e));
    svg.addEventListener('pointermove', (e) => this.move(e));
    svg.addEventListener('pointerup', (e) => this.up(e));
  }

  /** Redraws the points of `entries`, zoomed to fit them (and the selected area). */
  render(entries: AlertEntry[], area: BoundingBox | null): void {
    this.area = area;
    const located = entries.filter((e) => e.alert.location?.lat !== undefined && e.alert.location?.lon !== undefined);
    this.view = fit(located.map((e) => [e.alert.location!.lat!, e.alert.location!.lon!] as [number, number]), area);
    this.drawGrid();
    this.points.replaceChildren(...located.map((e) => {
      const [x, y] = this.project(e.alert.location!.lat!, e.alert.location!.lon!);
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', x.toFixed(1));
      dot.setAttribute('cy', y.toFixed(1));
      dot.setAttribute('r', '4');
      dot.setAttribute('class', `map-point p-${priorityOf(e.alert.priority)}`);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = e.alert.title;
      dot.append(title);
      return dot;
    }));
    this.drawSelection(area);
  }

  private drawGrid(): void {
    const lines: SVGElement[] = [];
    const step = niceStep(Math.max(this.view.maxLon - this.view.minLon, this.view.maxLat - this.view.minLat) / 4);
    for (let lon = Math.ceil(this.view.minLon / step) * step; lon <= this.view.maxLon; lon += step) {
      const [x] = this.project(0, lon);
      lines.push(line(x, 0, x, H), label(x + 2, H - 3, `${round(lon)}°`));
    }
    for (let lat = Math.ceil(this.view.minLat / step) * step; lat <= this.view.maxLat; lat += step) {
      const [, y] = this.project(lat, 0);
      lines.push(line(0, y, W, y), label(2, y - 2, `${round(lat)}°`));
    }
    this.grid.replaceChildren(...lines);
  }

  private drawSelection(area: BoundingBox | null): void {
    if (!area) {
      this.selection.setAttribute('visibility', 'hidden');
      return;
    }
    const [x1, y1] = this.project(area.maxLat, area.minLon);
    const [x2, y2] = this.project(area.minLat, area.maxLon);
    this.rect(x1, y1, x2, y2);
  }

  private rect(x1: number, y1: number, x2: number, y2: number): void {
    this.selection.setAttribute('visibility', 'visible');
    this.selection.setAttribute('x', Math.min(x1, x2).toFixed(1));
    this.selection.setAttribute('y', Math.min(y1, y2).toFixed(1));
    this.selection.setAttribute('width', Math.abs(x2 - x1).toFixed(1));
    this.selection.setAttribute('height', Math.abs(y2 - y1).toFixed(1));
  }

  private project(lat: number, lon: number): [number, number] {
    const v = this.view;
    return [((lon - v.minLon) / (v.maxLon - v.minLon)) * W, ((v.maxLat - lat) / (v.maxLat - v.minLat)) * H];
  }

  private unproject(x: number, y: number): [number, number] {
    const v = this.view;
    return [v.maxLat - (y / H) * (v.maxLat - v.minLat), v.minLon + (x / W) * (v.maxLon - v.minLon)];
  }

  private local(e: PointerEvent): { x: number; y: number } {
    const box = this.svg.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * W, y: ((e.clientY - box.top) / box.height) * H };
  }

  private down(e: PointerEvent): void {
    this.dragStart = this.local(e);
    this.svg.setPointerCapture(e.pointerId);
  }

  private move(e: PointerEvent): void {
    if (!this.dragStart) return;
    const p = this.local(e);
    this.rect(this.dragStart.x, this.dragStart.y, p.x, p.y);
  }

  private up(e: PointerEvent): void {
    if (!this.dragStart) return;
    const start = this.dragStart;
    const end = this.local(e);
    this.dragStart = null;
    if (Math.abs(end.x - start.x) < 4 && Math.abs(end.y - start.y) < 4) {
      this.drawSelection(this.area); // a click, not a drag: keep what was selected
      return;
    }
    const [lat1, lon1] = this.unproject(start.x, start.y);
    const [lat2, lon2] = this.unproject(end.x, end.y);
    this.onArea({
      minLat: round(Math.min(lat1, lat2)), maxLat: round(Math.max(lat1, lat2)),
      minLon: round(Math.min(lon1, lon2)), maxLon: round(Math.max(lon1, lon2)),
    });
  }
}

function fit(points: [number, number][], area: BoundingBox | null): View {
  const lats = points.map((p) => p[0]);
  const lons = points.map((p) => p[1]);
  if (area) {
    lats.push(area.minLat, area.maxLat);
    lons.push(area.minLon, area.maxLon);
  }
  if (!lats.length) return { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
  let minLat = Math.min(...lats); let maxLat = Math.max(...lats);
  let minLon = Math.min(...lons); let maxLon = Math.max(...lons);
  // keep the map's aspect (W:H) and at least 2° across, with a margin
  const span = Math.max(2, (maxLon - minLon) * 1.2, (maxLat - minLat) * 1.2 * (W / H));
  const cLat = (minLat + maxLat) / 2; const cLon = (minLon + maxLon) / 2;
  minLon = cLon - span / 2; maxLon = cLon + span / 2;
  minLat = cLat - (span * H) / W / 2; maxLat = cLat + (span * H) / W / 2;
  return { minLat, maxLat, minLon, maxLon };
}

function niceStep(raw: number): number {
  for (const step of [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 90]) if (step >= raw) return step;
  return 90;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function line(x1: number, y1: number, x2: number, y2: number): SVGLineElement {
  const l = document.createElementNS(SVG, 'line');
  l.setAttribute('x1', x1.toFixed(1)); l.setAttribute('y1', y1.toFixed(1));
  l.setAttribute('x2', x2.toFixed(1)); l.setAttribute('y2', y2.toFixed(1));
  return l;
}

function label(x: number, y: number, text: string): SVGTextElement {
  const t = document.createElementNS(SVG, 'text');
  t.setAttribute('x', x.toFixed(1)); t.setAttribute('y', y.toFixed(1));
  t.textContent = text;
  return t;
}

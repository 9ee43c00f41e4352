// Priority icons as inline SVG built with the DOM (no icon font, no file from the net). Each priority has its own
// shape as well as its colour, so the list does not rely on colour alone.
import type { Priority } from '@tocsin/client';

const SVG = 'http://www.w3.org/2000/svg';

const SHAPES: Record<Priority, string> = {
  // octagon with an exclamation mark
  critical: 'M7 1h6l6 6v6l-6 6H7l-6-6V7zM9 5v7h2V5zm0 9v2h2v-2z',
  // triangle with an exclamation mark
  high: 'M10 1l9.5 17h-19zM9 7v5h2V7zm0 7v2h2v-2z',
  // diamond
  medium: 'M10 1l9 9-9 9-9-9z',
  // downward chevron in a circle
  low: 'M10 1a9 9 0 1 1 0 18a9 9 0 1 1 0-18zM5.5 8l4.5 4.5L14.5 8l-1.4-1.4-3.1 3.1-3.1-3.1z',
  // circled i
  info: 'M10 1a9 9 0 1 1 0 18a9 9 0 1 1 0-18zM9 8v7h2V8zm0-4v2h2V4z',
};

export const PRIORITIES: Priority[] = ['critical', 'high', 'medium', 'low', 'info'];

export function priorityOf(value: Priority | undefined): Priority {
  return value && PRIORITIES.includes(value) ? value : 'medium';
}

export function priorityIcon(priority: Priority): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('class', `icon icon-${priority}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', SHAPES[priority]);
  path.setAttribute('fill-rule', 'evenodd');
  svg.append(path);
  return svg;
}

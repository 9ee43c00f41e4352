// Small DOM helpers. Everything that comes from an alert goes in as text nodes or attributes, never as HTML: this
// module has no innerHTML, and neither has any other (test/browser/xss.test.ts proves a hostile title stays text).

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string | undefined>;
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Node | string | null | undefined)[]):
  HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) node.setAttribute(name, value);
  }
  for (const [event, listener] of Object.entries(props.on ?? {})) {
    if (listener) node.addEventListener(event, listener);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** The element with this id, or an error naming it (index.html and the code disagree). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node as T;
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

/** Splits "a, b ,c" into ['a', 'b', 'c'] (empty parts dropped). */
export function csv(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}

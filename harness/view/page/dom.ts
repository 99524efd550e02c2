/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Building the page's elements: `h('td', { class: 'detail' }, text)`; text is always set as text, never parsed as HTML. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttributeValue = string | number | boolean | undefined | ((event: Event) => void);

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const each of child as readonly Child[]) append(parent, each);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, AttributeValue>> | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Markup the viewer made itself on the server (its state diagrams), never anything a log holds. */
export function trustedSvg(markup: string): HTMLElement {
  const holder = h('div', { class: 'svg-holder' });
  holder.innerHTML = markup;
  return holder;
}

export function badge(passed: boolean): HTMLElement {
  return h('span', { class: `badge ${passed ? 'pass' : 'fail'}` }, passed ? 'PASS' : 'FAIL');
}

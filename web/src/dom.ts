type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener>;

/** Builds an element: `on*` attributes become listeners, `false` is left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child) element.append(child);
  }
  return element;
}

/** A labelled input: the label wraps it, so it is always associated. */
export function field(
  label: string,
  attrs: Attrs,
): { wrapper: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', attrs);
  return { wrapper: h('label', { class: 'field' }, label, input), input };
}

/** Shows an error sentence (or clears it) in a role=alert region. */
export function showMessage(
  region: HTMLElement,
  text: string | undefined,
  kind: 'error' | 'ok' = 'error',
): void {
  region.textContent = text ?? '';
  region.className = `message ${text ? kind : ''}`;
}

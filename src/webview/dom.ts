// Small DOM helpers for the playground page. Text is always set as text (never parsed as HTML).

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el as T;
}

/** A labelled field: label, control, and a place for the field's messages (linked by aria-describedby). */
export function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id = id;
  const msgs = h('div', { class: 'field-messages', id: `${id}-messages`, 'aria-live': 'polite' });
  const described = [hint ? `${id}-hint` : '', `${id}-messages`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  return h(
    'div',
    { class: 'field', 'data-field': id },
    h('label', { for: id, text: label }),
    control,
    hint ? h('div', { class: 'hint', id: `${id}-hint`, text: hint }) : null,
    msgs,
  );
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

/** A codicon (the icon font VS Code uses), hidden from screen readers: the text beside it says what it means. */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/**
 * Whether the codicon font loaded under the page's CSP (its stylesheet declares the font face; the font file
 * itself needs `font-src`): resolves "loaded" when the face is there and loaded, else "failed".
 */
export async function codiconFontStatus(): Promise<'loaded' | 'failed'> {
  try {
    const faces = await document.fonts.load('16px codicon');
    return faces.length > 0 && faces.every((f) => f.status === 'loaded') ? 'loaded' : 'failed';
  } catch {
    return 'failed';
  }
}

/** The element of that id (the page always renders it), typed as the caller expects. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** A new element with its text (as textContent) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: unknown,
  attrs?: Record<string, string>,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  return e;
}

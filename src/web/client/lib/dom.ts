/** The element of that id (the page always renders it), typed as the caller expects. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

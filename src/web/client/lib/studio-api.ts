// What studio.ts (loaded first by every studio page) offers the page's own script on
// window.cairnetStudio.

/** A JSON answer of the API: an error carries `code` and `message`; the rest is the route's own. */
export type ApiJson = { code?: string; message?: string } & Record<string, unknown>;

export interface ApiResult {
  ok: boolean;
  status: number;
  json: ApiJson | null;
}

export interface Studio {
  lang: string;
  /** The page's texts in its language (data-messages on <main>). */
  messages: Record<string, string>;
  /** A request with the session's CSRF token; a FormData body goes as multipart, others as JSON. */
  request(method: string, url: string, body?: unknown): Promise<ApiResult>;
  /** Shows a message in `el` (textContent only), marked as an error or not. */
  say(el: HTMLElement, text: string, isError?: boolean): void;
}

declare global {
  interface Window {
    cairnetStudio: Studio;
  }
}

/** The studio helpers studio.ts installed. */
export function studio(): Studio {
  return window.cairnetStudio;
}

/** Where the login page goes when `next` is missing or not a path of this site. */
export const DEFAULT_NEXT = '/admin';

const BASE = 'https://cairnet.invalid';
// Control characters (C0, DEL, C1) and the backslash, which browsers read as "/".
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * The page to go to after logging in: `next` when it is a path of this site, else `/admin`.
 * The value is decoded (up to three times, against double encoding) and must then start with a
 * single `/`, hold no backslash, no control character and no scheme; it is normalised through
 * the URL parser, which must keep it on this site. What is returned is the normalised path.
 *
 * @example
 * safeNextPath('/admin/campaign') // '/admin/campaign'
 * safeNextPath('/%5Cevil.example/phish') // '/admin'
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return DEFAULT_NEXT;
  let decoded = next;
  for (let i = 0; i < 3; i++) {
    if (FORBIDDEN.test(decoded)) return DEFAULT_NEXT;
    if (!decoded.startsWith('/') || decoded.startsWith('//')) return DEFAULT_NEXT;
    let again: string;
    try {
      again = decodeURIComponent(decoded);
    } catch {
      return DEFAULT_NEXT;
    }
    if (again === decoded) break;
    decoded = again;
  }
  if (FORBIDDEN.test(decoded) || !decoded.startsWith('/') || decoded.startsWith('//')) return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== BASE) return DEFAULT_NEXT;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : DEFAULT_NEXT;
}

import { createHash } from 'node:crypto';

/**
 * A stable version id for an instrument: the sha256 (hex) of its canonical JSON (object keys
 * sorted at every depth, no whitespace). Reformatting or reordering keys keeps the hash; any
 * change of content changes it.
 *
 * @example instrumentHash({ b: 1, a: [2] }) === instrumentHash({ a: [2], b: 1 }) // true
 */
export function instrumentHash(json: unknown): string {
  return createHash('sha256').update(canonicalJson(json)).digest('hex');
}

/** JSON with object keys sorted recursively; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

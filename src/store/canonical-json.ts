import { createHash } from 'node:crypto';
import { canonicalJson } from '../instrument/instrument-hash.js';

/** sha256 of a document's canonical JSON (keys sorted at every depth), hex. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** sha256 of a secret token, hex: what the store keeps instead of the token itself. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

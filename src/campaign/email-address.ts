import { createHash } from 'node:crypto';

/**
 * A pragmatic check of an e-mail address: one `@`, a local part of printable characters without
 * spaces, a domain of dot-separated labels with a dot in it. Stricter than RFC 5321 on purpose:
 * the addresses of an institution never need quoted local parts or IP literals.
 */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{4,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Trims and lower-cases an address (the import key: `Jane.Doe@Inserm.fr` and `jane.doe@inserm.fr` are one person). */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(normalised: string): boolean {
  return ADDRESS.test(normalised) && !normalised.includes('..') && !normalised.split('@')[0]!.startsWith('.');
}

/** The key a person is stored under: sha256 of the normalised address (kept after erasure). */
export function emailKey(normalised: string): string {
  return createHash('sha256').update(`cairnet-email:${normalised}`).digest('hex');
}

import { randomBytes } from 'node:crypto';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';

/** 32 random bytes (256 bits), base64url: 43 characters, also a valid resume token of the form. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN = /^[A-Za-z0-9_-]{22,128}$/;

/** The sha256 the store keeps of a token; throws on a malformed one. */
export function invitationTokenHash(token: string): string {
  if (!TOKEN.test(token)) {
    throw cairnetError(
      'CAIRNET_INVITATION_TOKEN_INVALID',
      'An invitation token is 22 to 128 characters of A-Z, a-z, 0-9, "-" or "_"',
    );
  }
  return tokenHash(token);
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN.test(token);
}

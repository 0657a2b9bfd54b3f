import { ERRORS, isCairnetError } from '../../../src/errors.js';

/** What a fuzz case can go wrong with: each is a bug, never a tolerated outcome. */
export type FindingKind = 'crash' | '500' | 'code' | 'store' | 'hang' | 'invariant';

/** A broken promise of a boundary: thrown by the checks, counted by the bench, failed by the tests. */
export class FuzzFinding extends Error {
  constructor(
    readonly kind: FindingKind,
    message: string,
  ) {
    super(`[${kind}] ${message}`);
    this.name = 'FuzzFinding';
  }
}

/** How a boundary answered one case: accepted, or refused with a registered code. */
export type FuzzOutcome = { accepted: true } | { accepted: false; code: string };

export const ACCEPTED: FuzzOutcome = { accepted: true };

/** A refusal's code must be registered and not CAIRNET_INTERNAL. */
export function checkedCode(code: unknown, context: string): FuzzOutcome {
  if (typeof code !== 'string' || !(code in ERRORS)) {
    throw new FuzzFinding('code', `${context}: unregistered error code ${JSON.stringify(code)}`);
  }
  if (code === 'CAIRNET_INTERNAL') throw new FuzzFinding('crash', `${context}: CAIRNET_INTERNAL`);
  return { accepted: false, code };
}

/** An exception from an in-process boundary: a registered CairnetError is a refusal, anything else a crash. */
export function refusalOf(e: unknown, context: string): FuzzOutcome {
  if (e instanceof FuzzFinding) throw e;
  if (!isCairnetError(e)) {
    throw new FuzzFinding('crash', `${context}: ${(e as Error)?.stack ?? String(e)}`.slice(0, 3000));
  }
  return checkedCode(e.code, context);
}

/** Awaits a case, or reports a hang after `ms` (an asynchronous hang; a synchronous one is the bench's watchdog's). */
export async function withinTime<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FuzzFinding('hang', `no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

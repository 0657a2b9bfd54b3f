import { isCairnetError } from '../errors.js';

/**
 * Prints a failure the way every command does: `error CODE: message` on stderr, and sets the
 * exit status from the error registry (1 for an unexpected error).
 */
export function reportFailure(e: unknown): void {
  if (isCairnetError(e)) {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    if (e.details !== undefined && process.env.CAIRNET_DEBUG) {
      process.stderr.write(`${JSON.stringify(e.details, null, 2)}\n`);
    }
    process.exitCode = e.exitCode;
  } else {
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`error CAIRNET_INTERNAL: ${msg}\n`);
    process.exitCode = 1;
  }
}

/** Wraps a commander action so that a thrown error becomes a clear message and an exit status. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportFailure(e);
    }
  };
}

import { type CairnetError, cairnetError } from '../errors.js';

/** A {@link CairnetError} with code `CAIRNET_STATS_INVALID`: the data do not allow this estimate. */
export function statsError(message: string, details?: unknown): CairnetError {
  return cairnetError('CAIRNET_STATS_INVALID', message, details);
}

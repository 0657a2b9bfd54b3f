import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cairnetError } from '../errors.js';
import { CAIRNET_PLAN_PATH, type ParsedPlan, readPlanFile } from '../plan/parse-plan.js';

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The analysis plan of an instrument: `--plan FILE` when given (its instrument must be the one
 * asked for, if any), else `instruments/NAME/plan.yaml` (`cairnet` by default).
 */
export function planFor(options: { instrument?: string | undefined; plan?: string | undefined }): ParsedPlan {
  const { instrument } = options;
  if (instrument !== undefined && !NAME.test(instrument))
    throw cairnetError('CAIRNET_USAGE', `--instrument ${instrument}: a name of a-z, 0-9, _ and -`);
  let path = options.plan;
  if (path === undefined) {
    path =
      instrument === undefined || instrument === 'cairnet'
        ? CAIRNET_PLAN_PATH
        : fileURLToPath(new URL(`../../instruments/${instrument}/plan.yaml`, import.meta.url));
    if (!existsSync(path))
      throw cairnetError(
        'CAIRNET_FILE_UNREADABLE',
        `No analysis plan for "${instrument}" (instruments/${instrument}/plan.yaml): give one with --plan FILE`,
      );
  }
  const parsed = readPlanFile(path);
  if (instrument !== undefined && parsed.plan.instrument !== instrument)
    throw cairnetError(
      'CAIRNET_USAGE',
      `The plan ${path} is for "${parsed.plan.instrument}", not "${instrument}"`,
    );
  return parsed;
}

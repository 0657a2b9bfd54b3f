import { type CairnetError, cairnetError } from '../errors.js';

/** One thing wrong with a plan file: where, in which indicator, and what. */
export interface PlanProblem {
  /** 1-based line in the plan file (0 when unknown). */
  line: number;
  /** The indicator's id, or null for the plan's other sections. */
  indicator: string | null;
  message: string;
}

/** `CAIRNET_PLAN_INVALID` listing every problem, the first one in the message. */
export function planInvalid(source: string, problems: PlanProblem[]): CairnetError {
  const first = problems[0]!;
  const where = `${source}${first.line ? ` line ${first.line}` : ''}${first.indicator ? ` (indicator ${first.indicator})` : ''}`;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return cairnetError('CAIRNET_PLAN_INVALID', `${where}: ${first.message}${more}`, problems);
}

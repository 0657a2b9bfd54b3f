import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { cairnetError } from '../errors.js';
import type { PlanProblem } from './plan-problem.js';
import { planInvalid } from './plan-problem.js';
import { type Plan, planSchema } from './plan-schema.js';

/** Where the Cairnet analysis plan lives. */
export const CAIRNET_PLAN_PATH = fileURLToPath(
  new URL('../../instruments/cairnet/plan.yaml', import.meta.url),
);

/** A plan checked against its schema, with the way back to the lines of its file. */
export interface ParsedPlan {
  plan: Plan;
  source: string;
  /** 1-based line of the value at a path such as `['indicators', 3, 'among']` (0 when unknown). */
  lineOf(path: readonly PropertyKey[]): number;
  /** The id of the indicator a path is inside, if any. */
  indicatorOf(path: readonly PropertyKey[]): string | null;
}

/**
 * Parses and validates a plan written in YAML. Every problem names its line and indicator:
 * `CAIRNET_PLAN_INVALID` with details `[{line, indicator, message}]`.
 *
 * @example
 * const { plan } = parsePlan(readFileSync('plan.yaml', 'utf8'), 'plan.yaml');
 */
export function parsePlan(text: string, source = 'plan'): ParsedPlan {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw planInvalid(
      source,
      doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        indicator: null,
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let k = path.length; k >= 0; k--) {
      const node = k === 0 ? doc.contents : doc.getIn(path.slice(0, k) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 0;
  };
  const indicatorOf = (path: readonly PropertyKey[]): string | null => {
    if (path[0] !== 'indicators' || typeof path[1] !== 'number') return null;
    const list = (raw as { indicators?: unknown[] } | null)?.indicators;
    const id = (list?.[path[1]] as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : `#${path[1] + 1}`;
  };
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const problems: PlanProblem[] = parsed.error.issues.map((issue) => ({
      line: lineOf(issue.path),
      indicator: indicatorOf(issue.path),
      message: `${issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''}${issueMessage(issue)}`,
    }));
    throw planInvalid(source, problems);
  }
  return { plan: parsed.data, source, lineOf, indicatorOf };
}

function issueMessage(issue: { code: string; message: string }): string {
  if (issue.code === 'invalid_union') return 'not one of the forms this field accepts';
  return issue.message;
}

/** Reads and parses a plan file (`CAIRNET_FILE_UNREADABLE` when it cannot be read). */
export function readPlanFile(path: string = CAIRNET_PLAN_PATH): ParsedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw cairnetError(
      'CAIRNET_FILE_UNREADABLE',
      `Cannot read the plan file ${path}: ${(e as Error).message}`,
    );
  }
  return parsePlan(text, path);
}

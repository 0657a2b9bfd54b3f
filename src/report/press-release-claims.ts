import { cairnetError } from '../errors.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';
import { formatPercent, formatPercentInterval, type Lang } from './number-format.js';

/**
 * A claim of a press-release template: `{{claim F18 > 50%}}` ("a majority disagree", "few
 * fear") or `{{claim F7 < F8}}` ("relations grow with age"). It prints nothing; it is a condition
 * on the estimates and their intervals that the sentence (or heading) holding it relies on.
 *
 * | outcome | when | what happens |
 * |---|---|---|
 * | `supported` | the whole interval lies on the claimed side (of the threshold, or of the other interval) | the sentence is printed |
 * | `unsettled` | the estimate is on the claimed side but the interval(s) reach across | the sentence is left out (or its alternative used) |
 * | `unverifiable` | a figure it needs is suppressed or not available | the sentence is left out (or its alternative used) |
 * | contradicted | the estimate is on the other side (or equal) | the output stops: `CAIRNET_PUBLISH_CLAIM_CONTRADICTED` |
 */
export interface Claim {
  /** The claim as written in the template ("F18 > 50%"). */
  text: string;
  left: CellRef;
  op: '>' | '<';
  right: CellRef | { value: number };
}

interface CellRef {
  id: string;
  group?: string | undefined;
}

export type ClaimOutcome = 'supported' | 'unsettled' | 'unverifiable';

const REF = /^([A-Za-z]\w*)(?:\.([\w-]+))?$/;

/** Parses "F18 > 50%" / "F7 < F8.yes"; null when malformed. */
export function parseClaim(text: string): Claim | null {
  const m = /^\s*(\S+)\s*([<>])\s*(\S+)\s*$/.exec(text);
  if (!m) return null;
  const left = REF.exec(m[1]!);
  if (!left) return null;
  const op = m[2] as '>' | '<';
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(m[3]!);
  if (pct)
    return {
      text: text.trim(),
      left: { id: left[1]!, group: left[2] },
      op,
      right: { value: Number(pct[1]) / 100 },
    };
  const right = REF.exec(m[3]!);
  if (!right) return null;
  return {
    text: text.trim(),
    left: { id: left[1]!, group: left[2] },
    op,
    right: { id: right[1]!, group: right[2] },
  };
}

function cell(results: PlanResults, ref: CellRef): { ind: IndicatorResult; cell: CellResult } | 'missing' {
  const ind = results.indicators.find((r) => r.id === ref.id);
  if (!ind) return 'missing';
  if (ref.group === undefined) return { ind, cell: ind };
  const c = ind.groups?.find((g) => g.group === ref.group) ?? ind.levels?.find((l) => l.level === ref.group);
  return c ? { ind, cell: c } : 'missing';
}

function usable(x: { ind: IndicatorResult; cell: CellResult }): x is {
  ind: IndicatorResult;
  cell: CellResult & { estimate: number; ci: [number, number] };
} {
  return x.ind.status === 'ok' && !x.cell.suppressed && x.cell.estimate !== null && x.cell.ci !== null;
}

function describe(ref: CellRef, c: CellResult, lang: Lang): string {
  const name = ref.group === undefined ? ref.id : `${ref.id}.${ref.group}`;
  return `${name} = ${formatPercent(c.estimate ?? 0, lang)} (${formatPercentInterval(c.ci ?? [0, 0], lang)})`;
}

/**
 * Evaluates a claim; throws `CAIRNET_PUBLISH_CLAIM_CONTRADICTED` (naming the claim, the sentence
 * and the figures) when the data contradict it. `missing` names an unknown indicator or group.
 */
export function evaluateClaim(
  results: PlanResults,
  claim: Claim,
  sentence: string,
  lang: Lang,
  missing: (ref: string) => never,
): ClaimOutcome {
  const l = cell(results, claim.left);
  if (l === 'missing') return missing(claim.left.id + (claim.left.group ? `.${claim.left.group}` : ''));
  let lo: number;
  let hi: number;
  let estimate: number;
  let figure: string;
  if ('value' in claim.right) {
    if (!usable(l)) return 'unverifiable';
    [lo, hi] = l.cell.ci;
    estimate = l.cell.estimate;
    figure = describe(claim.left, l.cell, lang);
    const v = claim.right.value;
    const sign = claim.op === '>' ? 1 : -1;
    if (sign * (estimate - v) <= 0) contradicted(claim, sentence, figure);
    return (claim.op === '>' ? lo > v : hi < v) ? 'supported' : 'unsettled';
  }
  const r = cell(results, claim.right);
  if (r === 'missing') return missing(claim.right.id + (claim.right.group ? `.${claim.right.group}` : ''));
  if (!usable(l) || !usable(r)) return 'unverifiable';
  figure = `${describe(claim.left, l.cell, lang)}, ${describe(claim.right, r.cell, lang)}`;
  const sign = claim.op === '>' ? 1 : -1;
  if (sign * (l.cell.estimate - r.cell.estimate) <= 0) contradicted(claim, sentence, figure);
  const apart = claim.op === '>' ? l.cell.ci[0] > r.cell.ci[1] : l.cell.ci[1] < r.cell.ci[0];
  return apart ? 'supported' : 'unsettled';
}

function contradicted(claim: Claim, sentence: string, figure: string): never {
  throw cairnetError(
    'CAIRNET_PUBLISH_CLAIM_CONTRADICTED',
    `The claim "${claim.text}" is contradicted by the data (${figure}) in "${sentence}"`,
    { claim: claim.text, sentence, figure },
  );
}

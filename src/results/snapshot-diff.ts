import type { PlanResults } from '../plan/evaluate-plan.js';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';

/** How one figure of an indicator moved from one snapshot to the other. */
export interface FigureChange {
  /** Which figure: '' for the indicator's own, `group=G`, `level=L`, or `group=G level=L`. */
  cell: string;
  group?: string;
  level?: string;
  before: number | null;
  after: number | null;
  /** after − before (null when either is withheld or missing). */
  change: number | null;
  nBefore: number | null;
  nAfter: number | null;
  /**
   * The later estimate lies outside the earlier one's confidence interval (null when there is
   * no interval to compare with).
   */
  beyondInterval: boolean | null;
}

export interface IndicatorDiff {
  id: string;
  label: IndicatorResult['label'];
  kind: IndicatorResult['kind'];
  /** 'added' / 'removed': in one snapshot only; 'moved': some figure changed; else 'unchanged'. */
  state: 'moved' | 'unchanged' | 'added' | 'removed';
  /** Some figure moved beyond the earlier interval. */
  beyondInterval: boolean;
  /** The figures that moved (all of them for 'added' or 'removed'). */
  changes: FigureChange[];
}

export interface SnapshotDiff {
  from: string;
  to: string;
  n: { before: number; after: number };
  indicators: IndicatorDiff[];
  /** How many indicators moved, and how many beyond their interval. */
  moved: number;
  beyondInterval: number;
}

type Cell = CellResult & { cell: string; group?: string; level?: string };

function cells(ind: IndicatorResult): Map<string, Cell> {
  const out = new Map<string, Cell>([['', { ...ind, cell: '' }]]);
  for (const l of ind.levels ?? [])
    out.set(`level=${l.level}`, { ...l, cell: `level=${l.level}`, level: l.level });
  for (const g of ind.groups ?? []) {
    out.set(`group=${g.group}`, { ...g, cell: `group=${g.group}`, group: g.group });
    for (const l of g.levels ?? []) {
      const key = `group=${g.group} level=${l.level}`;
      out.set(key, { ...l, cell: key, group: g.group, level: l.level });
    }
  }
  return out;
}

const EPSILON = 1e-12;

function compare(cell: string, a: Cell | undefined, b: Cell | undefined): FigureChange {
  const before = a?.estimate ?? null;
  const after = b?.estimate ?? null;
  const change = before !== null && after !== null ? after - before : null;
  const ci = a?.ci ?? null;
  const where = a ?? b;
  return {
    cell,
    ...(where?.group !== undefined ? { group: where.group } : {}),
    ...(where?.level !== undefined ? { level: where.level } : {}),
    before,
    after,
    change,
    nBefore: a?.n ?? null,
    nAfter: b?.n ?? null,
    beyondInterval: ci && after !== null ? after < ci[0] || after > ci[1] : null,
  };
}

function moved(c: FigureChange): boolean {
  if (c.change !== null) return Math.abs(c.change) > EPSILON || c.nBefore !== c.nAfter;
  return c.before !== c.after || c.nBefore !== c.nAfter;
}

/**
 * Which indicators moved between two snapshots' results (`from` the earlier, `to` the later),
 * by how much, and whether beyond the earlier interval: every figure of each indicator (its own,
 * its groups', its levels') compared by its place. Pure: it takes the results, not the store.
 *
 * @example
 * const d = diffResults(published.results, latest.results, published.snapshot.id, latest.snapshot.id);
 */
export function diffResults(a: PlanResults, b: PlanResults, from: string, to: string): SnapshotDiff {
  const before = new Map(a.indicators.map((i) => [i.id, i]));
  const after = new Map(b.indicators.map((i) => [i.id, i]));
  const ids = [...new Set([...b.indicators.map((i) => i.id), ...a.indicators.map((i) => i.id)])];
  const indicators = ids.map((id): IndicatorDiff => {
    const x = before.get(id);
    const y = after.get(id);
    const ref = (y ?? x)!;
    const cx = x ? cells(x) : new Map<string, Cell>();
    const cy = y ? cells(y) : new Map<string, Cell>();
    const keys = [...new Set([...cy.keys(), ...cx.keys()])];
    const all = keys.map((k) => compare(k, cx.get(k), cy.get(k)));
    const changes = x && y ? all.filter(moved) : all;
    return {
      id,
      label: ref.label,
      kind: ref.kind,
      state: !x ? 'added' : !y ? 'removed' : changes.length > 0 ? 'moved' : 'unchanged',
      beyondInterval: changes.some((c) => c.beyondInterval === true),
      changes,
    };
  });
  return {
    from,
    to,
    n: { before: a.n, after: b.n },
    indicators,
    moved: indicators.filter((i) => i.state !== 'unchanged').length,
    beyondInterval: indicators.filter((i) => i.beyondInterval).length,
  };
}

import type { PlanResults } from '../plan/evaluate-plan.js';
import type { CellResult, GroupResult, IndicatorResult } from '../plan/indicator-result.js';

function withheld<C extends CellResult>(c: C): C {
  if (!c.suppressed) return c;
  return { ...c, count: null, estimate: null, ci: null, se: undefined };
}

/** Whether an indicator may appear in public: computed, and its overall cell not suppressed. */
export function isPublishable(ind: IndicatorResult): boolean {
  return ind.status === 'ok' && !ind.suppressed && ind.estimate !== null;
}

/** A group stripped as its cells are: its levels, and its scale's distribution left out when suppressed. */
function withheldGroup(g: GroupResult): GroupResult {
  const out: GroupResult = { ...withheld(g), ...(g.levels ? { levels: g.levels.map(withheld) } : {}) };
  if (g.scale?.suppressed) delete out.scale;
  return out;
}

/**
 * The results as the public may see them: publishable indicators only, and in them every
 * suppressed group or level stripped of its estimate, count and interval (its base stays), and a
 * Likert item's distribution left out when any of its cells is suppressed.
 * Tests of a breakdown with a suppressed group are dropped: with the margins they could give
 * the cell away.
 */
export function publicResults(results: PlanResults): PlanResults {
  return {
    ...results,
    indicators: results.indicators.filter(isPublishable).map((ind) => {
      const out: IndicatorResult = { ...ind };
      if (ind.groups) out.groups = ind.groups.map(withheldGroup);
      if (ind.levels) out.levels = ind.levels.map(withheld);
      if (ind.scale?.suppressed) delete out.scale;
      if ([...(ind.groups ?? []), ...(ind.levels ?? [])].some((c) => c.suppressed)) delete out.test;
      return out;
    }),
  };
}

/**
 * Every indicator, each suppressed cell (the indicator's own, its groups', its levels') stripped
 * of its figures: what the dashboard's API returns to the survey team's roles.
 */
export function withholdSuppressed(results: PlanResults): PlanResults {
  return {
    ...results,
    indicators: results.indicators.map((ind) => {
      const out: IndicatorResult = withheld({ ...ind });
      if (ind.groups) out.groups = ind.groups.map(withheldGroup);
      if (ind.levels) out.levels = ind.levels.map(withheld);
      if (ind.scale?.suppressed) delete out.scale;
      if ([...(ind.groups ?? []), ...(ind.levels ?? [])].some((c) => c.suppressed)) delete out.test;
      return out;
    }),
  };
}

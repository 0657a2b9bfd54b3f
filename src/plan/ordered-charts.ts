import type { Condition } from '../dataset/condition.js';
import type { Codebook, LocalisedText } from '../instrument/types.js';
import type { Plan } from './plan-schema.js';

/** One point of an ordered chart: an indicator at the levels its `among` picks. */
export interface OrderedPoint {
  indicator: string;
  levels: string[];
  /** The levels' wording ("Under 30"; several joined by commas). */
  label: LocalisedText;
}

/**
 * Indicators drawn as one chart across the levels of an ordered variable (the age gradient of
 * F7–F9): the points in the variable's order. Outputs draw it once, where its first indicator is.
 */
export interface OrderedChart {
  id: string;
  label: LocalisedText;
  variable: string;
  points: OrderedPoint[];
}

/** The levels of `variable` a condition pins (`{var, in}` alone or among `all`), or null. */
export function pinnedLevels(c: Condition | undefined, variable: string): string[] | null {
  if (!c) return null;
  if ('var' in c) return c.var === variable ? c.in.map(String) : null;
  if ('all' in c) {
    for (const part of c.all) {
      const found = pinnedLevels(part, variable);
      if (found) return found;
    }
  }
  return null;
}

/** A level's wording: the codebook's value label, a derived variable's level label, or the code. */
function levelWording(plan: Plan, codebook: Codebook, variable: string, level: string): LocalisedText {
  const coded = codebook.variables.find((v) => v.name === variable);
  const l = coded?.levels.find((x) => String(x.value) === level);
  if (l) return l.label;
  for (const d of plan.derived) {
    if (d.name === variable && 'levelLabels' in d && d.levelLabels?.[level]) return d.levelLabels[level];
  }
  return { fr: level, en: level };
}

/**
 * The plan's ordered charts (`charts:`), each point placed at its levels and sorted in the
 * variable's order (`levels`); the plan is checked first (check-plan.ts), so every point exists.
 */
export function orderedCharts(
  plan: Plan,
  codebook: Codebook,
  levels: (variable: string) => string[],
): OrderedChart[] {
  return (plan.charts ?? []).map((chart) => {
    const order = levels(chart.ordered);
    const points = chart.indicators.map((id): OrderedPoint => {
      const ind = plan.indicators.find((i) => i.id === id);
      const at = pinnedLevels(ind?.among, chart.ordered) ?? [];
      const words = at.map((l) => levelWording(plan, codebook, chart.ordered, l));
      return {
        indicator: id,
        levels: at,
        label: { fr: words.map((w) => w.fr).join(', '), en: words.map((w) => w.en).join(', ') },
      };
    });
    const rank = (p: OrderedPoint) => Math.min(...p.levels.map((l) => order.indexOf(l)));
    points.sort((a, b) => rank(a) - rank(b));
    return { id: chart.id, label: chart.label, variable: chart.ordered, points };
  });
}

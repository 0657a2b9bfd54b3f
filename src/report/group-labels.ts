import type { Codebook } from '../instrument/types.js';
import type { Plan } from '../plan/plan-schema.js';
import type { GroupLabels } from './indicator-chart.js';
import type { Lang } from './number-format.js';

/**
 * Names of a breakdown's groups in a language: the typology's profile labels, a derived
 * variable's level labels, or the codebook's value labels; the code itself otherwise.
 */
export function groupLabeller(plan: Plan, codebook: Codebook, lang: Lang): GroupLabels {
  return (variable, group) => {
    if (plan.typology && variable === plan.typology.name) {
      const p = plan.typology.profiles[group];
      if (p) return p.label[lang];
    }
    for (const d of plan.derived) {
      if (d.name === variable && 'levelLabels' in d && d.levelLabels?.[group])
        return d.levelLabels[group][lang];
    }
    const v = codebook.variables.find((x) => x.name === variable);
    const level = v?.levels.find((l) => String(l.value) === group);
    return level ? level.label[lang] : group;
  };
}

/** The variable whose levels an indicator shows (a distribution's), if any. */
export function indicatorVariable(plan: Plan, id: string): string | undefined {
  const ind = plan.indicators.find((i) => i.id === id);
  if (!ind) return undefined;
  const e = ind.estimate as { distribution?: string; bracketShare?: { var: string } };
  return e.distribution ?? e.bracketShare?.var;
}

/** The wording of an indicator's level ("Strongly disagree" for `strongly_disagree`). */
export function levelLabeller(
  plan: Plan,
  codebook: Codebook,
  lang: Lang,
): (id: string, level: string) => string {
  const group = groupLabeller(plan, codebook, lang);
  return (id, level) => {
    const variable = indicatorVariable(plan, id);
    return variable ? group(variable, level) : level;
  };
}

/** The wording of a level code of an indicator's variable (a bracket bound such as `40_100k`). */
export function boundLabeller(
  plan: Plan,
  codebook: Codebook,
  lang: Lang,
  id: string,
): (code: string) => string {
  const group = groupLabeller(plan, codebook, lang);
  const variable = indicatorVariable(plan, id);
  return (code) => (variable ? group(variable, code) : code);
}

/** The labellers an output needs, in one language. */
export interface OutputLabels {
  group: GroupLabels;
  level: (id: string, level: string) => string;
}

export function outputLabels(plan: Plan, codebook: Codebook, lang: Lang): OutputLabels {
  return { group: groupLabeller(plan, codebook, lang), level: levelLabeller(plan, codebook, lang) };
}

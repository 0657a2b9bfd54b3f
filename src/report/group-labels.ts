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

import type { Codebook, LocalisedText } from '../instrument/types.js';
import type { VariableShape } from './check-plan.js';
import type { Plan } from './plan-schema.js';

/**
 * The levels of an ordered variable (an ordinal question of the codebook, or a derived recode of
 * one with its level labels) with their wording, in order; null for any other variable. What an
 * indicator's share of a Likert item carries as its whole distribution.
 *
 * @example
 * scaleLevelsOf(codebook, plan, vocabulary)('opinion_freedom')?.map((l) => l.level)
 * // ['strongly_disagree', 'disagree', 'agree', 'strongly_agree']
 */
export function scaleLevelsOf(
  codebook: Codebook,
  plan: Plan,
  vocabulary: ReadonlyMap<string, VariableShape>,
): (variable: string) => { level: string; label: LocalisedText }[] | null {
  return (variable) => {
    const shape = vocabulary.get(variable);
    if (shape?.kind !== 'categorical' || !shape.ordered) return null;
    const coded = codebook.variables.find((v) => v.name === variable);
    if (coded) return coded.levels.map((l) => ({ level: String(l.value), label: l.label }));
    const derived = plan.derived.find((d) => d.name === variable);
    if (!derived || !('levelLabels' in derived) || !derived.levelLabels) return null;
    const labels = derived.levelLabels;
    if (!shape.levels.every((l) => labels[l])) return null;
    return shape.levels.map((level) => ({ level, label: labels[level]! }));
  };
}

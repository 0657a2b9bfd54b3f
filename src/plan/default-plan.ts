import { stringify } from 'yaml';
import type { Condition } from '../dataset/condition.js';
import type { Codebook, CodebookVariable, LocalisedText } from '../instrument/types.js';
import { askedCondition } from './asked-condition.js';

/** A plan variable name (as plan-schema.ts accepts it). */
const PLAN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

interface DefaultIndicator {
  id: string;
  label: LocalisedText;
  estimate: Record<string, unknown>;
  among?: Condition;
}

/** The plan written for a survey that has none: the fields plan-schema.ts reads. */
export interface DefaultPlan {
  version: 1;
  instrument: string;
  disclosure: { minCell: number; fragileBase: number };
  confidence: number;
  indicators: DefaultIndicator[];
}

function label(v: CodebookVariable, suffix?: LocalisedText): LocalisedText {
  const fr = v.label.fr.trim() || v.label.en.trim() || v.name;
  const en = v.label.en.trim() || v.label.fr.trim() || v.name;
  return suffix ? { fr: `${fr} : ${suffix.fr}`, en: `${en}: ${suffix.en}` } : { fr, en };
}

function uniqueIds(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    let base = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base)) base = `q_${base}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}_${k}`;
    used.add(id);
    return id;
  };
}

/** The base of a share among those asked: their condition, or those who answered when it cannot be said. */
function amongAsked(v: CodebookVariable, codebook: Codebook, answeredColumn: string): Condition | undefined {
  const asked = askedCondition(v.visibleIf, codebook);
  if (asked === null) return undefined;
  return asked ?? { answered: answeredColumn };
}

const TEXT_ANSWERED: LocalisedText = { fr: 'a répondu', en: 'answered' };

function indicatorsOf(
  v: CodebookVariable,
  codebook: Codebook,
  id: (n: string) => string,
): DefaultIndicator[] {
  switch (v.type) {
    case 'single':
    case 'ordinal':
    case 'matrix_row':
      return [{ id: id(v.name), label: label(v), estimate: { distribution: v.name } }];
    case 'boolean': {
      if (v.choice === undefined)
        return [{ id: id(v.name), label: label(v), estimate: { distribution: v.name } }];
      // a checkbox's choice: the share ticking it among those asked the question
      const question = codebook.variables.find((q) => q.name === v.question);
      const choice = question?.levels.find((l) => String(l.value) === v.choice)?.label;
      const among = amongAsked(v, codebook, v.name);
      return [
        {
          id: id(v.name),
          label: label(question ?? v, choice),
          estimate: { proportion: { var: v.name, in: ['1'] } },
          ...(among ? { among } : {}),
        },
      ];
    }
    case 'numeric':
      return [
        { id: id(v.name), label: label(v), estimate: { mean: v.name } },
        { id: id(`${v.name}_quartiles`), label: label(v), estimate: { quartiles: v.name } },
      ];
    case 'text':
    case 'text_list': {
      const among = amongAsked(v, codebook, v.name);
      return [
        {
          id: id(v.name),
          label: label(v, TEXT_ANSWERED),
          estimate: { proportion: { answered: v.name } },
          ...(among ? { among } : {}),
        },
      ];
    }
    default:
      return [];
  }
}

/**
 * The analysis plan a survey has the day it opens, from its codebook alone: for each closed
 * question a distribution (each level's count, share and Wilson interval; n = those who
 * answered it), one per row of a matrix; for each choice of a checkbox the share ticking it
 * among those asked (the question's skip logic as the base); for a number its mean and its
 * quartiles; for a free text the number and share of those asked who answered it. Variables
 * whose names a plan cannot spell are left out.
 *
 * @example const plan = defaultPlan(codebook, 'staff-2026');
 */
export function defaultPlan(codebook: Codebook, instrument: string): DefaultPlan {
  const id = uniqueIds();
  const indicators = codebook.variables
    .filter((v) => v.type !== 'multiple' && PLAN_NAME.test(v.name))
    .flatMap((v) => indicatorsOf(v, codebook, id));
  return {
    version: 1,
    instrument,
    disclosure: { minCell: 5, fragileBase: 30 },
    confidence: 0.95,
    indicators,
  };
}

/** The default plan as YAML to edit (`cairnet plan init`), with a header saying what to add. */
export function defaultPlanYaml(codebook: Codebook, instrument: string): string {
  const header = [
    `# Analysis plan of "${instrument}", written from its codebook by \`cairnet plan init\`.`,
    '# Each indicator is one published figure. Edit it, then store it with',
    `# \`cairnet plan set --instrument ${instrument} FILE.yaml\`. You may add: breakdowns (by: VAR),`,
    '# tests (test: chisq | fisher | …), derived variables (derived:), a typology (typology:),',
    '# weighting to the population (weighting: { rake: [VAR, …], to: population }).',
    '',
  ].join('\n');
  return `${header}${stringify(defaultPlan(codebook, instrument), { lineWidth: 100 })}`;
}

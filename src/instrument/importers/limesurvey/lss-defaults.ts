import type { ElementJson } from '../../types.js';
import type { ImportProblems } from '../import-problems.js';
import type { Choice, LssQuestion } from './lss-build-question.js';
import type { LssDocument } from './read-lss.js';

/**
 * Default answers (`defaultvalues`, with their texts in `defaultvalue_l10ns` from LimeSurvey 4)
 * become `defaultValue`: a choice code, the ticked boxes of a multiple choice, a text or number,
 * a matrix row's column. An expression as default (`{TODAY}`, `{…}`) is reported, not carried.
 */
export function applyDefaults(
  doc: LssDocument,
  built: { q: LssQuestion; elements: ElementJson[] }[],
  base: string,
  problems: ImportProblems,
): void {
  const subCode = new Map(doc.subquestions.concat(doc.questions).map((r) => [r.qid ?? '', r.title ?? '']));
  for (const d of doc.defaultValues) {
    const b = built.find((x) => x.q.qid === d.qid);
    if (!b) continue;
    const where = `question ${b.q.code}`;
    const l10n = doc.defaultValueL10ns.filter((l) => l.dvid !== undefined && l.dvid === d.dvid);
    const row = l10n.find((l) => (l.language || base) === base) ?? l10n[0] ?? d;
    if (d.language && d.language !== base && !d.dvid) continue;
    const value = (row.defaultvalue ?? '').trim();
    if (value === '') continue;
    if (/[{}]/.test(value)) {
      problems.lose(where, 'default', `the default "${value.slice(0, 60)}" is an expression: not carried`);
      continue;
    }
    const sq = d.sqid && d.sqid !== '0' ? subCode.get(d.sqid) : undefined;
    const main = b.elements[0]!;
    if (d.specialtype === 'other') {
      problems.lose(where, 'default', 'the default text of "Other" is not carried');
      continue;
    }
    if (main.type === 'checkbox') {
      if (sq && value === 'Y') main.defaultValue = [...((main.defaultValue as string[]) ?? []), sq];
    } else if (main.type === 'matrix' && sq) {
      main.defaultValue = { ...((main.defaultValue as object) ?? {}), [sq]: value };
    } else if (sq) {
      const split = b.elements.find((e) => e.name === `${b.q.code}_${sq}`);
      if (split) split.defaultValue = numeric(split, value);
      else problems.lose(where, 'default', `the default of subquestion ${sq} is not carried`);
    } else if (main.choices && !(main.choices as Choice[]).some((c) => c.value === value)) {
      problems.lose(where, 'default', `the default "${value}" is not one of the answers: not carried`);
    } else main.defaultValue = numeric(main, value);
  }
}

function numeric(el: ElementJson, value: string): string | number {
  return el.inputType === 'number' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/**
 * Quotas are not enforced by Cairnet: each is reported on every question it counts, with its
 * limit and the answers it counts, so the survey team knows which profiles are not closed.
 */
export function reportQuotas(
  doc: LssDocument,
  codeOfQid: Map<string, string>,
  problems: ImportProblems,
): void {
  for (const quota of doc.quotas) {
    if (quota.active === '0') continue;
    const name =
      doc.quotaLanguageSettings.find((l) => l.quotals_quota_id === quota.id)?.quotals_name ||
      quota.name ||
      quota.id;
    const members = doc.quotaMembers.filter((m) => m.quota_id === quota.id);
    const what = `quota "${name}" (at most ${quota.qlimit ?? '?'} responses)`;
    if (members.length === 0)
      problems.lose('survey', 'quota', `${what} not carried: nothing closes the survey when it is full`);
    for (const m of members) {
      const code = codeOfQid.get(m.qid ?? '') ?? `question id ${m.qid}`;
      problems.lose(
        `question ${code}`,
        'quota',
        `${what} counting answer "${m.code ?? ''}" not carried: nothing closes the survey when it is full`,
      );
    }
  }
}

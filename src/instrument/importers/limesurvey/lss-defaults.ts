import type { InstrumentQuota } from '../../quotas.js';
import type { ElementJson, LocalisableString } from '../../types.js';
import type { ImportProblems } from '../import-problems.js';
import type { Choice, LssQuestion } from './lss-build-question.js';
import type { LssDocument, LssRow } from './read-lss.js';

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

/** Question types whose quota members Cairnet counts: one answer code, or ticked subquestions. */
const QUOTA_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'rating']);

/**
 * LimeSurvey quotas become the instrument's quotas (`cairnetQuotas`, enforced by the server on
 * submission, see src/instrument/quotas.ts): members on one question are one member with its
 * answer codes (OR), members on several questions must all hold (AND); action 1 (terminate)
 * is `end`, 2 (let the respondent change the last answers) is `change`; the message in every
 * language. An inactive quota, or one counting a question Cairnet does not count by answer
 * code (an array, a text), is reported instead, on the question and the quota.
 */
export function carryQuotas(
  doc: LssDocument,
  built: { q: LssQuestion; elements: ElementJson[] }[],
  message: (rows: LssRow[], where: string) => LocalisableString | undefined,
  problems: ImportProblems,
): InstrumentQuota[] {
  const quotas: InstrumentQuota[] = [];
  for (const quota of doc.quotas) {
    const settings = doc.quotaLanguageSettings.filter((l) => l.quotals_quota_id === quota.id);
    const name = settings.find((l) => l.quotals_name)?.quotals_name || quota.name || quota.id || '';
    const what = `quota "${name}" (at most ${quota.qlimit ?? '?'} responses)`;
    if (quota.active === '0') {
      problems.lose('survey', 'quota', `${what} is inactive in the source: not carried`);
      continue;
    }
    const limit = Number(quota.qlimit);
    const rows = doc.quotaMembers.filter((m) => m.quota_id === quota.id);
    const members = new Map<string, string[]>();
    let carried = rows.length > 0 && Number.isInteger(limit) && limit >= 0;
    for (const m of rows) {
      const b = built.find((x) => x.q.qid === m.qid);
      const el = b?.elements[0];
      if (!b || !el || b.elements.length !== 1 || !QUOTA_TYPES.has(el.type)) {
        const where = b ? `question ${b.q.code}` : 'survey';
        problems.lose(
          where,
          'quota',
          `${what} counts answer "${m.code ?? ''}" of a question Cairnet does not count by answer: quota not carried`,
        );
        carried = false;
        continue;
      }
      members.set(el.name, [...(members.get(el.name) ?? []), m.code ?? '']);
    }
    if (!carried) {
      if (rows.length === 0) problems.lose('survey', 'quota', `${what} has no members: not carried`);
      continue;
    }
    const text = message(
      settings.map((l) => ({ language: l.quotals_language ?? '', quotals_message: l.quotals_message ?? '' })),
      `quota ${name}`,
    );
    quotas.push({
      name,
      limit,
      action: quota.action === '2' ? 'change' : 'end',
      members: [...members].map(([question, values]) => ({ question, values })),
      ...(text !== undefined ? { message: text } : {}),
    });
    if (settings.some((l) => l.quotals_url))
      problems.lose(
        'survey',
        'quota',
        `${what}: the address a respondent is sent to when it is full is not carried`,
      );
  }
  return quotas;
}

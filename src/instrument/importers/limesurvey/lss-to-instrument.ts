import { cairnetError } from '../../../errors.js';
import { QUOTAS_KEY } from '../../quotas.js';
import type { ElementJson, InstrumentJson, LocalisableString, PageJson } from '../../types.js';
import { ExpressionError, findCycle, surveyString, type Translation } from '../expression-error.js';
import { ImportProblems } from '../import-problems.js';
import type { ImportedInstrument, ImportNote } from '../import-report.js';
import { localisedLabel } from '../localised-labels.js';
import { isDefaultAttribute } from './lss-attributes.js';
import { buildQuestion, type Choice, type LssQuestion } from './lss-build-question.js';
import { applyDefaults, carryQuotas } from './lss-defaults.js';
import { type LssReference, translateLss } from './lss-expression.js';
import { rewritePiping } from './lss-piping.js';
import { LSS_TYPES } from './lss-types.js';
import type { LssDocument, LssRow } from './read-lss.js';

const CODE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Turns a read LimeSurvey survey into a SurveyJS instrument: groups become pages (their
 * relevance the page's `visibleIf`), questions keep their codes as names, texts are plain text in
 * every language of the survey; relevance equations (or legacy conditions), subquestion
 * relevance and array filters, "Other", defaults, hidden questions, equations and piping are
 * carried. What cannot be is dropped or simplified and reported per question and attribute;
 * only a broken expression (or a hostile code) stops the import, with every such error listed.
 */
export function lssToInstrument(doc: LssDocument): ImportedInstrument {
  const problems = new ImportProblems();
  const sanitised: ImportNote[] = [];
  const survey = doc.surveys[0] ?? {};
  const base = survey.language || doc.languages[0] || 'en';
  const languages = unique([base, ...doc.languages, ...(survey.additional_languages ?? '').split(/\s+/)]);

  const text = (rows: LssRow[], where: string, field = 'question'): LocalisableString | undefined => {
    const texts = new Map<string, unknown>();
    for (const lang of languages) {
      const r = rows.find(
        (x) => (x.language || x.surveyls_language || base) === lang && (x[field] ?? '') !== '',
      );
      if (r) texts.set(lang, r[field]);
    }
    return localisedLabel(texts, null, where, sanitised);
  };
  const questionRows = (qid: string) => [
    ...doc.questionL10ns.filter((r) => r.qid === qid),
    ...doc.questions.filter((r) => r.qid === qid),
    ...doc.subquestions.filter((r) => r.qid === qid),
  ];
  const answersOf = (qid: string, scale: string): Choice[] => {
    const rows = doc.answers.filter((a) => a.qid === qid && (a.scale_id || '0') === scale);
    const byCode = new Map<string, LssRow[]>();
    for (const a of rows) {
      const l10n = a.aid ? doc.answerL10ns.filter((l) => l.aid === a.aid) : [];
      byCode.set(a.code ?? '', [...(byCode.get(a.code ?? '') ?? []), ...l10n, a]);
    }
    return [...byCode.entries()]
      .sort((x, y) => Number(x[1].at(-1)?.sortorder ?? 0) - Number(y[1].at(-1)?.sortorder ?? 0))
      .map(([code, r]) => {
        if (!CODE.test(code) && !/^[A-Za-z0-9_-]{1,64}$/.test(code)) {
          throw cairnetError(
            'CAIRNET_IMPORT_INVALID',
            `Question ${qid}: the answer code "${code.slice(0, 40)}" is not a plain code`,
          );
        }
        const t = text(r, `answer ${qid}/${code}`, 'answer');
        return t === undefined ? { value: code } : { value: code, text: t };
      });
  };

  // Questions (parent 0) and subquestions, once each whatever the number of languages.
  const everyRow = [...doc.questions, ...doc.subquestions];
  const all = unique(everyRow.map((r) => r.qid ?? '')).map((qid) => everyRow.find((r) => r.qid === qid)!);
  const groupOrder = new Map(doc.groups.map((g) => [g.gid ?? '', Number(g.group_order ?? 0)]));
  const questions: LssQuestion[] = [];
  for (const row of all.filter((r) => (r.parent_qid ?? '0') === '0' || r.parent_qid === '')) {
    const type = row.type ?? '';
    const code = row.title ?? '';
    if (!CODE.test(code)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `Question ${row.qid}: the code "${code.slice(0, 40)}" must start with a letter and hold only letters, digits and _`,
      );
    }
    const spec = LSS_TYPES[type];
    if (!spec) {
      problems.lose(
        `question ${code}`,
        'type',
        `"${type.slice(0, 10)}" is not a LimeSurvey question type; dropped`,
      );
      continue;
    }
    const order = Number(row.question_order ?? 0);
    questions.push({ row, qid: row.qid ?? '', gid: row.gid ?? '', code, type, kind: spec.kind, order });
  }
  questions.sort((a, b) => (groupOrder.get(a.gid) ?? 0) - (groupOrder.get(b.gid) ?? 0) || a.order - b.order);
  const subRows = (qid: string, scale: string) =>
    all
      .filter((r) => r.parent_qid === qid && (r.scale_id || '0') === scale)
      .sort((a, b) => Number(a.question_order ?? 0) - Number(b.question_order ?? 0));
  const subquestionsOf = (qid: string, scale = '0'): Choice[] =>
    subRows(qid, scale).map((r) => {
      const code = r.title ?? '';
      if (!/^[A-Za-z0-9_]{1,64}$/.test(code)) {
        throw cairnetError(
          'CAIRNET_IMPORT_INVALID',
          `Question ${qid}: the subquestion code "${code.slice(0, 40)}" is not a plain code`,
        );
      }
      const t = text(questionRows(r.qid ?? ''), `subquestion ${code}`);
      return t === undefined ? { value: code } : { value: code, text: t };
    });

  const seen = new Map<string, string>();
  for (const q of questions) {
    const dup = seen.get(q.code.toLowerCase());
    if (dup)
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `The question code "${q.code}" is used twice (questions ${dup} and ${q.qid})`,
      );
    seen.set(q.code.toLowerCase(), q.qid);
  }

  // Attributes per question: a language-free value, else the base language's.
  const attributes = new Map<string, Map<string, string>>();
  for (const a of doc.questionAttributes) {
    if (!a.qid || !a.attribute) continue;
    if (a.language && a.language !== base) continue;
    const m = attributes.get(a.qid) ?? new Map<string, string>();
    m.set(a.attribute, a.value ?? '');
    attributes.set(a.qid, m);
  }

  // Names expressions may use: questions, boxes of multiple choices, rows of arrays, comments.
  const elements = new Map<string, ElementJson[]>();
  const resolved = new Map<string, LssReference>();
  const codeOfQid = new Map<string, string>();
  const used = new Map<string, Set<string>>();
  let count = 0;
  const built: { q: LssQuestion; elements: ElementJson[] }[] = [];
  for (const q of questions) {
    const where = `question ${q.code}`;
    const attrs = attributes.get(q.qid) ?? new Map<string, string>();
    const usedHere = new Set<string>();
    used.set(q.qid, usedHere);
    const title = text(questionRows(q.qid), where);
    const help = text(questionRows(q.qid), `${where} help`, 'help');
    const els = buildQuestion(q, {
      title,
      subquestionsOf,
      answersOf,
      attribute: (n) => attrs.get(n),
      use: (n) => usedHere.add(n),
      problems,
    });
    if (els.length === 0) continue;
    codeOfQid.set(q.qid, q.code);
    for (const e of els) {
      if (help !== undefined && e.type !== 'html' && e.description === undefined) e.description = help;
      if (q.row.mandatory === 'Y' && e.type !== 'html' && e.type !== 'expression') e.isRequired = true;
      resolved.set(e.name, { kind: 'question', question: e.name });
    }
    if (q.row.mandatory === 'S')
      problems.lose(where, 'mandatory', 'soft mandatory: the question is optional');
    const main = els[0]!;
    if (q.row.other === 'Y') {
      if (['radiogroup', 'dropdown', 'checkbox'].includes(main.type)) {
        main.showOtherItem = true;
        const otherText = attrs.get('other_replace_text');
        usedHere.add('other_replace_text');
        if (otherText) main.otherText = otherText;
        resolved.set(`${q.code}_other`, { kind: 'comment', question: q.code });
      } else problems.lose(where, 'other', 'an "Other" field on this type of question is not carried');
    }
    if (main.showCommentArea) resolved.set(`${q.code}_comment`, { kind: 'comment', question: q.code });
    if (main.type === 'checkbox') {
      for (const c of main.choices as Choice[]) {
        resolved.set(`${q.code}_${c.value}`, { kind: 'choice', question: q.code, code: c.value });
      }
    }
    if (main.type === 'matrix' || main.type === 'matrixdropdown') {
      const cols = ((main.columns as { name?: string }[] | undefined) ?? []).map((c) => c.name ?? '');
      for (const r of main.rows as Choice[]) {
        resolved.set(`${q.code}_${r.value}`, { kind: 'row', question: q.code, code: r.value });
        for (const col of cols) {
          const key =
            main.type === 'matrixdropdown' && /^[01]$/.test(col) ? `${r.value}#${col}` : `${r.value}_${col}`;
          resolved.set(`${q.code}_${key}`, { kind: 'row', question: q.code, code: `${r.value}.${col}` });
        }
      }
    }
    // A list with nothing to choose is said, not kept silently empty.
    for (const key of ['choices', 'rows', 'columns'] as const)
      if (Array.isArray(main[key]) && (main[key] as unknown[]).length === 0)
        problems.lose(
          `question ${q.code}`,
          key === 'choices' ? 'answers' : 'subquestions',
          `the source gives no ${key === 'choices' ? 'answer options' : key}: the question has none`,
        );
    count++;
    built.push({ q, elements: els });
    elements.set(q.gid, [...(elements.get(q.gid) ?? []), ...els]);
  }
  const resolve = (name: string): LssReference => {
    const direct = resolved.get(name);
    if (direct) return direct;
    // SGQA: survey X group X question id, then the subquestion's code.
    const sgqa = /^\d+X\d+X(\d+)(.*)$/.exec(name);
    if (sgqa) {
      const digits = sgqa[1]!;
      for (let n = digits.length; n > 0; n--) {
        const code = codeOfQid.get(digits.slice(0, n));
        if (!code) continue;
        const rest = digits.slice(n) + sgqa[2];
        return (
          resolved.get(rest ? `${code}_${rest.replace(/^comment$/, 'comment')}` : code) ?? { kind: 'unknown' }
        );
      }
    }
    return { kind: 'unknown' };
  };

  // Relevance: the equation, else legacy conditions. A broken one is an error; one that cannot be
  // carried is dropped (the question is then always shown) and reported.
  const graph = new Map<string, string[]>();
  const translate = (source: string, where: string, attribute: string, self: string | null, then: string) => {
    try {
      if (source.length > 2000) throw new ExpressionError('longer than 2000 characters', 'unsupported');
      // A relevance may be weakened (parts of an `and` left out): it then shows more, never less.
      const weaken = attribute.startsWith('relevance');
      const t = translateLss(source, resolve, self, { weaken });
      for (const d of t.dropped)
        problems.lose(
          where,
          attribute,
          `"${d.part}" not carried (${d.reason}): left out of the condition "${source}", which is weaker: ${then.replace(/ is always shown$/, ' is shown more often')}`,
        );
      return t;
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      if (e.kind === 'syntax') problems.fail(where, attribute, `"${source}": ${e.message}`);
      else problems.lose(where, attribute, `"${source}" not carried (${e.message}): ${then}`);
      return null;
    }
  };
  for (const { q, elements: els } of built) {
    const where = `question ${q.code}`;
    let source = (q.row.relevance ?? '').trim();
    if (source === '' || source === '1') source = conditionsRelevance(q, doc, questions, resolve, problems);
    if (source !== '' && source !== '1') {
      const t = translate(source, where, 'relevance', q.code, 'the question is always shown');
      if (t && t.expression !== 'true') {
        for (const e of els) e.visibleIf = t.expression;
        graph.set(q.code, t.references);
      }
    }
    const attrs = attributes.get(q.qid) ?? new Map<string, string>();
    const usedHere = used.get(q.qid)!;
    subquestionRelevance(q, els, subRows(q.qid, '0'), translate);
    arrayFilter(q, els, attrs, usedHere, resolve, problems);
    questionAttributes(q, els, attrs, usedHere, translate, problems);
    if (q.kind === 'equation') equation(q, els[0]!, attrs, usedHere, questionRows(q.qid), base, translate);
    for (const [name, value] of attrs) {
      if (!usedHere.has(name) && !isDefaultAttribute(name, value))
        problems.lose(where, name, `attribute ${name} = "${value.slice(0, 60)}" not carried`);
    }
  }
  let cycle = findCycle(graph);
  while (cycle) {
    const name = cycle[0]!;
    problems.lose(
      `question ${name}`,
      'relevance',
      `the relevance depends on itself (${cycle.join(' → ')}): dropped, the question is always shown`,
    );
    for (const b of built) if (b.q.code === name) for (const e of b.elements) delete e.visibleIf;
    graph.delete(name);
    cycle = findCycle(graph);
  }
  applyDefaults(doc, built, base, problems);

  const groupIds = unique(doc.groups.map((g) => g.gid ?? '')).sort(
    (a, b) => (groupOrder.get(a) ?? 0) - (groupOrder.get(b) ?? 0),
  );
  for (const gid of elements.keys()) if (!groupIds.includes(gid)) groupIds.push(gid);
  const pages: PageJson[] = [];
  for (const gid of groupIds) {
    const els = elements.get(gid);
    if (!els || els.length === 0) continue;
    const rows = [...doc.groupL10ns.filter((g) => g.gid === gid), ...doc.groups.filter((g) => g.gid === gid)];
    const page: PageJson = { name: `group_${gid.replace(/\W/g, '')}`, elements: els };
    const title = text(rows, `group ${gid}`, 'group_name');
    if (title !== undefined) page.title = title;
    const description = text(rows, `group ${gid} description`, 'description');
    if (description !== undefined) page.description = description;
    const grelevance = (rows.find((r) => r.grelevance !== undefined)?.grelevance ?? '').trim();
    if (grelevance !== '' && grelevance !== '1') {
      const t = translate(grelevance, `group ${gid}`, 'relevance', null, 'the group is always shown');
      if (t && t.expression !== 'true') page.visibleIf = t.expression;
    }
    pages.push(page);
  }

  const settings = doc.surveyLanguageSettings;
  const title = text(settings, 'survey title', 'surveyls_title');
  const json: InstrumentJson = { pages };
  if (title !== undefined) json.title = title;
  const description = text(settings, 'survey description', 'surveyls_description');
  if (description !== undefined) json.description = description;
  if (base !== 'en' && /^[a-z]{2}(-[A-Za-z]{2})?$/.test(base)) json.locale = base;
  if (settings.some((s) => s.surveyls_welcometext))
    problems.lose('survey', 'welcometext', 'welcome text not carried');
  if (settings.some((s) => s.surveyls_endtext)) problems.lose('survey', 'endtext', 'end text not carried');
  rewritePiping(json, resolve, problems);
  const quotas = carryQuotas(doc, built, (rows, where) => text(rows, where, 'quotals_message'), problems);
  if (quotas.length > 0) json[QUOTAS_KEY] = quotas;
  problems.throwIfErrors();
  return {
    json,
    report: {
      format: 'limesurvey',
      title: typeof title === 'string' ? title : String(title?.default ?? ''),
      languages,
      questions: count,
      notCarried: problems.notCarried,
      sanitised,
    },
  };
}

type Translate = (
  source: string,
  where: string,
  attribute: string,
  self: string | null,
  then: string,
) => Translation | null;

/** Subquestion relevance: a choice's, a row's or a split question's own `visibleIf`. */
function subquestionRelevance(
  q: LssQuestion,
  els: ElementJson[],
  rows: LssRow[],
  translate: Translate,
): void {
  const main = els[0]!;
  for (const r of rows) {
    const source = (r.relevance ?? '').trim();
    if (source === '' || source === '1') continue;
    const code = r.title ?? '';
    const t = translate(
      source,
      `question ${q.code}`,
      `relevance of ${code}`,
      q.code,
      'the choice is always shown',
    );
    if (!t) continue;
    const items = (main.choices ?? main.rows) as Choice[] | undefined;
    const item = items?.find((c) => c.value === code);
    const split = els.find((e) => e.name === `${q.code}_${code}`);
    if (item) item.visibleIf = t.expression;
    else if (split)
      split.visibleIf = split.visibleIf ? `(${split.visibleIf}) and (${t.expression})` : t.expression;
  }
}

/** `array_filter` / `array_filter_exclude`: choices or rows shown only when ticked (or not) in another question. */
function arrayFilter(
  q: LssQuestion,
  els: ElementJson[],
  attrs: Map<string, string>,
  usedHere: Set<string>,
  resolve: (name: string) => LssReference,
  problems: ImportProblems,
): void {
  const main = els[0]!;
  for (const [attr, negate] of [
    ['array_filter', false],
    ['array_filter_exclude', true],
  ] as const) {
    const value = (attrs.get(attr) ?? '').trim();
    if (value === '') continue;
    usedHere.add(attr);
    const tests: string[] = [];
    for (const source of value.split(/[;,\s]+/).filter(Boolean)) {
      const ref = resolve(source);
      if (ref.kind !== 'question') {
        problems.lose(
          `question ${q.code}`,
          attr,
          `"${source}" is not a carried question: the filter is dropped`,
        );
        continue;
      }
      tests.push(`{${ref.question}} contains {item}`);
    }
    if (tests.length === 0) continue;
    const test = tests.map((t) => (negate ? `!(${t})` : `(${t})`)).join(negate ? ' and ' : ' and ');
    const key =
      main.type === 'matrix' || main.type === 'matrixdropdown' ? 'rowsVisibleIf' : 'choicesVisibleIf';
    if (main.choices || main.rows) {
      main[key] = main[key] ? `(${main[key]}) and ${test}` : test;
    } else if (els.length > 1 || q.kind === 'multi_numeric' || q.kind === 'multi_text') {
      for (const e of els) {
        const code = e.name.slice(q.code.length + 1);
        const one = test.replaceAll('{item}', surveyString(code));
        e.visibleIf = e.visibleIf ? `(${e.visibleIf}) and ${one}` : one;
      }
    }
  }
}

/** Attributes with a SurveyJS equivalent. */
function questionAttributes(
  q: LssQuestion,
  els: ElementJson[],
  attrs: Map<string, string>,
  usedHere: Set<string>,
  translate: Translate,
  problems: ImportProblems,
): void {
  const main = els[0]!;
  const where = `question ${q.code}`;
  const get = (n: string) => {
    const v = (attrs.get(n) ?? '').trim();
    if (v !== '') usedHere.add(n);
    return v;
  };
  if (get('hidden') === '1') {
    for (const e of els) {
      e.visible = false;
      e.clearIfInvisible = 'none';
    }
  }
  const num = (n: string) => {
    const v = get(n);
    return v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const minAnswers = num('min_answers');
  const maxAnswers = num('max_answers');
  if (main.type === 'checkbox') {
    if (minAnswers !== undefined) main.minSelectedChoices = minAnswers;
    if (maxAnswers !== undefined) main.maxSelectedChoices = maxAnswers;
  } else {
    usedHere.delete('min_answers');
    usedHere.delete('max_answers');
  }
  const maxChars = num('maximum_chars');
  if (maxChars !== undefined && (main.type === 'text' || main.type === 'comment')) main.maxLength = maxChars;
  const min = num('min_num_value_n');
  const max = num('max_num_value_n');
  if ((min !== undefined || max !== undefined) && main.inputType === 'number') {
    main.validators = [
      ...((main.validators as unknown[]) ?? []),
      {
        type: 'numeric',
        ...(min !== undefined ? { minValue: min } : {}),
        ...(max !== undefined ? { maxValue: max } : {}),
      },
    ];
  }
  if (get('random_order') === '1') main[main.type === 'matrix' ? 'rowsOrder' : 'choicesOrder'] = 'random';
  const columns = num('display_columns');
  if (columns !== undefined && main.choices) main.colCount = columns;
  const preg = (q.row.preg ?? '').trim();
  if (preg !== '') {
    try {
      const expr = `{${main.name}} empty or regexMatch(${surveyString(preg)}, {${main.name}})`;
      main.validators = [...((main.validators as unknown[]) ?? []), { type: 'expression', expression: expr }];
    } catch (e) {
      problems.lose(where, 'preg', `validation pattern not carried (${(e as Error).message})`);
    }
  }
  const validation = get('em_validation_q');
  if (validation !== '' && validation !== '1') {
    const t = translate(validation, where, 'em_validation_q', q.code, 'the answer is not checked');
    if (t) {
      const tip = get('em_validation_q_tip');
      main.validators = [
        ...((main.validators as unknown[]) ?? []),
        { type: 'expression', expression: t.expression, ...(tip ? { text: tip } : {}) },
      ];
    }
  }
}

/** An equation's formula: its `equation` attribute, else the question text in braces. */
function equation(
  q: LssQuestion,
  el: ElementJson,
  attrs: Map<string, string>,
  usedHere: Set<string>,
  rows: LssRow[],
  base: string,
  translate: Translate,
): void {
  usedHere.add('equation');
  const raw =
    (attrs.get('equation') ?? '').trim() ||
    (rows.find((r) => (r.language || base) === base && r.question)?.question ?? '').trim();
  const inner = /^\{([\s\S]*)\}$/.exec(raw)?.[1] ?? raw;
  const t =
    inner === '' ? null : translate(inner, `question ${q.code}`, 'equation', q.code, 'its value stays empty');
  if (t) el.expression = t.expression;
  delete el.title;
  el.visible = false;
}

/**
 * Legacy conditions as an ExpressionScript equation: scenarios are alternatives (or); within a
 * scenario, conditions on the same field are alternatives and different fields all hold (and).
 * A condition that cannot be read is dropped and reported.
 */
function conditionsRelevance(
  q: LssQuestion,
  doc: LssDocument,
  questions: LssQuestion[],
  resolve: (name: string) => LssReference,
  problems: ImportProblems,
): string {
  const rows = doc.conditions.filter((c) => c.qid === q.qid);
  if (rows.length === 0) return '';
  const where = `question ${q.code}`;
  const scenarios = new Map<string, Map<string, string[]>>();
  for (const c of rows) {
    const target = questions.find((x) => x.qid === c.cqid);
    const sub = (c.cfieldname ?? '').replace(/^\+?\d+X\d+X\d+/, '');
    const name = target ? (sub ? `${target.code}_${sub}` : target.code) : '';
    if (!target || resolve(name).kind === 'unknown') {
      problems.lose(
        where,
        'condition',
        `a condition on ${name || `question ${c.cqid}`}, not in the survey, is dropped`,
      );
      continue;
    }
    const method = c.method || '==';
    if (!['==', '!=', '<', '<=', '>', '>='].includes(method)) {
      problems.lose(
        where,
        'condition',
        `the condition method "${method}" has no SurveyJS equivalent; dropped`,
      );
      continue;
    }
    const value = (c.value ?? '').replace(/"/g, '');
    const scenario = scenarios.get(c.scenario || '1') ?? new Map<string, string[]>();
    scenario.set(name, [...(scenario.get(name) ?? []), `${name} ${method} "${value}"`]);
    scenarios.set(c.scenario || '1', scenario);
  }
  if (scenarios.size === 0) return '';
  return [...scenarios.values()]
    .map((s) => `(${[...s.values()].map((alts) => `(${alts.join(' or ')})`).join(' and ')})`)
    .join(' or ');
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => s !== ''))];
}

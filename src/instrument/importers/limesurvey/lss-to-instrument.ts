import { cairnetError } from '../../../errors.js';
import type { ElementJson, InstrumentJson, LocalisableString, PageJson } from '../../types.js';
import { ExpressionError, findCycle, type Translation } from '../expression-error.js';
import type { ImportedInstrument, ImportNote } from '../import-report.js';
import { localisedLabel } from '../localised-labels.js';
import { type LssReference, translateLss } from './lss-expression.js';
import { LSS_TYPES, type LssKind } from './lss-types.js';
import type { LssDocument, LssRow } from './read-lss.js';

const CODE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface Question {
  row: LssRow;
  qid: string;
  gid: string;
  code: string;
  type: string;
  kind: LssKind;
  order: number;
}

/**
 * Turns a read LimeSurvey survey into a SurveyJS instrument: groups become pages (their
 * relevance the page's `visibleIf`), questions keep their codes as names, texts are plain text in
 * every language of the survey, and relevance equations (or, without them, legacy conditions)
 * become `visibleIf`. Types SurveyJS has no equivalent for are listed in the report; unknown
 * types, bad codes and broken, unknown-question or circular relevance throw with a stable code.
 */
export function lssToInstrument(doc: LssDocument): ImportedInstrument {
  const notCarried: ImportNote[] = [];
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
  const answersOf = (qid: string, scale: string) => {
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
  const all = unique([...doc.questions, ...doc.subquestions].map((r) => r.qid ?? '')).map(
    (qid) => [...doc.questions, ...doc.subquestions].find((r) => r.qid === qid)!,
  );
  const groupOrder = new Map(doc.groups.map((g) => [g.gid ?? '', Number(g.group_order ?? 0)]));
  const questions: Question[] = all
    .filter((r) => (r.parent_qid ?? '0') === '0' || r.parent_qid === '')
    .map((row) => {
      const type = row.type ?? '';
      const spec = LSS_TYPES[type];
      if (!spec) {
        throw cairnetError(
          'CAIRNET_IMPORT_QUESTION_TYPE_UNKNOWN',
          `Question ${row.title ?? row.qid}: "${type.slice(0, 10)}" is not a LimeSurvey question type`,
          [{ question: row.title, type }],
        );
      }
      const code = row.title ?? '';
      if (!CODE.test(code)) {
        throw cairnetError(
          'CAIRNET_IMPORT_INVALID',
          `Question ${row.qid}: the code "${code.slice(0, 40)}" must start with a letter and hold only letters, digits and _`,
        );
      }
      return {
        row,
        qid: row.qid ?? '',
        gid: row.gid ?? '',
        code,
        type,
        kind: spec.kind,
        order: Number(row.question_order ?? 0),
      };
    })
    .sort((a, b) => (groupOrder.get(a.gid) ?? 0) - (groupOrder.get(b.gid) ?? 0) || a.order - b.order);
  const subquestionsOf = (qid: string, scale = '0') =>
    all
      .filter((r) => r.parent_qid === qid && (r.scale_id || '0') === scale)
      .sort((a, b) => Number(a.question_order ?? 0) - Number(b.question_order ?? 0))
      .map((r) => {
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

  // Names expressions may use: questions, boxes of multiple choices, rows of arrays, split inputs.
  const elements = new Map<string, ElementJson[]>();
  const carried = new Set<string>();
  const resolved = new Map<string, LssReference>();
  let count = 0;
  const built: { q: Question; elements: ElementJson[] }[] = [];
  for (const q of questions) {
    const where = `question ${q.code}`;
    const title = text(questionRows(q.qid), where);
    const help = text(questionRows(q.qid), `${where} help`, 'help');
    const els = buildQuestion(q, title, subquestionsOf, answersOf, notCarried);
    if (els.length === 0) continue;
    for (const e of els) {
      if (help !== undefined && e.type !== 'html' && e.description === undefined) e.description = help;
      if (q.row.mandatory === 'Y' && e.type !== 'html') e.isRequired = true;
      carried.add(e.name);
      resolved.set(e.name, { kind: 'question', question: e.name });
    }
    if (q.row.mandatory === 'S')
      notCarried.push({ where, message: 'soft mandatory is not carried (the question is optional)' });
    if (q.row.other === 'Y')
      notCarried.push({ where, message: '"Other" option not carried: add a choice and a text question' });
    if (q.row.preg) notCarried.push({ where, message: `validation pattern "${q.row.preg}" not carried` });
    const main = els[0]!;
    if (main.type === 'checkbox') {
      for (const c of main.choices as { value: string }[]) {
        resolved.set(`${q.code}_${c.value}`, { kind: 'choice', question: q.code, code: c.value });
      }
    }
    if (main.type === 'matrix') {
      for (const r of main.rows as { value: string }[]) {
        resolved.set(`${q.code}_${r.value}`, { kind: 'row', question: q.code, code: r.value });
      }
    }
    count++;
    built.push({ q, elements: els });
    elements.set(q.gid, [...(elements.get(q.gid) ?? []), ...els]);
  }
  const resolve = (name: string): LssReference => resolved.get(name) ?? { kind: 'unknown' };

  // Relevance: the equation, else legacy conditions.
  const graph = new Map<string, string[]>();
  const relevanceOf = (source: string, where: string): Translation => {
    if (source.length > 2000)
      throw cairnetError(
        'CAIRNET_IMPORT_TOO_LARGE',
        `${where}: the relevance is longer than 2000 characters`,
      );
    try {
      return translateLss(source, resolve);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      throw cairnetError(
        'CAIRNET_IMPORT_EXPRESSION_INVALID',
        `${where}: relevance "${source}": ${e.message}`,
        [{ where, expression: source }],
      );
    }
  };
  for (const { q, elements: els } of built) {
    const where = `question ${q.code}`;
    let source = (q.row.relevance ?? '').trim();
    if (source === '' || source === '1') source = conditionsRelevance(q, doc, questions, resolve);
    if (source === '' || source === '1') continue;
    const t = relevanceOf(source, where);
    if (t.expression === 'true') continue;
    for (const e of els) e.visibleIf = t.expression;
    graph.set(q.code, t.references);
  }
  const cycle = findCycle(graph);
  if (cycle) {
    throw cairnetError(
      'CAIRNET_IMPORT_EXPRESSION_INVALID',
      `The relevance of ${cycle[0]} depends on itself: ${cycle.join(' → ')}`,
      [{ cycle }],
    );
  }

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
      const t = relevanceOf(grelevance, `group ${gid}`);
      if (t.expression !== 'true') page.visibleIf = t.expression;
    }
    pages.push(page);
  }

  const settings = doc.surveyLanguageSettings;
  const title = text(settings, 'survey title', 'surveyls_title');
  const json: InstrumentJson = { pages };
  if (title !== undefined) json.title = title;
  const description = text(settings, 'survey description', 'surveyls_description');
  if (description !== undefined) json.description = description;
  if (settings.some((s) => s.surveyls_welcometext))
    notCarried.push({ where: 'survey', message: 'welcome text not carried' });
  if (settings.some((s) => s.surveyls_endtext))
    notCarried.push({ where: 'survey', message: 'end text not carried' });
  if (doc.questionAttributes.length > 0) {
    const names = unique(doc.questionAttributes.map((a) => a.attribute ?? '')).filter(Boolean);
    notCarried.push({
      where: 'question attributes',
      message: `not carried: ${names.slice(0, 20).join(', ')}`,
    });
  }
  void carried;
  return {
    json,
    report: {
      format: 'limesurvey',
      title: typeof title === 'string' ? title : String(title?.default ?? ''),
      languages,
      questions: count,
      notCarried,
      sanitised,
    },
  };
}

type Choice = { value: string; text?: LocalisableString };

function buildQuestion(
  q: Question,
  title: LocalisableString | undefined,
  subquestionsOf: (qid: string, scale?: string) => Choice[],
  answersOf: (qid: string, scale: string) => Choice[],
  notCarried: ImportNote[],
): ElementJson[] {
  const where = `question ${q.code}`;
  const el = (type: string, extra: Record<string, unknown> = {}): ElementJson => ({
    type,
    name: q.code,
    ...(title !== undefined ? { title } : {}),
    ...extra,
  });
  const fixed = (pairs: [string, string, string][]): Choice[] =>
    pairs.map(([value, en, fr]) => ({ value, text: { default: en, fr } }));
  switch (q.kind) {
    case 'list':
    case 'list_comment':
      if (q.kind === 'list_comment')
        notCarried.push({ where, message: 'the comment box of a "List with comment" is not carried' });
      return [el('radiogroup', { choices: answersOf(q.qid, '0') })];
    case 'dropdown':
      return [el('dropdown', { choices: answersOf(q.qid, '0') })];
    case 'multiple':
    case 'multiple_comment':
      if (q.kind === 'multiple_comment')
        notCarried.push({
          where,
          message: 'the comment boxes of "Multiple choice with comments" are not carried',
        });
      return [el('checkbox', { choices: subquestionsOf(q.qid) })];
    case 'yes_no':
      return [
        el('radiogroup', {
          choices: fixed([
            ['Y', 'Yes', 'Oui'],
            ['N', 'No', 'Non'],
          ]),
        }),
      ];
    case 'gender':
      return [
        el('radiogroup', {
          choices: fixed([
            ['F', 'Female', 'Femme'],
            ['M', 'Male', 'Homme'],
          ]),
        }),
      ];
    case 'five_point':
      return [el('rating', { rateMin: 1, rateMax: 5 })];
    case 'short_text':
      return [el('text')];
    case 'long_text':
      return [el('comment')];
    case 'numeric':
      return [el('text', { inputType: 'number' })];
    case 'date':
      return [el('text', { inputType: 'date' })];
    case 'display': {
      const esc = (s: string) =>
        s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
      const html =
        title === undefined
          ? ''
          : typeof title === 'string'
            ? esc(title)
            : Object.fromEntries(Object.entries(title).map(([k, v]) => [k, esc(String(v))]));
      return [{ type: 'html', name: q.code, html }];
    }
    case 'multi_numeric':
    case 'multi_text': {
      const subs = subquestionsOf(q.qid);
      notCarried.push({
        where,
        message: `split into one question per subquestion (${subs.map((s) => `${q.code}_${s.value}`).join(', ')})`,
      });
      return subs.map((s) => ({
        type: 'text',
        name: `${q.code}_${s.value}`,
        ...(s.text !== undefined ? { title: s.text } : title !== undefined ? { title } : {}),
        ...(q.kind === 'multi_numeric' ? { inputType: 'number' } : {}),
      }));
    }
    case 'array':
    case 'array_column':
      if (q.kind === 'array_column')
        notCarried.push({ where, message: '"Array by column" is shown by rows' });
      return [el('matrix', { rows: subquestionsOf(q.qid), columns: answersOf(q.qid, '0') })];
    case 'array_5':
      return [
        el('matrix', {
          rows: subquestionsOf(q.qid),
          columns: [1, 2, 3, 4, 5].map((v) => ({ value: String(v), text: String(v) })),
        }),
      ];
    case 'array_10':
      return [
        el('matrix', {
          rows: subquestionsOf(q.qid),
          columns: Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), text: String(i + 1) })),
        }),
      ];
    case 'array_yun':
      return [
        el('matrix', {
          rows: subquestionsOf(q.qid),
          columns: fixed([
            ['Y', 'Yes', 'Oui'],
            ['U', 'Uncertain', 'Incertain'],
            ['N', 'No', 'Non'],
          ]),
        }),
      ];
    case 'array_isd':
      return [
        el('matrix', {
          rows: subquestionsOf(q.qid),
          columns: fixed([
            ['I', 'Increase', 'Augmente'],
            ['S', 'Same', 'Stable'],
            ['D', 'Decrease', 'Diminue'],
          ]),
        }),
      ];
    case 'unsupported':
      notCarried.push({
        where,
        message: `question type "${LSS_TYPES[q.type]?.label}" (${q.type}) has no Cairnet equivalent; dropped`,
      });
      return [];
  }
}

/**
 * Legacy conditions as an ExpressionScript equation: scenarios are alternatives (or); within a
 * scenario, conditions on the same field are alternatives and different fields all hold (and).
 */
function conditionsRelevance(
  q: Question,
  doc: LssDocument,
  questions: Question[],
  resolve: (name: string) => LssReference,
): string {
  const rows = doc.conditions.filter((c) => c.qid === q.qid);
  if (rows.length === 0) return '';
  const scenarios = new Map<string, Map<string, string[]>>();
  for (const c of rows) {
    const target = questions.find((x) => x.qid === c.cqid);
    if (!target)
      throw cairnetError(
        'CAIRNET_IMPORT_EXPRESSION_INVALID',
        `question ${q.code}: a condition names question ${c.cqid}, which is not in the survey`,
      );
    const sub = (c.cfieldname ?? '').replace(/^\+?\d+X\d+X\d+/, '');
    const name = sub ? `${target.code}_${sub}` : target.code;
    if (resolve(name).kind === 'unknown') {
      throw cairnetError(
        'CAIRNET_IMPORT_EXPRESSION_INVALID',
        `question ${q.code}: a condition names ${name}, which is not in the survey`,
      );
    }
    const method = c.method || '==';
    if (!['==', '!=', '<', '<=', '>', '>='].includes(method)) {
      throw cairnetError(
        'CAIRNET_IMPORT_EXPRESSION_INVALID',
        `question ${q.code}: the condition method "${method}" has no SurveyJS equivalent`,
      );
    }
    const value = (c.value ?? '').replace(/"/g, '');
    const scenario = scenarios.get(c.scenario || '1') ?? new Map<string, string[]>();
    scenario.set(name, [...(scenario.get(name) ?? []), `${name} ${method} "${value}"`]);
    scenarios.set(c.scenario || '1', scenario);
  }
  return [...scenarios.values()]
    .map((s) => `(${[...s.values()].map((alts) => `(${alts.join(' or ')})`).join(' and ')})`)
    .join(' or ');
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => s !== ''))];
}

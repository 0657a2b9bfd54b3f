import type { ElementJson, LocalisableString } from '../../types.js';
import type { ImportProblems } from '../import-problems.js';
import { LSS_TYPES, type LssKind } from './lss-types.js';
import type { LssRow } from './read-lss.js';

export type Choice = { value: string; text?: LocalisableString; visibleIf?: string };

/** A LimeSurvey question as the importer sees it. */
export interface LssQuestion {
  row: LssRow;
  qid: string;
  gid: string;
  code: string;
  type: string;
  kind: LssKind;
  order: number;
}

/** What building a question may read: its texts, subquestions, answers and attributes. */
export interface BuildContext {
  title: LocalisableString | undefined;
  subquestionsOf: (qid: string, scale?: string) => Choice[];
  answersOf: (qid: string, scale: string) => Choice[];
  /** The question's attributes (language-free value, or the base language's). */
  attribute: (name: string) => string | undefined;
  /** Marks an attribute as carried (it is then not reported). */
  use: (name: string) => void;
  problems: ImportProblems;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');

/**
 * The SurveyJS elements a LimeSurvey question becomes (none when its type cannot be carried,
 * which is reported). Arrays of numbers and texts and dual-scale arrays become `matrixdropdown`,
 * rankings `ranking`, equations `expression` questions (their formula set by the caller).
 */
export function buildQuestion(q: LssQuestion, c: BuildContext): ElementJson[] {
  const where = `question ${q.code}`;
  const { title, problems } = c;
  const el = (type: string, extra: Record<string, unknown> = {}): ElementJson => ({
    type,
    name: q.code,
    ...(title !== undefined ? { title } : {}),
    ...extra,
  });
  const fixed = (pairs: [string, string, string][]): Choice[] =>
    pairs.map(([value, en, fr]) => ({ value, text: { default: en, fr } }));
  const matrix = (columns: Choice[]) => [el('matrix', { rows: c.subquestionsOf(q.qid), columns })];
  switch (q.kind) {
    case 'list':
      return [el('radiogroup', { choices: c.answersOf(q.qid, '0') })];
    case 'list_comment':
      return [el('radiogroup', { choices: c.answersOf(q.qid, '0'), showCommentArea: true })];
    case 'dropdown':
      return [el('dropdown', { choices: c.answersOf(q.qid, '0') })];
    case 'multiple':
      return [el('checkbox', { choices: c.subquestionsOf(q.qid) })];
    case 'multiple_comment':
      problems.lose(where, 'type', 'one comment box for the question instead of one per ticked choice');
      return [el('checkbox', { choices: c.subquestionsOf(q.qid), showCommentArea: true })];
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
      const subs = c.subquestionsOf(q.qid);
      problems.lose(
        where,
        'type',
        `split into one question per subquestion (${subs.map((s) => `${q.code}_${s.value}`).join(', ')})`,
      );
      return subs.map((s) => ({
        type: 'text',
        name: `${q.code}_${s.value}`,
        ...(s.text !== undefined ? { title: s.text } : title !== undefined ? { title } : {}),
        ...(s.visibleIf !== undefined ? { visibleIf: s.visibleIf } : {}),
        ...(q.kind === 'multi_numeric' ? { inputType: 'number' } : {}),
      }));
    }
    case 'array':
      return matrix(c.answersOf(q.qid, '0'));
    case 'array_column':
      problems.lose(where, 'type', '"Array by column" is shown by rows');
      return matrix(c.answersOf(q.qid, '0'));
    case 'array_5':
      return matrix([1, 2, 3, 4, 5].map((v) => ({ value: String(v), text: String(v) })));
    case 'array_10':
      return matrix(Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), text: String(i + 1) })));
    case 'array_yun':
      return matrix(
        fixed([
          ['Y', 'Yes', 'Oui'],
          ['U', 'Uncertain', 'Incertain'],
          ['N', 'No', 'Non'],
        ]),
      );
    case 'array_isd':
      return matrix(
        fixed([
          ['I', 'Increase', 'Augmente'],
          ['S', 'Same', 'Stable'],
          ['D', 'Decrease', 'Diminue'],
        ]),
      );
    case 'array_numbers':
      return [arrayNumbers(q, c, el)];
    case 'array_texts':
      return [
        el('matrixdropdown', {
          rows: c.subquestionsOf(q.qid, '0'),
          columns: c.subquestionsOf(q.qid, '1').map((s) => ({
            name: s.value,
            ...(s.text !== undefined ? { title: s.text } : {}),
            cellType: 'text',
          })),
        }),
      ];
    case 'dual_scale': {
      const header = (n: string, fallback: string) => {
        const v = c.attribute(n);
        c.use(n);
        return { title: v || fallback };
      };
      return [
        el('matrixdropdown', {
          rows: c.subquestionsOf(q.qid, '0'),
          columns: [
            {
              name: '0',
              ...header('dualscale_headerA', '1'),
              cellType: 'dropdown',
              choices: c.answersOf(q.qid, '0'),
            },
            {
              name: '1',
              ...header('dualscale_headerB', '2'),
              cellType: 'dropdown',
              choices: c.answersOf(q.qid, '1'),
            },
          ],
        }),
      ];
    }
    case 'ranking': {
      // The items are answer options; some exports (LimeSurvey 3's ranking) give them as subquestions.
      const answers = c.answersOf(q.qid, '0');
      return [el('ranking', { choices: answers.length > 0 ? answers : c.subquestionsOf(q.qid) })];
    }
    case 'equation':
      return [el('expression', { expression: "''" })];
    case 'unsupported':
      problems.lose(
        where,
        'type',
        `question type "${LSS_TYPES[q.type]?.label}" (${q.type}) has no Cairnet equivalent; dropped`,
      );
      return [];
  }
}

function arrayNumbers(
  q: LssQuestion,
  c: BuildContext,
  el: (type: string, extra?: Record<string, unknown>) => ElementJson,
): ElementJson {
  const num = (name: string, fallback: number) => {
    c.use(name);
    const v = Number(c.attribute(name) ?? '');
    return c.attribute(name) && Number.isFinite(v) ? v : fallback;
  };
  const min = num('multiflexible_min', 1);
  const max = num('multiflexible_max', 10);
  const step = num('multiflexible_step', 1) || 1;
  const boxes = c.attribute('input_boxes') === '1';
  const ticks = c.attribute('multiflexible_checkbox') === '1';
  c.use('input_boxes');
  c.use('multiflexible_checkbox');
  const choices: number[] = [];
  for (let v = min; v <= max && choices.length < 1000; v += step) choices.push(Math.round(v * 1e9) / 1e9);
  const cell = boxes
    ? { cellType: 'text', inputType: 'number' }
    : ticks
      ? { cellType: 'boolean' }
      : { cellType: 'dropdown', choices };
  return el('matrixdropdown', {
    rows: c.subquestionsOf(q.qid, '0'),
    columns: c.subquestionsOf(q.qid, '1').map((s) => ({
      name: s.value,
      ...(s.text !== undefined ? { title: s.text } : {}),
      ...cell,
    })),
  });
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { importInstrumentBuffer } from '../../../src/instrument/importers/import-instrument.js';
import type { Store } from '../../../src/store/open-store.js';
import { saveInstrument } from '../../../src/store/repositories/instruments.js';
import { buildXlsform, FULL_FORM, type XlsformSheets } from '../../fixtures/imports/xlsform-builder.js';
import { ACCEPTED, FuzzFinding, type FuzzOutcome, refusalOf } from './finding.js';
import { HOSTILE_STRINGS } from './hostile.js';
import { watchStoreWrites } from './store-writes.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/imports');
const CAIRNET_JSON = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../instruments/cairnet/survey.json'), 'utf8'),
) as Record<string, unknown>;
const LSS = readFileSync(join(FIXTURES, 'researchers.lss'), 'utf8');
const LEGACY_LSS = readFileSync(join(FIXTURES, 'legacy-conditions.lss'), 'utf8');
const XLSX = readFileSync(join(FIXTURES, 'researchers.xlsx'));

/** Strings a hostile questionnaire author would try, nested entities included. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//x.example/a.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src=x onerror=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)',
  '&constructor;&__proto__;&tostring;',
  '<svg><script>alert(1)</script></svg>',
  '<!-- <script>alert(1)</script> -->',
  '<script',
  '\u0000\u202e\u2066',
  '=HYPERLINK("http://x")',
  '__proto__',
  'constructor',
  '',
  ' ',
  'x'.repeat(5000),
  ...HOSTILE_STRINGS,
];

/** `&amp;amp;…lt;script&gt;`: an entity encoded `depth` times over. */
const nestedEntity = fc
  .tuple(
    fc.integer({ min: 0, max: 14 }),
    fc.constantFrom('lt;script&gt;', '#60;script>', 'lt;script>alert(1)'),
  )
  .map(([depth, tail]) => `&${'amp;'.repeat(depth)}${tail}`);

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  nestedEntity,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), nestedEntity, fc.string({ maxLength: 8 })), { maxLength: 4 })
    .map((parts) => parts.join('')),
);

/** SurveyJS properties that are shown to people: none may hold a script once imported. */
const LABEL_KEY =
  /^(title|description|text|html|placeholder|otherText|labelTrue|labelFalse|\w*Html|\w*Text)$/;

/** Every label string of an instrument JSON holding `<script`, with its path. */
export function scriptsIn(value: unknown, path = '', key = ''): string[] {
  const found: string[] = [];
  if (typeof value === 'string') {
    if (LABEL_KEY.test(key) && /<\s*script/i.test(value)) found.push(`${path}: ${value.slice(0, 80)}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      found.push(...scriptsIn(v, `${path}/${i}`, ''));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // A localised label ({default, fr, …}) is a label under its parent's key.
      const labelKey = LABEL_KEY.test(key) && typeof v === 'string' ? key : k;
      found.push(...scriptsIn(v, `${path}/${k}`, labelKey));
    }
  }
  return found;
}

// --- SurveyJS JSON -------------------------------------------------------------------------

const SURVEYJS_KEYS = [
  'title',
  'description',
  'html',
  'completedHtml',
  'completedBeforeHtml',
  'loadingHtml',
  'text',
  'choices',
  'name',
  'type',
  'elements',
  'pages',
  'visibleIf',
  'requiredIf',
  'validators',
  'addRowText',
  'completedHtmlOnCondition',
  'locale',
  '__proto__',
  'constructor',
];

const surveyJsValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ default: hostileText, fr: hostileText }),
  fc.array(fc.oneof(hostileText, fc.record({ value: hostileText, text: hostileText })), { maxLength: 4 }),
  fc.constantFrom(
    { type: 'html', name: 'h', html: '<script>alert(1)</script>' },
    { type: 'text', name: 'q', title: { default: '<script>x</script>', fr: '&lt;script&gt;' } },
    [{ expression: 'true', html: '<script>alert(1)</script>' }],
  ),
);

/** All the paths of a JSON value (as key lists). */
function pathsOf(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && out.length < 2000) {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  }
  return out;
}

function setPath(root: unknown, path: string[], key: string | null, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node: unknown = copy;
  for (const k of path) {
    if (node === null || typeof node !== 'object') return copy;
    node = (node as Record<string, unknown>)[k];
  }
  if (node === null || typeof node !== 'object') return copy;
  const target = node as Record<string, unknown>;
  const k = key ?? Object.keys(target)[0];
  if (k === undefined) return copy;
  if (value === undefined) delete target[k];
  else Object.defineProperty(target, k, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const CAIRNET_PATHS = pathsOf(CAIRNET_JSON);

/** The Cairnet questionnaire with one to three properties replaced, added or removed. */
const mutatedSurveyJs = fc
  .array(
    fc.tuple(
      fc.nat({ max: CAIRNET_PATHS.length - 1 }),
      fc.option(fc.constantFrom(...SURVEYJS_KEYS), { nil: null }),
      fc.option(surveyJsValue, { nil: undefined }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((changes) =>
    changes.reduce<unknown>(
      (json, [p, key, value]) => setPath(json, CAIRNET_PATHS[p] ?? [], key, value),
      CAIRNET_JSON,
    ),
  );

const randomSurveyJs = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      title: surveyJsValue,
      pages: fc.array(
        fc.record(
          {
            name: hostileText,
            title: surveyJsValue,
            elements: fc.array(
              fc.dictionary(fc.constantFrom(...SURVEYJS_KEYS), surveyJsValue, { maxKeys: 6 }),
              { maxLength: 4 },
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      completedHtml: surveyJsValue,
    },
    { requiredKeys: [] },
  ),
);

/** A small valid questionnaire whose every label is hostile: it is usually accepted. */
const hostileLabels = fc
  .record({
    type: fc.constantFrom('text', 'radiogroup', 'checkbox', 'html', 'comment', 'boolean'),
    title: fc.oneof(hostileText, fc.record({ default: hostileText, fr: hostileText })),
    description: hostileText,
    html: hostileText,
    text: hostileText,
    otherText: hostileText,
  })
  .map(({ type, title, description, html, text, otherText }) => ({
    title,
    completedHtml: html,
    pages: [
      {
        name: 'p1',
        title: text,
        elements: [
          {
            type,
            name: 'q1',
            title,
            description,
            ...(type === 'html' ? { html } : {}),
            ...(type === 'radiogroup' || type === 'checkbox'
              ? { choices: [{ value: 'a', text }, 'b'], showOtherItem: true, otherText }
              : {}),
          },
        ],
      },
    ],
  }));

const surveyJsBytes = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(hostileLabels, mutatedSurveyJs, randomSurveyJs)
      .map((j) => Buffer.from(JSON.stringify(j) ?? '')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(`{${s}`)) },
);

// --- XLSForm ---------------------------------------------------------------------------------

const XLS_HEADERS = [
  'type',
  'name',
  'label',
  'label::English (en)',
  'label::French (fr)',
  'label::constructor',
  'label::__proto__',
  'hint',
  'hint::English (en)',
  'required',
  'relevant',
  'constraint',
  'constraint_message',
  'appearance',
  'calculation',
  'parameters',
  'choice_filter',
  'list_name',
  'form_title',
  'default_language',
  'TYPE',
  '',
];
const XLS_TYPES = [
  'text',
  'integer',
  'decimal',
  'note',
  'calculate',
  'date',
  'range',
  'geopoint',
  'acknowledge',
  'select_one yesno',
  'select_one missing_list',
  'select_multiple activity',
  'select_one',
  'select_one_from_file x.csv',
  'rank yesno',
  'begin group',
  'end group',
  'begin repeat',
  'end repeat',
  'begin_group',
  'end',
  'start',
  'unknown_type',
];
const XLS_CELLS = [
  'yesno',
  'yes',
  'no',
  'gender',
  'age',
  'met',
  'activities',
  '${age} >= 18',
  "${met} = 'yes'",
  "selected(${activities}, 'other')",
  '. > 0',
  "regex(., '^[a-z]+$')",
  '${nowhere} = 1',
  '${age} = ${age}',
  'start=1 end=5 step=1',
  'start=5 end=1 step=0',
  'minimal',
  'true()',
  '((((',
];
const xlsCell = fc.oneof(
  fc.constantFrom(...XLS_TYPES, ...XLS_CELLS),
  hostileText,
  fc.double({ noNaN: false }),
  fc.integer(),
);
const xlsRows = (header: fc.Arbitrary<(string | number)[]>) =>
  fc
    .tuple(header, fc.array(fc.array(xlsCell, { maxLength: 8 }), { maxLength: 12 }))
    .map(([h, rows]) => [h, ...rows]);
const xlsHeader = fc.array(fc.oneof(fc.constantFrom(...XLS_HEADERS), fc.string({ maxLength: 12 })), {
  maxLength: 8,
});

const randomXlsform: fc.Arbitrary<XlsformSheets> = fc
  .tuple(
    fc.option(xlsRows(xlsHeader.map((h) => ['type', 'name', ...h]))),
    fc.option(xlsRows(fc.constant(['list_name', 'name', 'label']))),
    fc.option(xlsRows(fc.constant(['form_title', 'form_id', 'default_language', 'style']))),
    fc.constantFrom('survey', 'Survey ', 'SURVEY', 'sheet1', 'choices'),
  )
  .map(([survey, choices, settings, surveyName]) => {
    const sheets: XlsformSheets = {};
    if (survey) sheets[surveyName] = survey;
    if (choices && surveyName !== 'choices') sheets.choices = choices;
    if (settings) sheets.settings = settings;
    return sheets;
  });

/** A `cairnet_quotas` sheet for the full fixture form (Cairnet's own quotas sheet), to damage too. */
const FULL_FORM_QUOTAS: (string | number)[][] = [
  ['quota', 'limit', 'action', 'question', 'values', 'message::French (fr)', 'message::English (en)'],
  ['Women members', 2, 'end', 'gender', 'woman', 'Merci, assez de femmes.', 'Thanks, enough women.'],
  ['Women members', '', '', 'activities', 'talks "boards"'],
  ['Met', 0, 'change', 'met', 'yes'],
];

/** The full fixture form, with a quotas sheet now and then, with cells replaced, rows dropped or rows added. */
const mutatedXlsform: fc.Arbitrary<XlsformSheets> = fc
  .array(
    fc.tuple(
      fc.constantFrom('survey', 'choices', 'settings', 'cairnet_quotas', 'cairnet_quotas'),
      fc.nat(40),
      fc.nat(14),
      fc.oneof(
        xlsCell,
        fc.constant(null),
        fc.constant('duplicate' as const),
        fc.array(xlsCell, { maxLength: 8 }),
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((changes) => {
    const sheets = Object.fromEntries(
      Object.entries(FULL_FORM).map(([name, rows]) => [name, (rows ?? []).map((r) => [...r])]),
    ) as Record<string, (string | number)[][]>;
    if (changes.some(([sheet]) => sheet === 'cairnet_quotas'))
      sheets.cairnet_quotas = FULL_FORM_QUOTAS.map((r) => [...r]);
    for (const [sheet, r, c, value] of changes) {
      const rows = sheets[sheet]!;
      const row = r % (rows.length + 1);
      if (value === null) rows.splice(row, 1);
      else if (value === 'duplicate') rows.splice(row, 0, [...(rows[row] ?? [])]);
      else if (Array.isArray(value)) rows.splice(row, 0, value);
      else {
        const target = rows[row] ?? [];
        target[c] = value;
        for (let k = 0; k < c; k++) target[k] ??= '';
        rows[row] = target;
      }
    }
    return sheets;
  });

/** The fixture's bytes with a few bytes changed or the file cut short. */
const mutatedXlsxBytes = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(XLSX.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat(XLSX.length)),
  )
  .map(([flips, cut]) => {
    const b = Buffer.from(XLSX);
    for (const [at, byte] of flips) b[at] = byte;
    return cut === null ? b : b.subarray(0, cut);
  });

// --- LimeSurvey .lss -----------------------------------------------------------------------

const LSS_TAGS = [
  'document',
  'LimeSurveyDocType',
  'DBVersion',
  'languages',
  'language',
  'surveys',
  'surveys_languagesettings',
  'surveyls_title',
  'groups',
  'questions',
  'subquestions',
  'question_l10ns',
  'answers',
  'answer_l10ns',
  'conditions',
  'question_attributes',
  'rows',
  'row',
  'qid',
  'gid',
  'sid',
  'parent_qid',
  'type',
  'title',
  'question',
  'help',
  'relevance',
  'mandatory',
  'code',
  'answer',
  'scale_id',
  'cqid',
  'cfieldname',
  'method',
  'value',
];
const lssText = fc.oneof(
  hostileText,
  fc.constantFrom('1', '2', '0', 'L', 'M', 'T', 'N', 'F', 'Y', '!', 'X', '*', 'en', 'fr', 'A1', 'Y', '=='),
  fc.nat(20).map(String),
);
const lssContent = lssText.map((t) =>
  t.includes(']]>') ? t.replace(/[<&]/g, '') : /[<&]/.test(t) ? `<![CDATA[${t}]]>` : t,
);
const lssElement: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...LSS_TAGS), lssContent).map(([t, c]) => `<${t}>${c}</${t}>`),
    fc
      .tuple(fc.constantFrom(...LSS_TAGS), fc.array(tie('el'), { maxLength: 5 }))
      .map(([t, children]) => `<${t}>${children.join('')}</${t}>`),
  ),
})).el;
const randomLss = fc
  .array(lssElement, { maxLength: 6 })
  .map((children) => `<?xml version="1.0" encoding="UTF-8"?>\n<document>${children.join('')}</document>`);

const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
/** A fixture with CDATA texts replaced, slices cut or duplicated, or elements inserted. */
const mutatedLss = fc
  .tuple(
    fc.constantFrom(LSS, LEGACY_LSS),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('cdata' as const), at: fc.nat(200), text: lssText }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(20000), length: fc.nat(200) }),
        fc.record({ kind: fc.constant('copy' as const), at: fc.nat(20000), length: fc.nat(400) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(20000), element: lssElement }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([source, changes]) =>
    changes.reduce((xml, c) => {
      const at = c.at % (xml.length + 1);
      if (c.kind === 'cdata') {
        const all = [...xml.matchAll(CDATA)];
        const m = all[c.at % Math.max(1, all.length)];
        if (!m || m.index === undefined) return xml;
        const text = c.text.replaceAll(']]>', '');
        return `${xml.slice(0, m.index)}<![CDATA[${text}]]>${xml.slice(m.index + m[0].length)}`;
      }
      if (c.kind === 'cut') return xml.slice(0, at) + xml.slice(at + c.length);
      if (c.kind === 'copy') return xml.slice(0, at) + xml.slice(at, at + c.length) + xml.slice(at);
      // Insert only between elements, so that the document usually stays well-formed.
      const gap = xml.indexOf('><', at);
      return gap < 0 ? xml : `${xml.slice(0, gap + 1)}${c.element}${xml.slice(gap + 1)}`;
    }, source),
  );

// --- the cases of each boundary -------------------------------------------------------------

export const surveyJsCase: fc.Arbitrary<Buffer> = surveyJsBytes;

/** An XLSForm: sheets to write with exceljs, or damaged bytes. */
export type XlsformCase = { sheets: XlsformSheets; bytes: null } | { sheets: null; bytes: Buffer };

export const xlsformCase: fc.Arbitrary<XlsformCase> = fc.oneof(
  { weight: 4, arbitrary: mutatedXlsform.map((sheets) => ({ sheets, bytes: null })) },
  { weight: 3, arbitrary: randomXlsform.map((sheets) => ({ sheets, bytes: null })) },
  { weight: 1, arbitrary: mutatedXlsxBytes.map((bytes) => ({ sheets: null, bytes })) },
);

export const xlsformBytes = async (c: XlsformCase): Promise<Buffer> => c.bytes ?? buildXlsform(c.sheets);

export const lssCase: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: randomLss },
  { weight: 2, arbitrary: mutatedLss },
);

/**
 * Imports then stores as `cairnet instrument import` does: a refusal must be a registered
 * CairnetError that stored nothing (and the same refusal when tried again); an import must hold
 * no script in its labels.
 */
export async function instrumentImportHarness(store: Store) {
  const writes = await watchStoreWrites(store);
  const attempt = async (bytes: Buffer, fileName: string) => {
    try {
      return { imported: await importInstrumentBuffer(bytes, fileName) };
    } catch (e) {
      return { refusal: refusalOf(e, `import ${fileName}`) };
    }
  };
  let refusals = 0;
  return async (bytes: Buffer, fileName: string): Promise<FuzzOutcome> => {
    const before = await writes();
    const r = await attempt(bytes, fileName);
    if (r.refusal) {
      if ((await writes()) !== before) throw new FuzzFinding('store', 'a refused import changed the store');
      // Every 20th refusal is tried again: the same file must be refused with the same code.
      if (refusals++ % 20 === 0) {
        const again = await attempt(bytes, fileName);
        const code = again.refusal && !again.refusal.accepted ? again.refusal.code : 'accepted';
        if (r.refusal.accepted || code !== r.refusal.code) {
          throw new FuzzFinding(
            'code',
            `refused with ${JSON.stringify(r.refusal)} then ${code} for the same file`,
          );
        }
      }
      return r.refusal;
    }
    const json = r.imported!.instrument.json as Record<string, unknown>;
    // A prototype key of the file ("constructor", "__proto__") read through a plain object.
    const text = JSON.stringify(json);
    if (/\[native code\]|\[object Object\]/.test(text)) {
      throw new FuzzFinding(
        'invariant',
        `Object.prototype leaked into the instrument: ${text.slice(0, 300)}`,
      );
    }
    const scripts = scriptsIn(json);
    if (scripts.length)
      throw new FuzzFinding('invariant', `script in imported labels: ${scripts.join('; ')}`);
    const { created } = await saveInstrument(store.db, 'fuzz', json);
    if (created && (await writes()) === before)
      throw new FuzzFinding('invariant', 'saved but nothing written');
    return ACCEPTED;
  };
}

import { cairnetError } from '../errors.js';
import { variableAnswer } from '../instrument/flatten-answers.js';
import type { Codebook, CodebookVariable, LocalisedText } from '../instrument/types.js';
import type { Dataset, DatasetColumn } from './dataset.js';

/** One response as the builder reads it: SurveyJS answers and whether it is synthetic. */
export interface ResponseRow {
  id?: string;
  data: Record<string, unknown>;
  synthetic?: boolean;
}

export interface DatasetOptions {
  /** Only these codebook variables become columns (default: all but the joined `multiple` ones). */
  variables?: readonly string[];
  /** Keep response ids (default false). */
  keepIds?: boolean;
}

type Extract = (answer: unknown) => unknown;

interface Slot {
  variable: CodebookVariable;
  extract: Extract;
  kind: 'categorical' | 'numeric' | 'text_list';
  /** Level code by value, in an object without prototype (faster than a Map for these small keys). */
  index?: Record<string, number>;
  codes?: Int16Array;
  values?: Float64Array;
  dictionary?: Map<string, number>;
  offsets?: Int32Array;
  items?: Int32Array;
  itemCount?: number;
  unknown: number;
}

function objectOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Mirrors `flattenAnswers` variable by variable, reading the answer to the variable's question. */
function extractor(v: CodebookVariable): Extract {
  const q = v.question;
  switch (v.type) {
    case 'boolean':
      if (v.choice !== undefined) {
        const choice = v.choice;
        return (a) => (Array.isArray(a) ? (a.some((x) => String(x) === choice) ? '1' : '0') : null);
      }
      return (a) => (a === true ? '1' : a === false ? '0' : null);
    case 'ordinal':
    case 'matrix_row':
      if (v.row !== undefined) {
        const row = v.row;
        return (a) => objectOf(a)[row];
      }
      return (a) => a;
    case 'text_list': {
      const key = v.item ?? (v.name === q ? undefined : v.name.slice(q.length + 1));
      return (entries) => {
        if (!Array.isArray(entries)) return null;
        const texts: string[] = [];
        for (const item of entries) {
          const o = objectOf(item);
          const t = key !== undefined ? o[key] : Object.values(o)[0];
          if (typeof t === 'string' && t.trim() !== '') texts.push(t.trim());
        }
        return texts.length > 0 ? texts : null;
      };
    }
    default:
      return (a) => a;
  }
}

function kindOf(v: CodebookVariable): Slot['kind'] {
  if (v.type === 'numeric') return 'numeric';
  if (v.type === 'text_list' || v.type === 'text') return 'text_list';
  return 'categorical';
}

const ORDERED = new Set(['ordinal', 'matrix_row']);

/**
 * Builds a {@link Dataset} one response at a time, so that a large store is streamed rather than
 * held as answer objects: each response is read into typed arrays and can then be dropped.
 *
 * @example
 * const builder = new DatasetBuilder(codebook, { variables: ['relation', 'age_band'] });
 * for await (const r of iterateResponses(db, 'cairnet')) builder.add(r);
 * const dataset = builder.finish();
 */
export class DatasetBuilder {
  readonly #slots: Slot[];
  #n = 0;
  #capacity = 1024;
  #synthetic = new Uint8Array(1024);
  #ids: string[] | null;

  constructor(codebook: Codebook, options: DatasetOptions = {}) {
    const byName = new Map(codebook.variables.map((v) => [v.name, v]));
    const names =
      options.variables ?? codebook.variables.filter((v) => v.type !== 'multiple').map((v) => v.name);
    this.#ids = options.keepIds ? [] : null;
    this.#slots = [...new Set(names)].map((name) => {
      const variable = byName.get(name);
      if (!variable) throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `The codebook has no variable "${name}"`);
      if (variable.type === 'multiple') {
        throw cairnetError(
          'CAIRNET_COLUMN_UNKNOWN',
          `"${name}" is a multi-select question: use its indicators (${name}__<choice>)`,
        );
      }
      const kind = kindOf(variable);
      const slot: Slot = { variable, extract: extractor(variable), kind, unknown: 0 };
      if (kind === 'categorical') {
        slot.index = Object.create(null) as Record<string, number>;
        variable.levels.forEach((l, k) => {
          slot.index![String(l.value)] = k;
        });
        slot.codes = new Int16Array(this.#capacity);
      } else if (kind === 'numeric') slot.values = new Float64Array(this.#capacity);
      else {
        slot.dictionary = new Map();
        slot.offsets = new Int32Array(this.#capacity + 1);
        slot.items = new Int32Array(this.#capacity);
        slot.itemCount = 0;
      }
      return slot;
    });
  }

  get n(): number {
    return this.#n;
  }

  #grow(): void {
    this.#capacity *= 2;
    const grow = <T extends Int16Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.#capacity);
      b.set(a);
      return b;
    };
    this.#synthetic = grow(this.#synthetic, (n) => new Uint8Array(n));
    for (const s of this.#slots) {
      if (s.codes) s.codes = grow(s.codes, (n) => new Int16Array(n));
      if (s.values) s.values = grow(s.values, (n) => new Float64Array(n));
      if (s.offsets) {
        const b = new Int32Array(this.#capacity + 1);
        b.set(s.offsets);
        s.offsets = b;
      }
    }
  }

  /** Reads one response into the columns. */
  add(row: ResponseRow): void {
    if (this.#n === this.#capacity) this.#grow();
    const i = this.#n++;
    this.#synthetic[i] = row.synthetic ? 1 : 0;
    this.#ids?.push(row.id ?? String(i + 1));
    const data = row.data;
    for (const s of this.#slots) {
      const raw = s.extract(variableAnswer(s.variable, data));
      if (s.kind === 'categorical') {
        if (raw === null || raw === undefined || raw === '') s.codes![i] = -1;
        else {
          const k = s.index![typeof raw === 'string' ? raw : String(raw)];
          if (k === undefined) s.unknown++;
          s.codes![i] = k ?? -1;
        }
      } else if (s.kind === 'numeric') {
        const x =
          typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : Number.NaN;
        s.values![i] = Number.isFinite(x) ? x : Number.NaN;
      } else {
        const list = Array.isArray(raw)
          ? (raw as string[])
          : typeof raw === 'string' && raw !== ''
            ? [raw]
            : [];
        for (const text of list) {
          let code = s.dictionary!.get(text);
          if (code === undefined) {
            code = s.dictionary!.size;
            s.dictionary!.set(text, code);
          }
          if (s.itemCount === s.items!.length) {
            const b = new Int32Array(s.items!.length * 2);
            b.set(s.items!);
            s.items = b;
          }
          s.items![s.itemCount!++] = code;
        }
        s.offsets![i + 1] = s.itemCount!;
      }
    }
  }

  /** The columns read so far. */
  finish(): Dataset {
    const n = this.#n;
    const columns = new Map<string, DatasetColumn>();
    const unknownValues = new Map<string, number>();
    for (const s of this.#slots) {
      const v = s.variable;
      const label: LocalisedText = v.label;
      if (s.unknown > 0) unknownValues.set(v.name, s.unknown);
      if (s.kind === 'categorical') {
        columns.set(v.name, {
          kind: 'categorical',
          name: v.name,
          label,
          levels: v.levels.map((l) => String(l.value)),
          levelLabels: v.levels.map((l) => l.label),
          ordered: ORDERED.has(v.type),
          codes: s.codes!.slice(0, n),
        });
      } else if (s.kind === 'numeric') {
        columns.set(v.name, { kind: 'numeric', name: v.name, label, values: s.values!.slice(0, n) });
      } else {
        columns.set(v.name, {
          kind: 'text_list',
          name: v.name,
          label,
          dictionary: [...s.dictionary!.keys()],
          offsets: s.offsets!.slice(0, n + 1),
          items: s.items!.slice(0, s.itemCount!),
        });
      }
    }
    return {
      n,
      columns,
      synthetic: this.#synthetic.slice(0, n),
      ...(this.#ids ? { ids: this.#ids } : {}),
      unknownValues,
    };
  }
}

/**
 * Builds a dataset from responses, streamed (an async iterable from the store) or in memory.
 *
 * @example
 * const dataset = await buildDataset(codebook, iterateResponses(db, 'cairnet'));
 */
export async function buildDataset(
  codebook: Codebook,
  responses: AsyncIterable<ResponseRow> | Iterable<ResponseRow>,
  options: DatasetOptions = {},
): Promise<Dataset> {
  const builder = new DatasetBuilder(codebook, options);
  for await (const r of responses) builder.add(r);
  return builder.finish();
}

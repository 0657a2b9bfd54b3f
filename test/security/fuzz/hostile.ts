import fc from 'fast-check';

/** Strings a hostile user tries on every boundary. */
export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '=HYPERLINK("http://x","y")',
  '=cmd|"/c calc"!A1',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '\u0000',
  '\u202e\u2066',
  '\uFEFF',
  '\uD800',
  'é\u0301',
  '𝕏🙂',
  '1e308',
  '-1e308',
  '1e-400',
  '9007199254740993',
  'NaN',
  'Infinity',
  '0x1F',
  'null',
  'undefined',
  'x'.repeat(5000),
];

/** Values of any JSON type a parser may not expect. */
export const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  [null],
  JSON.parse('{"__proto__": 1}'),
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  'a'.repeat(100_000),
];

/** A value nested `depth` levels deep, in arrays or objects. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: deeplyNested },
);

/** Object keys that break naive code: prototype keys, empty and huge names. */
export const hostileKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 12 }),
);

/** Sets a key as an own property, even `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `a` in `percent` % of the cases, else undefined (a field left out). */
export const sometimes = <T>(a: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: percent, arbitrary: a }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });

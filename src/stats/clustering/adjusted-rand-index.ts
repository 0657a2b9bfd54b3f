import { cairnetError } from '../../errors.js';

/**
 * Adjusted Rand index of two partitions of the same rows (Hubert & Arabie 1985): 1 for
 * identical partitions (whatever the numbering), about 0 for independent ones.
 *
 * @example
 * adjustedRandIndex([1, 1, 2, 2], [2, 2, 1, 1]) // 1
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length) {
    throw cairnetError(
      'CAIRNET_TYPOLOGY_INVALID',
      `Partitions of ${a.length} and ${b.length} rows cannot be compared.`,
    );
  }
  const n = a.length;
  const ia = new Map<number | string, number>();
  const ib = new Map<number | string, number>();
  const cell = new Map<number, number>();
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = ia.get(a[i]!);
    if (x === undefined) {
      x = ia.size;
      ia.set(a[i]!, x);
      ra.push(0);
    }
    let y = ib.get(b[i]!);
    if (y === undefined) {
      y = ib.size;
      ib.set(b[i]!, y);
      rb.push(0);
    }
    ra[x]!++;
    rb[y]!++;
    const key = x * n + y;
    cell.set(key, (cell.get(key) ?? 0) + 1);
  }
  const c2 = (m: number) => (m * (m - 1)) / 2;
  let index = 0;
  for (const m of cell.values()) index += c2(m);
  const sa = ra.reduce((s, m) => s + c2(m), 0);
  const sb = rb.reduce((s, m) => s + c2(m), 0);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/** Pairwise precision and recall of a grouping against true labels, and match accuracy. */
export interface GroupingScore {
  /** Of the pairs put in the same group, the share that name the same association. */
  precision: number;
  /** Of the pairs that name the same association, the share put in the same group. */
  recall: number;
  truePairs: number;
  predictedPairs: number;
  agreeingPairs: number;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

function countBy(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/**
 * Pairwise precision and recall: counts pairs of items from the contingency table of
 * (predicted group, true label), without enumerating pairs.
 */
export function pairwiseScore(predicted: readonly string[], truth: readonly string[]): GroupingScore {
  if (predicted.length !== truth.length) throw new RangeError('predicted and truth differ in length');
  let truePairs = 0;
  let predictedPairs = 0;
  let agreeingPairs = 0;
  for (const n of countBy(truth).values()) truePairs += pairs(n);
  for (const n of countBy(predicted).values()) predictedPairs += pairs(n);
  for (const n of countBy(predicted.map((p, i) => `${p}\u0000${truth[i]}`)).values())
    agreeingPairs += pairs(n);
  return {
    precision: predictedPairs === 0 ? 1 : agreeingPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : agreeingPairs / truePairs,
    truePairs,
    predictedPairs,
    agreeingPairs,
  };
}

/** Share of mentions whose match (an entry id, or none for '') is the expected one. */
export function matchAccuracy(matched: readonly (string | null)[], expected: readonly string[]): number {
  if (matched.length === 0) return 1;
  let ok = 0;
  matched.forEach((m, i) => {
    if ((m ?? '') === (expected[i] ?? '')) ok++;
  });
  return ok / matched.length;
}

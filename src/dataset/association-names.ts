import { createReconciler, loadSeedRegistry } from '../associations/index.js';

/**
 * Counts the distinct associations among free-text mentions, after reconciling them against the
 * seed registry (src/associations): each distinct text is reconciled once, and mentions judged
 * to name the same association (same registry entry, or grouped when new) count once (F6).
 *
 * @example
 * distinctAssociationCount(['AFM', 'AFM-Téléthon', 'Vaincre la muco']); // 2
 */
export function distinctAssociationCount(mentions: readonly string[]): number {
  // sorted, so that the count does not depend on the order the texts were read in (rows or SQL)
  const unique = [...new Set(mentions.map((m) => m.trim()).filter((m) => m !== ''))].sort();
  const reconciler = createReconciler(loadSeedRegistry());
  const groups = new Set<string>();
  for (const m of reconciler.reconcile(unique.map((text, i) => ({ id: String(i), text })))) {
    if (m.group !== 'empty') groups.add(m.group);
  }
  return groups.size;
}

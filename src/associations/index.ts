/** The association registry and name reconciliation: the public API of this module. */
export * from './citations.js';
export { type Decision, decisionEntryId, namedMentions } from './decision.js';
export * from './evaluation.js';
export { fingerprint, ngramFingerprint, normalise, stripAccents } from './normalise.js';
export * from './reconcile.js';
export { formatRegistryCsv, parseRegistryCsv, readRegistryFile } from './registry-csv.js';
export type { RegistryEntry } from './registry-entry.js';
export { loadSeedRegistry } from './seed-registry.js';
export { messyMention } from './variants.js';

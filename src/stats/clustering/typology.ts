import { cairnetError } from '../../errors.js';
import { type CategoricalColumn, type CodedVariable, encodeVariable } from '../mca/categorical-variable.js';
import type { McaResult } from '../mca/mca-result.js';
import { multipleCorrespondenceAnalysis } from '../mca/multiple-correspondence-analysis.js';
import { type ClusterDescription, describeClusters } from './cluster-description.js';
import { type HcpcResult, hierarchicalClustering } from './hierarchical-clustering.js';

export interface TypologyInput {
  readonly active: readonly CategoricalColumn[];
  readonly supplementary?: readonly CategoricalColumn[];
  readonly rowWeights?: ArrayLike<number> | null;
  /** MCA dimensions kept, and clustered on (default 5). */
  readonly dimensions?: number;
  /** K; FactoMineR's suggestion when omitted. */
  readonly clusters?: number;
  readonly consolidation?: boolean;
  readonly exactLimit?: number;
  /** Significance level for the description of clusters (default 0.05). */
  readonly proba?: number;
  readonly individualDetails?: boolean;
}

/** Respondent profiles: an MCA, its Ward clustering and the description of each cluster. */
export interface Typology {
  readonly mca: McaResult;
  readonly clustering: HcpcResult;
  readonly description: ClusterDescription;
  readonly active: readonly CodedVariable[];
  readonly supplementary: readonly CodedVariable[];
}

/**
 * `MCA` then `HCPC` as a survey team runs them in FactoMineR; profile membership is
 * `clustering.clusterOf` (1…K, rows in input order), ready to become a derived variable.
 *
 * @example
 * const t = buildTypology({ active: opinions, supplementary: [gender, age], clusters: 4 });
 * t.clustering.clusterOf; t.description.categories[0]; // the first profile's typical answers
 */
export function buildTypology(input: TypologyInput): Typology {
  const names = new Set<string>();
  for (const c of [...input.active, ...(input.supplementary ?? [])]) {
    if (names.has(c.name)) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        `Variable "${c.name}" is named twice (active or supplementary).`,
      );
    }
    names.add(c.name);
  }
  const active = input.active.map(encodeVariable);
  const supplementary = (input.supplementary ?? []).map(encodeVariable);
  const mca = multipleCorrespondenceAnalysis({
    active,
    supplementary,
    rowWeights: input.rowWeights,
    dimensions: input.dimensions ?? 5,
    individualDetails: input.individualDetails,
  });
  const clustering = hierarchicalClustering(mca.ind.coord, mca.rowWeights, {
    clusters: input.clusters,
    consolidation: input.consolidation,
    exactLimit: input.exactLimit,
  });
  const description = describeClusters(
    clustering.clusterOf,
    clustering.clusters,
    [
      ...active.map((variable) => ({ variable, supplementary: false })),
      ...supplementary.map((variable) => ({ variable, supplementary: true })),
    ],
    mca.rowWeights,
    input.proba ?? 0.05,
  );
  return { mca, clustering, description, active, supplementary };
}

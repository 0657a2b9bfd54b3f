import type { CitationCount } from '../associations/citations.js';
import type { SurveyTexts } from '../instrument/survey-texts.js';
import type { Codebook } from '../instrument/types.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { Plan } from '../plan/plan-schema.js';
import type { FactorMapData } from './factor-map-data.js';

/** Everything an output renders: the plan's results, the plan itself and the codebook. */
export interface PublishedResults {
  results: PlanResults;
  plan: Plan;
  codebook: Codebook;
  /** The typology's factor map as data (drawn by each output in its language), when computable. */
  factorMap?: FactorMapData;
  /** When these results were computed. */
  computedAt: Date;
  /** The stored snapshot these results are (src/results/): shown on every output. */
  snapshot?: { id: string };
  /** The directory under `instruments/` with the survey's texts (templates), or null. */
  source?: string | null;
  /** The survey's own words (report title, design…), from `instruments/<source>/texts.json`. */
  texts?: SurveyTexts;
}

/** What a snapshot was computed from, named so that it can be computed again and checked. */
export interface SnapshotInputs {
  instrument: {
    name: string;
    /** The stored version the codebook came from (null: the bundled Cairnet questionnaire). */
    version: number | null;
    hash: string | null;
    /** The versions the responses were given under. */
    responseVersions: number[];
  };
  plan: { hash: string; file: string };
  responses: {
    count: number;
    last: string | null;
    /** sha256 over the responses' ids and the hashes of their answers. */
    hash: string;
    /** Set when responses arrived during every attempt: the figures are on `n` of them. */
    note?: string;
  };
  /** The association decisions log and registry the association counts were made with. */
  decisions: { count: number; last: string | null };
  registry: { count: number; last: string | null } | null;
  /** package.json version + a hash of the sources. */
  code: string;
  /** Where the counting was done: in the application, by the database, or both. */
  counts: 'memory' | 'sql' | 'sql+rows';
}

/** The most cited associations and their distinct number, as reconciled when the snapshot was made. */
export interface SnapshotAssociations {
  distinct: number;
  mostCited: Pick<CitationCount, 'label' | 'responses' | 'entryId'>[];
}

/** A snapshot's identity and inputs. */
export interface SnapshotInfo {
  id: string;
  instrument: string;
  computedAt: string;
  /** A user id, or `cli:` and the operating-system user. */
  computedBy: string;
  /** sha256 of the results' canonical JSON. */
  resultsHash: string;
  inputs: SnapshotInputs;
}

/**
 * A stored snapshot, loaded: everything an output renders (the results, plan, codebook and
 * factor map, as {@link PublishedResults}), the association counts, and its identity.
 */
export interface Snapshot extends PublishedResults {
  snapshot: SnapshotInfo;
  associations?: SnapshotAssociations;
}

/** What is stored in a snapshot's `body`. */
export interface SnapshotBody {
  results: PublishedResults['results'];
  plan: PublishedResults['plan'];
  codebook: PublishedResults['codebook'];
  factorMap?: FactorMapData;
  associations?: SnapshotAssociations;
  source?: string | null;
  texts?: SurveyTexts;
}

import type { Demographics } from './demographics.js';

/** The four researcher profiles of the published typology (F20). */
export const PROFILES = ['engages', 'pragmatiques', 'distants', 'reticents'] as const;
export type Profile = (typeof PROFILES)[number];

/** Target shares of the profiles in the panel. */
export const PROFILE_SHARES: Record<Profile, number> = {
  engages: 0.3,
  pragmatiques: 0.3,
  distants: 0.25,
  reticents: 0.15,
};

/**
 * How demographics pull towards each profile (log-odds against Pragmatiques, before the
 * intercepts that set the shares): clinicians, team leaders and clinical or public-health
 * research towards Engagés; fundamental research and youth towards Distants; fundamental
 * research and seniority, mildly, towards Réticents.
 */
export function profileScores(d: Demographics): Record<Profile, number> {
  const clin = d.clinical_activity === 'yes' ? 1 : 0;
  const lead = d.responsibility === 'member' ? 0 : 1;
  const applied = d.research_kind === 'clinical' || d.research_kind === 'public_health' ? 1 : 0;
  const fundamental = d.research_kind === 'fundamental' ? 1 : 0;
  const young = d.age_band === 'lt30' || d.age_band === '30_34' ? 1 : 0;
  const older = ['45_49', '50_54', '55_59', '60plus'].includes(d.age_band) ? 1 : 0;
  return {
    engages: 1.3 * clin + 0.5 * lead + 0.5 * applied + 0.3 * older - 0.6 * (d.age_band === 'lt30' ? 1 : 0),
    pragmatiques: 0,
    distants: -1.0 * clin + 0.6 * fundamental + 0.5 * young - 0.3 * lead,
    reticents: 0.4 * fundamental + 0.3 * (d.age_band === '55_59' || d.age_band === '60plus' ? 1 : 0),
  };
}

/** Log-odds of an ongoing relation by profile (age and clinical practice are added by calibration). */
export const ONGOING_BY_PROFILE: Record<Profile, number> = {
  engages: 1.2,
  pragmatiques: 0,
  distants: -1.2,
  reticents: -0.8,
};
/** Log-odds of never having met an association, among those without an ongoing relation. */
export const NEVER_BY_PROFILE: Record<Profile, number> = {
  engages: -1.5,
  pragmatiques: -0.5,
  distants: 1.0,
  reticents: 0.6,
};

/**
 * Latent positions of each profile on the opinion items (positive: agrees) and the benefit
 * items (positive: useful or determining). These make the profiles recoverable by MCA and
 * clustering: Engagés value benefits and see associations as a useful interface, Distants see no
 * scientific reason to meet them, Réticents see lobbies and a threat to freedom.
 */
export const OPINION_POSITIONS: Record<string, Record<Profile, number>> = {
  best_placed: { engages: 2.0, pragmatiques: 1.0, distants: 0.2, reticents: -1.5 },
  freedom: { engages: -3.0, pragmatiques: -0.5, distants: -0.3, reticents: 3.0 },
  time: { engages: -2.5, pragmatiques: -0.3, distants: 1.0, reticents: 1.5 },
  interface: { engages: 3.5, pragmatiques: 0.8, distants: -1.5, reticents: -1.8 },
  lobbies: { engages: -3.0, pragmatiques: -0.6, distants: -0.5, reticents: 3.5 },
  no_reason: { engages: -3.5, pragmatiques: -1.0, distants: 3.0, reticents: 0 },
};

export const BENEFIT_POSITIONS: Record<string, Record<Profile, number>> = {
  motivation: { engages: 2.5, pragmatiques: 0.5, distants: -1.8, reticents: -1.2 },
  daily_life: { engages: 2.5, pragmatiques: 0.4, distants: -2.0, reticents: -1.2 },
  value: { engages: 2.5, pragmatiques: 0.8, distants: -1.0, reticents: -1.2 },
  access: { engages: 2.0, pragmatiques: 0.5, distants: -1.5, reticents: -1.2 },
  funding: { engages: 1.0, pragmatiques: 0.2, distants: -1.0, reticents: -1.0 },
};

/**
 * How far apart the outer cut points of a profile's Likert answers are: Pragmatiques rarely
 * answer "strongly", the others readily do.
 */
export const LIKERT_SPREAD: Record<Profile, number> = {
  engages: 1.3,
  pragmatiques: 3.5,
  distants: 1.5,
  reticents: 1.3,
};

/** Log-odds of having received financial support, by profile, among those in contact. */
export const FUNDING_BY_PROFILE: Record<Profile, number> = {
  engages: 0.8,
  pragmatiques: 0,
  distants: -1.0,
  reticents: -0.8,
};

/** Shares of the amount brackets among funded researchers (F12: < €40k one in four; F13: 5%). */
export const AMOUNT_SHARES: Record<string, number> = {
  lt10k: 0.11,
  '10_40k': 0.14,
  '40_100k': 0.22,
  '100_500k': 0.28,
  '500k_1m': 0.12,
  '1m_2_5m': 0.08,
  gt2_5m: 0.05,
};

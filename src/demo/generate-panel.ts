import { cairnetError } from '../errors.js';
import { MentionSource, mentionCount } from './association-mentions.js';
import { likertProbabilities, sigmoid, solveShift } from './calibrate.js';
import { AGE_BANDS, type Demographics, drawDemographics } from './demographics.js';
import {
  AMOUNT_SHARES,
  BENEFIT_POSITIONS,
  FUNDING_BY_PROFILE,
  LIKERT_SPREAD,
  NEVER_BY_PROFILE,
  ONGOING_BY_PROFILE,
  OPINION_POSITIONS,
  PROFILE_SHARES,
  PROFILES,
  type Profile,
  profileScores,
} from './profile-model.js';
import { drawIndex, type Random, seededRandom, stratifiedUniforms, systematicSelect } from './random.js';

/** One synthetic respondent of the demonstration panel. */
export interface DemoRespondent {
  /** A SurveyJS answers object for instruments/cairnet/survey.json (no hidden question answered). */
  data: Record<string, unknown>;
  /** The latent profile the respondent was drawn from. */
  profile: Profile;
  /** Always true: demonstration data must be flagged as such in the store and every output. */
  synthetic: true;
  /** Registry ids (src/associations seed registry) of the associations cited, in the order of `data.associations`. */
  intendedAssociations: string[];
}

export interface PanelOptions {
  respondents: number;
  seed: number;
}

/** Share of ongoing relations by age band (F7: 11% under 30; F8: 57% at 50–54; F9: 50% at 55–59). */
const ONGOING_BY_AGE: Record<string, number> = {
  lt30: 0.11,
  '30_34': 0.25,
  '35_39': 0.35,
  '40_44': 0.42,
  '45_49': 0.5,
  '50_54': 0.57,
  '55_59': 0.5,
  '60plus': 0.52,
};
/** F10: 67% of clinicians have an ongoing relation (36% of the others follows from F3). */
const ONGOING_CLINICIANS = 0.67;
/** F2: 81% in contact, hence 19% never met an association. */
const NEVER_SHARE = 0.19;
const LEVELS_OPINION = ['strongly_disagree', 'disagree', 'agree', 'strongly_agree'] as const;
const LEVELS_BENEFIT = ['none', 'marginal', 'useful', 'determining'] as const;

/**
 * Generates a synthetic Cairnet panel from a latent-class model: demographics drive the profile
 * (Engagés, Pragmatiques, Distants, Réticents); the profile, with age and clinical practice,
 * drives the relation with associations; profile and relation drive funding, benefits and
 * opinions. One intercept per published figure (PUBLISHED.md F2–F19) is solved on the
 * respondents drawn, and groups are drawn with stratified uniforms, so that a panel of 651 lands
 * within a few points of each figure. F5 ("a little more than a quarter never met an
 * association") contradicts F2 (81% in contact); the panel follows F2.
 * Pure and deterministic for a seed.
 *
 * @example
 * const panel = generatePanel({ respondents: 651, seed: 2013 });
 * panel[0].data.relation; // 'ongoing' | 'short_term' | 'never'
 */
export function generatePanel({ respondents, seed }: PanelOptions): DemoRespondent[] {
  if (!Number.isInteger(respondents) || respondents < 1 || respondents > 1_000_000) {
    throw cairnetError(
      'CAIRNET_USAGE',
      `The number of respondents must be a whole number from 1 to 1000000, not ${respondents}.`,
    );
  }
  if (!Number.isInteger(seed))
    throw cairnetError('CAIRNET_USAGE', `The seed must be a whole number, not ${seed}.`);
  const rand = seededRandom(seed);
  const n = respondents;
  const demos = drawDemographics(n, rand);
  const profiles = drawProfiles(demos, rand);
  const relations = drawRelations(demos, profiles, rand);
  const opinions = drawOpinions(profiles, relations, rand);
  const contact = relations.map((r) => r !== 'never');
  const funded = drawFunding(profiles, relations, rand);
  const amounts = drawAmounts(funded, rand);
  const benefits = drawBenefits(profiles, relations, funded, rand);
  const mentions = new MentionSource();

  return demos.map((d, i) => {
    const profile = profiles[i]!;
    const relation = relations[i]!;
    const data: Record<string, unknown> = { ...d, relation };
    let intendedAssociations: string[] = [];
    if (contact[i]) {
      const cited = mentions.draw(mentionCount(relation, rand), rand);
      intendedAssociations = cited.ids;
      if (cited.texts.length > 0) data.associations = cited.texts.map((name) => ({ name }));
      if (relation === 'ongoing') {
        const age = AGE_BANDS.indexOf(d.age_band);
        data.ongoing_since = (['lt2', '2_5', '5_10', 'gt10'] as const)[
          drawIndex([3, 4, 1 + age * 0.6, age * 0.7], rand())
        ];
        data.relation_origin = (['association_came', 'i_went', 'colleague', 'inserm', 'other'] as const)[
          drawIndex([0.38, 0.27, 0.2, 0.08, 0.07], rand())
        ];
      }
      data.funding = funded[i] ? 'yes' : 'no';
      if (funded[i]) {
        data.funding_amount = amounts[i];
        data.funding_use = pickSeveral(
          { seed: 0.55, doctoral: 0.35, postdoc: 0.35, equipment: 0.25, meetings: 0.15, other: 0.08 },
          rand,
          'seed',
        );
      }
      const scale = relation === 'ongoing' ? 1 : 0.4;
      const activities = pickSeveral(
        {
          patient_information: 0.6 * scale,
          outreach: 0.5 * scale,
          meetings: 0.65 * scale,
          monitoring: 0.35 * scale,
          scientific_council: 0.3 * scale,
          project_review: 0.3 * scale,
          other: 0.05,
        },
        rand,
      );
      if (activities.length > 0) data.activities = activities;
      data.benefit = benefits[i];
    }
    data.opinion = opinions[i];
    const after = AFTERWARDS[profile];
    data.want_more_contact = (['yes', 'no', 'dont_know'] as const)[drawIndex(after.more, rand())];
    data.want_inserm_help = rand() < after.help ? 'yes' : 'no';
    data.press_contact_optin = rand() < after.press ? 'yes' : 'no';
    return { data, profile, synthetic: true, intendedAssociations };
  });
}

const AFTERWARDS: Record<Profile, { more: number[]; help: number; press: number }> = {
  engages: { more: [0.6, 0.15, 0.25], help: 0.6, press: 0.45 },
  pragmatiques: { more: [0.4, 0.25, 0.35], help: 0.45, press: 0.3 },
  distants: { more: [0.1, 0.6, 0.3], help: 0.15, press: 0.12 },
  reticents: { more: [0.08, 0.72, 0.2], help: 0.1, press: 0.1 },
};

function drawProfiles(demos: Demographics[], rand: Random): Profile[] {
  const scores = demos.map((d) => profileScores(d));
  const intercept: Record<Profile, number> = { engages: 0, pragmatiques: 0, distants: 0, reticents: 0 };
  const probabilities = () =>
    scores.map((s) => {
      const e = PROFILES.map((p) => Math.exp(s[p] + intercept[p]));
      const total = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / total);
    });
  for (let iter = 0; iter < 200; iter++) {
    const probs = probabilities();
    PROFILES.forEach((p, k) => {
      const mean = probs.reduce((s, pr) => s + pr[k]!, 0) / probs.length;
      intercept[p] += Math.log(PROFILE_SHARES[p] / mean);
    });
  }
  const probs = probabilities();
  const u = stratifiedUniforms(demos.length, rand);
  return probs.map((pr, i) => PROFILES[drawIndex(pr, u[i]!)]!);
}

type Relation = 'never' | 'short_term' | 'ongoing';

function drawRelations(demos: Demographics[], profiles: Profile[], rand: Random): Relation[] {
  const n = demos.length;
  const clinician = demos.map((d) => d.clinical_activity === 'yes');
  const bandOf = demos.map((d) => d.age_band);
  const kAge: Record<string, number> = {};
  let kClinician = 0;
  const base = (i: number) => ONGOING_BY_PROFILE[profiles[i]!] + (clinician[i] ? kClinician : 0);
  const clinicians = indices(n, (i) => clinician[i]!);
  // Raking: one intercept per age band (F7–F9) and one for clinicians (F10), solved in turn.
  for (let iter = 0; iter < 30; iter++) {
    for (const band of AGE_BANDS) {
      const members = indices(n, (i) => bandOf[i] === band);
      kAge[band] = solveShift(members.map(base), ONGOING_BY_AGE[band]!);
    }
    if (clinicians.length > 0 && clinicians.length < n) {
      kClinician += solveShift(
        clinicians.map((i) => base(i) + kAge[bandOf[i]!]!),
        ONGOING_CLINICIANS,
      );
    }
  }
  const pOngoing = demos.map((_, i) => sigmoid(base(i) + kAge[bandOf[i]!]!));
  const neverBase = demos.map((d, i) => NEVER_BY_PROFILE[profiles[i]!] + (d.age_band === 'lt30' ? 0.8 : 0));
  const notOngoing = pOngoing.map((p) => 1 - p);
  const expectedNotOngoing = notOngoing.reduce((a, b) => a + b, 0);
  const kNever = solveShift(neverBase, (NEVER_SHARE * n) / expectedNotOngoing, notOngoing);
  const relations = new Array<Relation>(n).fill('short_term');
  for (const band of AGE_BANDS) {
    for (const clinical of ['yes', 'no']) {
      const cell = indices(n, (i) => demos[i]!.age_band === band && demos[i]!.clinical_activity === clinical);
      const chosen = systematicSelect(
        cell.map((i) => pOngoing[i]!),
        rand,
      );
      cell.forEach((i, j) => {
        if (chosen[j]) relations[i] = 'ongoing';
      });
    }
  }
  const rest = indices(n, (i) => relations[i] !== 'ongoing');
  const never = systematicSelect(
    rest.map((i) => sigmoid(neverBase[i]! + kNever)),
    rand,
  );
  rest.forEach((i, j) => {
    if (never[j]) relations[i] = 'never';
  });
  return relations;
}

/** Opinion targets: the share agreeing (agree or strongly agree), overall or among ongoing relations. */
const OPINION_TARGETS: Record<string, { all?: number; ongoing?: number; shift?: number }> = {
  best_placed: { all: 0.8 },
  freedom: { all: 0.3, ongoing: 0.23 },
  time: { all: 0.45, ongoing: 0.34 },
  interface: { shift: 0.5 },
  lobbies: { shift: -0.9 },
  no_reason: { shift: -0.6 },
};
const OPINION_BY_RELATION: Record<string, Partial<Record<Relation, number>>> = {
  no_reason: { never: 1.0, ongoing: -0.8 },
  interface: { ongoing: 0.5 },
};

function drawOpinions(profiles: Profile[], relations: Relation[], rand: Random): Record<string, string>[] {
  const n = profiles.length;
  const out = profiles.map(() => ({}) as Record<string, string>);
  for (const [item, positions] of Object.entries(OPINION_POSITIONS)) {
    const mu = profiles.map((p, i) => positions[p] + (OPINION_BY_RELATION[item]?.[relations[i]!] ?? 0));
    const target = OPINION_TARGETS[item]!;
    const shift = new Array<number>(n).fill(target.shift ?? 0);
    if (target.all !== undefined && target.ongoing === undefined) {
      shift.fill(solveShift(mu, target.all));
    } else if (target.all !== undefined && target.ongoing !== undefined) {
      const ongoing = indices(n, (i) => relations[i] === 'ongoing');
      const rest = indices(n, (i) => relations[i] !== 'ongoing');
      const restTarget = (target.all * n - target.ongoing * ongoing.length) / rest.length;
      const kOngoing = solveShift(
        ongoing.map((i) => mu[i]!),
        target.ongoing,
      );
      const kRest = solveShift(
        rest.map((i) => mu[i]!),
        restTarget,
      );
      for (const i of ongoing) shift[i] = kOngoing;
      for (const i of rest) shift[i] = kRest;
    }
    drawLikert(profiles, mu, shift, relations, LEVELS_OPINION, rand).forEach((level, i) => {
      if (level !== undefined) out[i]![item] = level;
    });
  }
  return out;
}

function drawFunding(profiles: Profile[], relations: Relation[], rand: Random): boolean[] {
  const n = profiles.length;
  const contacts = indices(n, (i) => relations[i] !== 'never');
  const base = contacts.map((i) => FUNDING_BY_PROFILE[profiles[i]!] + (relations[i] === 'ongoing' ? 1.5 : 0));
  const k = solveShift(base, 0.45);
  const funded = new Array<boolean>(n).fill(false);
  const chosen = systematicSelect(
    base.map((b) => sigmoid(b + k)),
    rand,
  );
  contacts.forEach((i, j) => {
    funded[i] = chosen[j]!;
  });
  return funded;
}

function drawAmounts(funded: boolean[], rand: Random): (string | undefined)[] {
  const codes = Object.keys(AMOUNT_SHARES);
  const weights = Object.values(AMOUNT_SHARES);
  const members = indices(funded.length, (i) => funded[i]!);
  const u = stratifiedUniforms(members.length, rand);
  const amounts = new Array<string | undefined>(funded.length).fill(undefined);
  members.forEach((i, j) => {
    amounts[i] = codes[drawIndex(weights, u[j]!)];
  });
  return amounts;
}

/** Benefit targets among those in contact: the share answering useful or determining. */
function benefitTargets(n: number, contacts: number): Record<string, { target?: number; shift?: number }> {
  return {
    motivation: { target: 2 / 3 },
    daily_life: { target: Math.min(0.95, (0.5 * n) / contacts) },
    value: { target: 0.8 },
    access: { shift: -0.3 },
    funding: { shift: -0.5 },
  };
}

function drawBenefits(
  profiles: Profile[],
  relations: Relation[],
  funded: boolean[],
  rand: Random,
): (Record<string, string> | undefined)[] {
  const n = profiles.length;
  const contacts = indices(n, (i) => relations[i] !== 'never');
  const out = profiles.map((_, i) => (relations[i] === 'never' ? undefined : ({} as Record<string, string>)));
  const targets = benefitTargets(n, contacts.length);
  for (const [item, positions] of Object.entries(BENEFIT_POSITIONS)) {
    const mu = profiles.map(
      (p, i) =>
        positions[p] +
        (relations[i] === 'ongoing' ? 0.6 : 0) +
        (item === 'funding' ? (funded[i] ? 2 : -1) : 0),
    );
    const t = targets[item]!;
    const k =
      t.target !== undefined
        ? solveShift(
            contacts.map((i) => mu[i]!),
            t.target,
          )
        : (t.shift ?? 0);
    const shift = new Array<number>(n).fill(k);
    drawLikert(profiles, mu, shift, relations, LEVELS_BENEFIT, rand, true).forEach((level, i) => {
      if (level !== undefined) out[i]![item] = level;
    });
  }
  return out;
}

/** Draws an ordered item for everyone (or those in contact), the upper half by systematic selection per relation group. */
function drawLikert<L extends string>(
  profiles: Profile[],
  mu: number[],
  shift: number[],
  relations: Relation[],
  levels: readonly L[],
  rand: Random,
  contactsOnly = false,
): (L | undefined)[] {
  const out = new Array<L | undefined>(mu.length).fill(undefined);
  for (const group of ['never', 'short_term', 'ongoing'] as const) {
    if (contactsOnly && group === 'never') continue;
    const members = indices(mu.length, (i) => relations[i] === group);
    const probs = members.map((i) => likertProbabilities(mu[i]! + shift[i]!, LIKERT_SPREAD[profiles[i]!]));
    const upper = systematicSelect(
      probs.map((p) => p[2] + p[3]),
      rand,
    );
    members.forEach((i, j) => {
      const [p0, p1, p2, p3] = probs[j]!;
      const u = rand();
      out[i] = upper[j] ? levels[u < p3 / (p2 + p3) ? 3 : 2] : levels[u < p0 / (p0 + p1) ? 0 : 1];
    });
  }
  return out;
}

function pickSeveral(probabilities: Record<string, number>, rand: Random, fallback?: string): string[] {
  const chosen = Object.entries(probabilities)
    .filter(([, p]) => rand() < p)
    .map(([code]) => code);
  if (chosen.length === 0 && fallback !== undefined) chosen.push(fallback);
  return chosen;
}

function indices(n: number, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i);
  return out;
}

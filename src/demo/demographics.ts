import { drawIndex, quotaCounts, type Random, shuffle } from './random.js';

/** Section A of a demo respondent, with the choice codes of survey.json. */
export interface Demographics {
  gender: 'woman' | 'man' | 'undisclosed';
  age_band: AgeBand;
  status: string;
  permanent: 'yes' | 'no';
  responsibility: 'member' | 'team_leader' | 'unit_director';
  research_kind: 'fundamental' | 'translational' | 'clinical' | 'public_health';
  clinical_activity: 'yes' | 'no';
  field: string;
}

export const AGE_BANDS = ['lt30', '30_34', '35_39', '40_44', '45_49', '50_54', '55_59', '60plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
/** Age composition of the respondents (quota: each panel has exactly these shares, rounded). */
const AGE_SHARES = [0.1, 0.13, 0.14, 0.15, 0.14, 0.13, 0.12, 0.09];

const STATUSES = [
  'inserm_researcher',
  'university_academic',
  'hospital_academic',
  'engineer_technician',
  'postdoc',
  'doctoral',
  'other',
] as const;
const STATUS_BY_AGE: Record<string, number[]> = {
  lt30: [0, 0, 0, 0.2, 0.15, 0.6, 0.05],
  '30_34': [0.2, 0.1, 0.05, 0.2, 0.4, 0.05, 0],
  '35_39': [0.35, 0.2, 0.12, 0.2, 0.13, 0, 0],
  older: [0.4, 0.22, 0.18, 0.18, 0, 0, 0.02],
};
const FIELDS = [
  'neurosciences',
  'cancer',
  'genetics_development',
  'immunology_infectiology',
  'public_health',
  'cell_biology',
  'circulation_metabolism',
  'technologies',
  'other',
] as const;
const FIELD_WEIGHTS = [0.18, 0.17, 0.12, 0.14, 0.04, 0.12, 0.13, 0.06, 0.04];

/**
 * Draws the demographics of n respondents. Ages follow a quota; status follows age; a permanent
 * post, responsibility and clinical practice follow status, and are less frequent among women
 * (F21: women's lower engagement is explained by these, not by gender itself).
 */
export function drawDemographics(n: number, rand: Random): Demographics[] {
  const ages = shuffle(
    quotaCounts(n, AGE_SHARES).flatMap((count, i) => Array<AgeBand>(count).fill(AGE_BANDS[i]!)),
    rand,
  );
  return ages.map((age_band) => {
    const ageIndex = AGE_BANDS.indexOf(age_band);
    const gender = (['woman', 'man', 'undisclosed'] as const)[drawIndex([0.47, 0.51, 0.02], rand())]!;
    const woman = gender === 'woman';
    const statusWeights = STATUS_BY_AGE[ageIndex <= 2 ? age_band : 'older']!;
    const status = STATUSES[drawIndex(statusWeights, rand())]!;
    const pPermanent =
      {
        inserm_researcher: 0.95,
        university_academic: 0.95,
        hospital_academic: 0.85,
        engineer_technician: 0.8,
      }[status as string] ?? (status === 'other' ? 0.4 : status === 'postdoc' ? 0.03 : 0);
    const permanent = rand() < pPermanent * (woman ? 0.92 : 1) ? 'yes' : 'no';
    const senior = ['inserm_researcher', 'university_academic', 'hospital_academic'].includes(status);
    const pLeader = senior ? [0, 0.05, 0.1, 0.3, 0.4, 0.45, 0.45, 0.45][ageIndex]! * (woman ? 0.7 : 1) : 0;
    const pDirector = senior ? [0, 0, 0, 0.03, 0.07, 0.15, 0.2, 0.22][ageIndex]! * (woman ? 0.7 : 1) : 0;
    const r = rand();
    const responsibility =
      r < pDirector ? 'unit_director' : r < pDirector + pLeader ? 'team_leader' : 'member';
    const pClinical =
      status === 'hospital_academic'
        ? woman
          ? 0.75
          : 0.87
        : status === 'doctoral'
          ? 0.03
          : woman
            ? 0.04
            : 0.06;
    const clinical_activity = rand() < pClinical ? 'yes' : 'no';
    const kinds = ['fundamental', 'translational', 'clinical', 'public_health'] as const;
    const research_kind =
      kinds[drawIndex(clinical_activity === 'yes' ? [0, 0.3, 0.6, 0.1] : [0.55, 0.25, 0.07, 0.13], rand())]!;
    const field =
      research_kind === 'public_health' && rand() < 0.7
        ? 'public_health'
        : FIELDS[drawIndex(FIELD_WEIGHTS, rand())]!;
    return {
      gender,
      age_band,
      status,
      permanent,
      responsibility,
      research_kind,
      clinical_activity,
      field,
    };
  });
}

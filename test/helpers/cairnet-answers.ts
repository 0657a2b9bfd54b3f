import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Cairnet questionnaire as committed. */
export function cairnetSurvey(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../instruments/cairnet/survey.json'), 'utf8'));
}

const about = {
  gender: 'woman',
  age_band: '40_44',
  status: 'inserm_researcher',
  permanent: 'yes',
  responsibility: 'team_leader',
  research_kind: 'translational',
  clinical_activity: 'no',
  field: 'neurosciences',
};

const opinions = {
  opinion: {
    best_placed: 'agree',
    freedom: 'disagree',
    time: 'disagree',
    interface: 'agree',
    lobbies: 'strongly_disagree',
    no_reason: 'strongly_disagree',
  },
};

const afterwards = { want_more_contact: 'yes', want_inserm_help: 'no', press_contact_optin: 'no' };

/** A complete response along the "never met an association" path. */
export function neverMetAnswers(): Record<string, unknown> {
  return { ...about, relation: 'never', ...opinions, ...afterwards };
}

/** A complete response along the "ongoing relation, funded, three associations" path. */
export function ongoingFundedAnswers(): Record<string, unknown> {
  return {
    ...about,
    clinical_activity: 'yes',
    relation: 'ongoing',
    associations: [{ name: 'AFM-Téléthon' }, { name: 'vaincre la muco' }, { name: 'Ligue contre le cancer' }],
    ongoing_since: '5_10',
    relation_origin: 'association_came',
    funding: 'yes',
    funding_amount: '100_500k',
    funding_use: ['seed', 'doctoral'],
    activities: ['patient_information', 'meetings'],
    benefit: {
      motivation: 'determining',
      daily_life: 'useful',
      value: 'useful',
      access: 'marginal',
      funding: 'useful',
    },
    ...opinions,
    ...afterwards,
    press_contact_optin: 'yes',
  };
}

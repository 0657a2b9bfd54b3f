import type { Kysely, Selectable } from 'kysely';
import type { CairnetDatabase, CampaignPersonTable, CampaignStratumTable } from '../schema.js';

/** The columns of a person the population export reads (no pseudonym: never linked to answers). */
const PERSON_COLUMNS = [
  'id',
  'email',
  'name',
  'language',
  'invited_at',
  'opened_at',
  'started_at',
  'completed',
  'completed_at',
  'opted_out_at',
  'undeliverable_at',
  'undeliverable_reason',
] as const;

/** A person of a survey's population as the population export reads them. */
export type ExportedPerson = Pick<Selectable<CampaignPersonTable>, (typeof PERSON_COLUMNS)[number]>;

/** One stratum value of a person (field and value), as the population export reads it. */
export type ExportedStratum = Selectable<CampaignStratumTable>;

/**
 * A survey's people not erased, with their identity and campaign marks, ordered by address (then
 * id). No pseudonym is read: the export never links a person to their answers.
 */
export async function peopleForExport(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<ExportedPerson[]> {
  return db
    .selectFrom('campaign_people')
    .select(PERSON_COLUMNS)
    .where('survey', '=', survey)
    .where('erased_at', 'is', null)
    .orderBy('email')
    .orderBy('id')
    .execute();
}

/** The strata of a survey's people not erased (in no particular order). */
export async function strataForExport(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<ExportedStratum[]> {
  return db
    .selectFrom('campaign_strata as s')
    .innerJoin('campaign_people as p', 'p.id', 's.person_id')
    .select(['s.person_id', 's.field', 's.value'])
    .where('p.survey', '=', survey)
    .where('p.erased_at', 'is', null)
    .execute();
}

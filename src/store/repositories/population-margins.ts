import type { Store } from '../open-store.js';

/** Everyone invited, counted by the values of some stratum fields. */
export interface PopulationMargins {
  /** Persons invited (whether or not they have a value of each field). */
  invited: number;
  /** By field, then by value: persons invited with that value. */
  byField: Record<string, Record<string, number>>;
}

/**
 * The sampling frame's margins: the persons invited (`invited_at` set) of a survey's population,
 * counted by the values of the given stratum fields. An erased person keeps their "invited" flag
 * but not their strata (src/campaign/erase-person.ts), so they are counted in `invited` and in no
 * field's values; a field nobody has gives an empty record.
 */
export async function populationMargins(
  store: Store,
  survey: string,
  fields: readonly string[],
): Promise<PopulationMargins> {
  const invited = await store.db
    .selectFrom('campaign_people as p')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('p.survey', '=', survey)
    .where('p.invited_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const byField: PopulationMargins['byField'] = Object.fromEntries(fields.map((f) => [f, {}]));
  if (fields.length > 0) {
    const rows = await store.db
      .selectFrom('campaign_people as p')
      .innerJoin('campaign_strata as s', 's.person_id', 'p.id')
      .select((eb) => ['s.field', 's.value', eb.fn.countAll().as('n')])
      .where('p.survey', '=', survey)
      .where('p.invited_at', 'is not', null)
      .where('s.field', 'in', [...fields])
      .groupBy(['s.field', 's.value'])
      .execute();
    for (const r of rows) byField[r.field]![r.value] = Number(r.n);
  }
  return { invited: Number(invited.n), byField };
}

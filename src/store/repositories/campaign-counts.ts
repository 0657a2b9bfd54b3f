import { type Kysely, sql } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** Counts of a survey's campaign, by the database (GROUP BY): numbers only, no person. */
const n = (v: unknown) => Number(v ?? 0);
const flag = (col: string) => sql<number>`sum(case when ${sql.ref(col)} is not null then 1 else 0 end)`;

export interface FunnelRow {
  population: number;
  invited: number;
  opened: number;
  started: number;
  completed: number;
}

/** The whole population's funnel, with opted out, undeliverable and erased. */
export async function funnelTotals(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<FunnelRow & { optedOut: number; undeliverable: number; erased: number }> {
  const t = await db
    .selectFrom('campaign_people as p')
    .select((eb) => [
      eb.fn.countAll().as('population'),
      flag('p.invited_at').as('invited'),
      flag('p.opened_at').as('opened'),
      flag('p.started_at').as('started'),
      sql<number>`sum(p.completed)`.as('completed'),
      flag('p.opted_out_at').as('optedOut'),
      flag('p.undeliverable_at').as('undeliverable'),
      flag('p.erased_at').as('erased'),
    ])
    .where('p.survey', '=', survey)
    .executeTakeFirst();
  return {
    population: n(t?.population),
    invited: n(t?.invited),
    opened: n(t?.opened),
    started: n(t?.started),
    completed: n(t?.completed),
    optedOut: n(t?.optedOut),
    undeliverable: n(t?.undeliverable),
    erased: n(t?.erased),
  };
}

/** A survey's messages by round and state. */
export async function messageStates(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<{ roundId: string; state: string; n: number }[]> {
  const rows = await db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaign_people as p', 'p.id', 'm.person_id')
    .select(['m.round_id', 'm.state', (eb) => eb.fn.countAll().as('n')])
    .where('p.survey', '=', survey)
    .groupBy(['m.round_id', 'm.state'])
    .execute();
  return rows.map((r) => ({ roundId: r.round_id, state: r.state, n: n(r.n) }));
}

/** The stratum fields a survey's population has, sorted. */
export async function stratumFields(db: Kysely<CairnetDatabase>, survey: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_strata as s')
    .innerJoin('campaign_people as p', 'p.id', 's.person_id')
    .select('s.field')
    .distinct()
    .where('p.survey', '=', survey)
    .orderBy('s.field')
    .execute();
  return rows.map((r) => r.field);
}

/** The funnel by value of one stratum field (null: people without a value). */
export async function stratumFunnel(
  db: Kysely<CairnetDatabase>,
  survey: string,
  field: string,
): Promise<({ value: string | null } & FunnelRow)[]> {
  const rows = await db
    .selectFrom('campaign_people as p')
    .leftJoin('campaign_strata as s', (j) => j.onRef('s.person_id', '=', 'p.id').on('s.field', '=', field))
    .select((eb) => [
      's.value',
      eb.fn.countAll().as('population'),
      flag('p.invited_at').as('invited'),
      flag('p.opened_at').as('opened'),
      flag('p.started_at').as('started'),
      sql<number>`sum(p.completed)`.as('completed'),
    ])
    .where('p.survey', '=', survey)
    .groupBy('s.value')
    .orderBy('s.value')
    .execute();
  return rows.map((r) => ({
    value: r.value,
    population: n(r.population),
    invited: n(r.invited),
    opened: n(r.opened),
    started: n(r.started),
    completed: n(r.completed),
  }));
}

/** How many of a survey's people got a mark on each day (UTC, `YYYY-MM-DD`). */
export async function marksByDay(
  db: Kysely<CairnetDatabase>,
  survey: string,
  col: 'invited_at' | 'opened_at' | 'started_at',
): Promise<{ day: string; n: number }[]> {
  const rows = await db
    .selectFrom('campaign_people')
    .select((eb) => [sql<string>`substr(${sql.ref(col)}, 1, 10)`.as('d'), eb.fn.countAll().as('n')])
    .where('survey', '=', survey)
    .where(col, 'is not', null)
    .groupBy(sql`substr(${sql.ref(col)}, 1, 10)`)
    .execute();
  return rows.map((r) => ({ day: r.d, n: n(r.n) }));
}

/** The survey's responses that came by a personal link, by day of completion. */
export async function invitedCompletionsByDay(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<{ day: string; n: number }[]> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => [sql<string>`substr(completed_at, 1, 10)`.as('d'), eb.fn.countAll().as('n')])
    .where('via', '=', 'invitation')
    .where('instrument_name', '=', survey)
    .groupBy(sql`substr(completed_at, 1, 10)`)
    .execute();
  return rows.map((r) => ({ day: r.d, n: n(r.n) }));
}

import { type Kysely, sql } from 'kysely';
import type { CairnetDatabase } from '../store/schema.js';
import { INVITATION_ROUND } from './campaign-round.js';
import { readSettings } from './campaign-settings.js';
import { eligibleRecipients } from './send-campaign.js';

export interface FunnelCounts {
  population: number;
  invited: number;
  opened: number;
  started: number;
  completed: number;
}

export interface CampaignStatus {
  generatedAt: string;
  instrument: string;
  anonymous: boolean;
  /** When the campaign closed (`cairnet campaign close`), or null while it runs. */
  closedAt: string | null;
  totals: FunnelCounts & {
    optedOut: number;
    undeliverable: number;
    erased: number;
    /** completed / invited (null before anyone is invited). */
    responseRate: number | null;
  };
  /** Messages by round and state (sending, sent, retry, failed, uncertain). */
  rounds: { round: string; kind: string; finished: boolean; states: Record<string, number> }[];
  /** For each stratum field, the funnel by value; "(none)" gathers people without a value. */
  byStratum: Record<string, ({ value: string } & FunnelCounts)[]>;
  /** Per day (UTC): how many were invited, opened their link, started, completed. */
  overTime: { date: string; invited: number; opened: number; started: number; completed: number }[];
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * A survey's campaign progress, counts only (no name, no address): what `cairnet campaign status`
 * prints and `GET /api/admin/campaign/status` returns. Counted by the database (GROUP BY).
 */
export async function campaignStatus(db: Kysely<CairnetDatabase>, survey: string): Promise<CampaignStatus> {
  const settings = await readSettings(db, survey);
  const flag = (col: string) => sql<number>`sum(case when ${sql.ref(col)} is not null then 1 else 0 end)`;
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
  const totals = {
    population: n(t?.population),
    invited: n(t?.invited),
    opened: n(t?.opened),
    started: n(t?.started),
    completed: n(t?.completed),
    optedOut: n(t?.optedOut),
    undeliverable: n(t?.undeliverable),
    erased: n(t?.erased),
    responseRate: null as number | null,
  };
  totals.responseRate = totals.invited > 0 ? totals.completed / totals.invited : null;

  const roundRows = await db
    .selectFrom('campaign_rounds')
    .selectAll()
    .where('survey', '=', survey)
    .orderBy('created_at')
    .execute();
  const stateRows = await db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaign_people as p', 'p.id', 'm.person_id')
    .select(['m.round_id', 'm.state', (eb) => eb.fn.countAll().as('n')])
    .where('p.survey', '=', survey)
    .groupBy(['m.round_id', 'm.state'])
    .execute();
  const rounds = roundRows.map((r) => ({
    round: r.id,
    kind: r.kind,
    finished: r.finished_at !== null,
    states: Object.fromEntries(stateRows.filter((s) => s.round_id === r.id).map((s) => [s.state, n(s.n)])),
  }));
  // The invitation round stays open for people imported later: it is finished while nobody is
  // left to invite and no message waits to be sent or retried.
  for (const r of rounds) {
    if (r.round !== INVITATION_ROUND || r.finished) continue;
    const waiting = (r.states.sending ?? 0) + (r.states.retry ?? 0);
    r.finished =
      waiting === 0 && (await eligibleRecipients(db, survey, 'invitation', r.round, false)).length === 0;
  }

  const fields = await db
    .selectFrom('campaign_strata as s')
    .innerJoin('campaign_people as p', 'p.id', 's.person_id')
    .select('s.field')
    .distinct()
    .where('p.survey', '=', survey)
    .orderBy('s.field')
    .execute();
  const byStratum: CampaignStatus['byStratum'] = {};
  for (const { field } of fields) {
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
    byStratum[field] = rows.map((r) => ({
      value: r.value ?? '(none)',
      population: n(r.population),
      invited: n(r.invited),
      opened: n(r.opened),
      started: n(r.started),
      completed: n(r.completed),
    }));
  }

  const days = new Map<string, { invited: number; opened: number; started: number; completed: number }>();
  const day = (d: string) => {
    let e = days.get(d);
    if (!e) {
      e = { invited: 0, opened: 0, started: 0, completed: 0 };
      days.set(d, e);
    }
    return e;
  };
  for (const [key, col] of [
    ['invited', 'invited_at'],
    ['opened', 'opened_at'],
    ['started', 'started_at'],
  ] as const) {
    const rows = await db
      .selectFrom('campaign_people')
      .select((eb) => [sql<string>`substr(${sql.ref(col)}, 1, 10)`.as('d'), eb.fn.countAll().as('n')])
      .where('survey', '=', survey)
      .where(col, 'is not', null)
      .groupBy(sql`substr(${sql.ref(col)}, 1, 10)`)
      .execute();
    for (const r of rows) day(r.d)[key] = n(r.n);
  }
  // Completions are counted on the responses that came by a personal link, so they stay right in
  // anonymous mode (no pseudonym on the response) and after an erasure.
  const done = await db
    .selectFrom('responses')
    .select((eb) => [sql<string>`substr(completed_at, 1, 10)`.as('d'), eb.fn.countAll().as('n')])
    .where('via', '=', 'invitation')
    .where('instrument_name', '=', survey)
    .groupBy(sql`substr(completed_at, 1, 10)`)
    .execute();
  for (const r of done) day(r.d).completed = n(r.n);
  const overTime = [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, c]) => ({ date, ...c }));

  return {
    generatedAt: new Date().toISOString(),
    instrument: settings.instrument,
    anonymous: settings.anonymous,
    closedAt: settings.closedAt,
    totals,
    rounds,
    byStratum,
    overTime,
  };
}

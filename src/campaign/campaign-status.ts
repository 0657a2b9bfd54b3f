import type { Kysely } from 'kysely';
import {
  funnelTotals,
  invitedCompletionsByDay,
  marksByDay,
  messageStates,
  stratumFields,
  stratumFunnel,
} from '../store/repositories/campaign-counts.js';
import { listRounds } from '../store/repositories/campaign-rounds.js';
import { countOwedThanks, THANKS_ROUND } from '../store/repositories/campaign-thanks.js';
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
  /**
   * The thank-yous after completion: whether the survey sends them (`thanks` setting), how many
   * are owed and not sent yet, and the messages by state.
   */
  thanks: { enabled: boolean; owed: number; states: Record<string, number> };
  /** For each stratum field, the funnel by value; "(none)" gathers people without a value. */
  byStratum: Record<string, ({ value: string } & FunnelCounts)[]>;
  /** Per day (UTC): how many were invited, opened their link, started, completed. */
  overTime: { date: string; invited: number; opened: number; started: number; completed: number }[];
}

/**
 * A survey's campaign progress, counts only (no name, no address): what `cairnet campaign status`
 * prints and `GET /api/admin/campaign/status` returns. Counted by the database (GROUP BY).
 */
export async function campaignStatus(db: Kysely<CairnetDatabase>, survey: string): Promise<CampaignStatus> {
  const settings = await readSettings(db, survey);
  const funnel = await funnelTotals(db, survey);
  const totals = { ...funnel, responseRate: funnel.invited > 0 ? funnel.completed / funnel.invited : null };

  const stateRows = await messageStates(db, survey);
  const rounds = (await listRounds(db, survey)).map((r) => ({
    round: r.id,
    kind: r.kind,
    finished: r.finishedAt !== null,
    states: Object.fromEntries(stateRows.filter((s) => s.roundId === r.id).map((s) => [s.state, s.n])),
  }));
  // The invitation round stays open for people imported later: it is finished while nobody is
  // left to invite and no message waits to be sent or retried.
  for (const r of rounds) {
    if (r.round !== INVITATION_ROUND || r.finished) continue;
    const waiting = (r.states.sending ?? 0) + (r.states.retry ?? 0);
    r.finished =
      waiting === 0 && (await eligibleRecipients(db, survey, 'invitation', r.round, false)).length === 0;
  }

  const thanks = {
    enabled: settings.thanks,
    owed: await countOwedThanks(db, survey),
    states: Object.fromEntries(
      stateRows.filter((s) => s.roundId === THANKS_ROUND).map((s) => [s.state, s.n]),
    ),
  };

  const byStratum: CampaignStatus['byStratum'] = {};
  for (const field of await stratumFields(db, survey)) {
    byStratum[field] = (await stratumFunnel(db, survey, field)).map((r) => ({
      ...r,
      value: r.value ?? '(none)',
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
    for (const r of await marksByDay(db, survey, col)) day(r.day)[key] = r.n;
  }
  // Completions are counted on the responses that came by a personal link, so they stay right in
  // anonymous mode (no pseudonym on the response) and after an erasure.
  for (const r of await invitedCompletionsByDay(db, survey)) day(r.day).completed = r.n;
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
    thanks,
    byStratum,
    overTime,
  };
}

import type { Kysely } from 'kysely';
import type { Store } from '../store/open-store.js';
import { coarsenCompletedPeople } from '../store/repositories/campaign-people.js';
import { anonymousSurveys } from '../store/repositories/campaign-settings.js';

/** The tables whose old row versions could hold a cut link (the person's row, their drafts). */
const UNLINKED_TABLES = ['campaign_people', 'drafts'] as const;

/**
 * Anonymous mode (of any survey's campaign), after completions: rewrites every completed
 * person's row of the surveys in anonymous mode in one statement
 * (so they all carry the same write: on PostgreSQL the same transaction id, whichever response
 * was theirs), keeps the times of those without a pseudonym at the day, then has the database drop the old row versions
 * and rewrite the tables in key order (SQLite: WAL checkpointed and truncated; PostgreSQL:
 * `CLUSTER`). Afterwards nothing in the store orders or dates the completed people finer than
 * the day. Does nothing when no survey's campaign is in anonymous mode.
 */
export async function scrubUnlinkedCompletions(store: Store): Promise<boolean> {
  const surveys = await anonymousSurveys(store.db);
  if (surveys.length === 0) return false;
  // People whose response still carries their pseudonym (completed before anonymous mode, or
  // who agreed to press contacts) are linked anyway: their row is rewritten but kept as it was.
  await coarsenCompletedPeople(store.db, surveys);
  await store.adapter.purgeRowVersions(store.db as unknown as Kysely<unknown>, UNLINKED_TABLES);
  return true;
}

/**
 * Runs {@link scrubUnlinkedCompletions} some time after an anonymous completion (at most
 * `delayMs` later; several completions share one run) and when the server closes. Until then a
 * copy of the store's files could still link the latest completions by their row versions: the
 * README's threat model says so.
 */
export class UnlinkScrubber {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private pending = false;

  constructor(
    private readonly store: Store,
    private readonly delayMs: number,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  /** An anonymous completion was committed: schedule a scrub. */
  noteCompletion(): void {
    this.pending = true;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
    this.timer.unref();
  }

  /** Scrubs now if a completion is waiting (also called when the server closes). */
  run(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return this.running;
    this.pending = false;
    this.running = this.running.then(() => scrubUnlinkedCompletions(this.store)).catch(this.onError);
    return this.running;
  }
}

import { isCairnetError } from '../errors.js';
import type { ParsedPlan } from '../plan/parse-plan.js';
import { contentHash } from '../store/canonical-json.js';
import type { Store } from '../store/open-store.js';
import {
  decisionsPosition,
  latestSnapshotMeta,
  responsesFingerprint,
  type SnapshotMeta,
} from '../store/repositories/snapshots.js';
import { codeVersion } from './code-version.js';
import { computeSnapshot } from './compute-snapshot.js';
import { loadSnapshot } from './load-snapshot.js';
import type { Snapshot } from './snapshot.js';
import { surveyPlan } from './survey-plan.js';

export interface LatestSnapshotOptions {
  /** How long the stored responses are trusted before they are checked again (default a minute). */
  ttlMs?: number;
  now?: () => number;
  /** The plan (default: the survey's own plan, looked up at each check: stored, bundled or default). */
  plan?: ParsedPlan;
  /** The survey (default: the plan's, else cairnet). */
  instrument?: string;
  /** Who the snapshots computed here are recorded as made by. */
  by?: string;
  /** How many loaded snapshots to keep in memory (they never change; default 8). */
  keep?: number;
}

/**
 * The dashboard's results: the latest stored snapshot of the plan's instrument, read from the
 * store on every use (so that every app server over one database shows the same), loaded once
 * per id (a snapshot never changes). At most every `ttlMs` the stored responses, the decisions
 * log, the plan and the code are compared with the latest snapshot's inputs; when they differ a
 * new snapshot is computed and stored in the background, pages being served from the latest
 * one meanwhile. With no snapshot at all, the first one is computed while the caller waits.
 */
export class LatestSnapshot {
  private readonly loaded = new Map<string, Promise<Snapshot>>();
  private computing: Promise<Snapshot> | undefined;
  private checking: Promise<void> | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** A change made here (see {@link recheck}): the next caller waits for a current snapshot. */
  private waitNext = false;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: LatestSnapshotOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The instrument whose results these are. */
  get instrument(): string {
    return this.options.plan?.plan.instrument ?? this.options.instrument ?? 'cairnet';
  }

  /** The plan a new snapshot evaluates: the one given, else the survey's plan as stored now. */
  private async plan(): Promise<ParsedPlan> {
    return this.options.plan ?? (await surveyPlan(this.store.db, { instrument: this.instrument })).parsed;
  }

  /** Loads a stored snapshot by id, kept in memory (the few most recent). */
  load(id: string): Promise<Snapshot> {
    let p = this.loaded.get(id);
    if (p) {
      this.loaded.delete(id);
      this.loaded.set(id, p);
      return p;
    }
    p = loadSnapshot(this.store, id);
    this.loaded.set(id, p);
    p.catch(() => this.loaded.delete(id));
    while (this.loaded.size > (this.options.keep ?? 8)) this.loaded.delete(this.loaded.keys().next().value!);
    return p;
  }

  private compute(): Promise<Snapshot> {
    if (!this.computing) {
      this.computing = this.plan()
        .then((plan) => computeSnapshot(this.store, { plan, by: this.options.by ?? 'server' }))
        .finally(() => {
          this.computing = undefined;
        });
    }
    return this.computing;
  }

  /** Whether the latest snapshot was made from what the store and the code hold now. */
  private async current(meta: SnapshotMeta): Promise<boolean> {
    const [responses, decisions, plan] = await Promise.all([
      responsesFingerprint(this.store.db, this.instrument),
      decisionsPosition(this.store.db),
      this.plan(),
    ]);
    return (
      responses.count === meta.responses_count &&
      responses.last === meta.responses_last &&
      decisions.count === meta.decisions_count &&
      decisions.last === meta.decisions_last &&
      contentHash(plan.plan) === meta.plan_hash &&
      codeVersion() === meta.code_version
    );
  }

  private revalidate(meta: SnapshotMeta): void {
    if (this.checking || this.computing) return;
    this.checkedAt = this.now();
    this.checking = (async () => {
      try {
        if (await this.current(meta)) return;
        // another server may have stored one meanwhile
        const again = await latestSnapshotMeta(this.store.db, this.instrument);
        if (again && again.id !== meta.id && (await this.current(again))) return;
        await this.compute();
      } catch (e) {
        // the latest snapshot stays; the next check after the delay tries again
        if (!isCairnetError(e)) throw e;
      } finally {
        this.checking = undefined;
      }
    })();
    this.checking.catch(() => undefined);
  }

  /** The latest stored snapshot (computing the first one if there is none). */
  async latest(): Promise<Snapshot> {
    const meta = await latestSnapshotMeta(this.store.db, this.instrument);
    if (!meta) return this.compute();
    if (this.waitNext) {
      this.waitNext = false;
      this.checkedAt = this.now();
      await this.checking?.catch(() => undefined);
      return (await this.current(meta)) ? this.load(meta.id) : this.compute();
    }
    if (this.now() - this.checkedAt >= this.ttlMs) this.revalidate(meta);
    return this.load(meta.id);
  }

  /**
   * Something the results depend on changed here (an association decision or its undo): the next
   * call to {@link latest} checks the store at once and, if the latest snapshot is no longer
   * current, waits for a new one (so that F6 follows a decision at the next request).
   */
  recheck(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
    this.waitNext = true;
  }

  /** Waits for a background computation under way, if any (for tests and benchmarks). */
  async settled(): Promise<void> {
    await this.checking?.catch(() => undefined);
    await this.computing?.catch(() => undefined);
  }
}

import { sql } from 'kysely';
import type { Lang } from '../report/number-format.js';
import { indicatorCharts } from '../report/report-html.js';
import { evaluateStoreResults, type PublishedResults } from '../report/store-results.js';
import type { Store } from '../store/open-store.js';

interface Entry {
  /** When the entry was computed or last found current. */
  at: number;
  /** The responses it was computed from: their number and the latest completion. */
  fingerprint: string | null;
  value: Promise<PublishedResults>;
  charts: Map<Lang, Promise<Map<string, string>>>;
}

/**
 * The plan's results computed from the stored responses, shared by every page and API:
 * computed once, then checked at most every `ttlMs` (a minute by default) against the stored
 * responses (their number and latest completion, one indexed query) and computed again only
 * when they changed. While a new evaluation runs, requests are answered from the previous
 * one (stale while revalidating), so that a dashboard over 100,000 responses never waits for
 * an evaluation once the first is done. Charts are drawn from the results, never from rows.
 */
export class ResultsCache {
  private entry: Entry | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    /** The survey whose results these are. */
    readonly instrument = 'cairnet',
  ) {}

  private async fingerprint(): Promise<string> {
    const row = await sql<{ n: number | string; last: string | null }>`select count(*) as n,
      max(completed_at) as last from responses where instrument_name = ${this.instrument}`.execute(
      this.store.db,
    );
    const r = row.rows[0];
    return `${r?.n ?? 0}/${r?.last ?? ''}`;
  }

  /**
   * A new evaluation. The fingerprint is read first: responses stored while it runs make the
   * next check see a change (results may be recomputed once too often, never kept stale).
   */
  private evaluate(at: number, known?: string): Entry {
    const entry: Entry = {
      at,
      fingerprint: known ?? null,
      value: Promise.resolve() as never,
      charts: new Map(),
    };
    entry.value = (async () => {
      if (known === undefined) entry.fingerprint = await this.fingerprint();
      return evaluateStoreResults(this.store, { factorMap: true, instrument: this.instrument });
    })();
    // A failed evaluation (an empty store) is not kept: the next request tries again.
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry;
  }

  /** Checks the stored responses and, when they changed, computes the results again in the background. */
  private revalidate(stale: Entry): void {
    if (this.refreshing) return;
    this.refreshing = (async () => {
      try {
        const fingerprint = await this.fingerprint();
        if (fingerprint === stale.fingerprint) {
          stale.at = this.now();
          return;
        }
        const next = this.evaluate(this.now(), fingerprint);
        await next.value;
        if (this.entry === stale) this.entry = next;
      } catch {
        // the stale results stay; the next request after the delay tries again
        stale.at = this.now();
      } finally {
        this.refreshing = undefined;
      }
    })();
  }

  private current(): Entry {
    const t = this.now();
    if (!this.entry) this.entry = this.evaluate(t);
    else if (t - this.entry.at > this.ttlMs) this.revalidate(this.entry);
    return this.entry;
  }

  /** The results (with the typology's factor map when the responses were read). */
  results(): Promise<PublishedResults> {
    return this.current().value;
  }

  /** Each indicator's chart as SVG, in a language. */
  charts(lang: Lang): Promise<Map<string, string>> {
    const entry = this.current();
    let charts = entry.charts.get(lang);
    if (!charts) {
      charts = entry.value.then((r) => indicatorCharts(r, lang));
      entry.charts.set(lang, charts);
    }
    return charts;
  }

  /** Waits for a revalidation under way, if any (for tests and benchmarks). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  /** Forgets the results (after new responses, or to test). */
  clear(): void {
    this.entry = undefined;
  }
}

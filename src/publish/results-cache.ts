import type { Kysely } from 'kysely';
import type { Lang } from '../report/number-format.js';
import { indicatorCharts } from '../report/report-html.js';
import { evaluateStoreResults, type PublishedResults } from '../report/store-results.js';
import type { CairnetDatabase } from '../store/schema.js';

interface Entry {
  at: number;
  value: Promise<PublishedResults>;
  charts: Map<Lang, Promise<Map<string, string>>>;
}

/**
 * The plan's results computed from the stored responses on request, kept for a short while
 * (`ttlMs`, a minute by default) so that pages and APIs share one evaluation; concurrent
 * requests wait for the same one. Charts are drawn from the results, never from rows.
 */
export class ResultsCache {
  private entry: Entry | undefined;

  constructor(
    private readonly db: Kysely<CairnetDatabase>,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private current(): Entry {
    const t = this.now();
    if (!this.entry || t - this.entry.at > this.ttlMs) {
      const value = evaluateStoreResults(this.db, { factorMap: true });
      const entry: Entry = { at: t, value, charts: new Map() };
      // A failed evaluation (an empty store) is not kept: the next request tries again.
      value.catch(() => {
        if (this.entry === entry) this.entry = undefined;
      });
      this.entry = entry;
    }
    return this.entry;
  }

  /** The results (with the typology's factor map). */
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

  /** Forgets the results (after new responses, or to test). */
  clear(): void {
    this.entry = undefined;
  }
}

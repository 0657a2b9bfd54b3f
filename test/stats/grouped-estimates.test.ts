import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  type CategoricalCell,
  groupedMeans,
  groupedProportions,
  type NumericCell,
} from '../../src/stats/grouped-estimates.js';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyProportions } from '../../src/stats/svy-proportions.js';
import { close, closeAll, expected, numbers, table } from './r-fixtures.js';

const gen = table('gen');

/** The rows in an in-memory SQLite table, so that the cells come from a real GROUP BY. */
function database(cols: Record<string, string[]>, names: string[]): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE r (${names.map((n) => `"${n}"`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO r VALUES (${names.map(() => '?').join(', ')})`);
  const n = cols[names[0]!]!.length;
  for (let i = 0; i < n; i++) insert.run(...names.map((k) => (cols[k]![i] === '' ? null : cols[k]![i])));
  return db;
}

function numericCells(
  db: Database.Database,
  stratum: string,
  group: string,
  y: string,
  w: string,
): NumericCell[] {
  const inDomain = group === '1' ? '1' : `"${group}"`;
  return db
    .prepare(
      `SELECT CAST("${stratum}" AS TEXT) AS stratum,
              CASE WHEN "${y}" IS NULL THEN NULL ELSE CAST(${inDomain} AS TEXT) END AS "group",
              COUNT(*) AS n, SUM(CAST("${w}" AS REAL) <> 0) AS nWeighted,
              TOTAL(CAST("${w}" AS REAL)) AS sumW, TOTAL("${w}" * "${y}") AS sumWY,
              TOTAL("${w}" * "${w}") AS sumW2, TOTAL("${w}" * "${w}" * "${y}") AS sumW2Y,
              TOTAL("${w}" * "${w}" * "${y}" * "${y}") AS sumW2Y2
       FROM r GROUP BY 1, 2`,
    )
    .all() as NumericCell[];
}

function categoricalCells(
  db: Database.Database,
  stratum: string,
  group: string,
  x: string,
  w: string,
): CategoricalCell[] {
  const inDomain = group === '1' ? '1' : `"${group}"`;
  return db
    .prepare(
      `SELECT CAST("${stratum}" AS TEXT) AS stratum, CAST(${inDomain} AS TEXT) AS "group", "${x}" AS level,
              COUNT(*) AS n, SUM(CAST("${w}" AS REAL) <> 0) AS nWeighted,
              TOTAL(CAST("${w}" AS REAL)) AS sumW, TOTAL("${w}" * "${w}") AS sumW2
       FROM r GROUP BY 1, 2, 3`,
    )
    .all() as CategoricalCell[];
}

// biome-ignore lint/suspicious/noExplicitAny: R output
function same(e: { value: number; se: number; ci: [number, number] }, r: any): void {
  close(e.value, r.value);
  close(e.se, r.se);
  closeAll(e.ci, r.ci);
}

describe('estimates from grouped sufficient statistics (SQL GROUP BY) equal survey on rows', () => {
  const db = database(gen, ['h', 'w', 'y', 'x', 'g']);
  it('gives the stratified mean with missing values and zero weights', () => {
    const [all] = groupedMeans(numericCells(db, 'h', '1', 'y', 'w'));
    same(all!, expected.gen.rowsMean[0]);
  });
  it('gives domain means as svyby, keeping rows outside the domain in the stratum sizes', () => {
    const by = groupedMeans(numericCells(db, 'h', 'g', 'y', 'w'));
    expect(by.map((b) => b.group)).toEqual(['u', 'v']);
    by.forEach((b, k) => {
      same(b, expected.gen.rowsByMean[k]);
    });
  });
  it('gives proportions overall and by domain, with an empty level', () => {
    const all = groupedProportions(categoricalCells(db, 'h', '1', 'x', 'w'), {}, { ciMethod: 'normal' });
    all.forEach((e, k) => {
      same(e, expected.gen.rowsProp[k]);
    });
    const by = groupedProportions(categoricalCells(db, 'h', 'g', 'x', 'w'), {}, { ciMethod: 'normal' });
    const byRows = expected.gen.rowsByProp;
    for (const [gi, group] of byRows.groups.entries()) {
      const mine = by.filter((e) => e.group === group);
      closeAll(
        mine.map((e) => e.value),
        byRows.values[gi],
      );
      closeAll(
        mine.map((e) => e.se),
        byRows.se[gi],
      );
    }
  });
  it('agrees with the row estimator on the logit interval and its df', () => {
    const d = surveyDesign({ strata: gen.h, weights: numbers(gen.w) });
    const rows = svyProportions(d, gen.x!, { naRm: true, domain: gen.g!.map((g) => g === 'u') }).estimates;
    const cells = groupedProportions(categoricalCells(db, 'h', 'g', 'x', 'w')).filter((e) => e.group === 'u');
    cells.forEach((e, k) => {
      close(e.value, rows[k]!.value);
      closeAll(e.ci, rows[k]!.ci);
      expect(e.df).toBe(rows[k]!.df);
    });
  });
  it('uses the fpc by stratum: apistrat mean and proportions', () => {
    const strat = table('apistrat');
    const sdb = database(strat, ['stype', 'pw', 'api00', 'awards']);
    const popSize = { E: 4421, H: 755, M: 1018 };
    same(
      groupedMeans(numericCells(sdb, 'stype', '1', 'api00', 'pw'), { popSize })[0]!,
      expected.strat.mean[0],
    );
    groupedProportions(
      categoricalCells(sdb, 'stype', '1', 'awards', 'pw'),
      { popSize },
      { ciMethod: 'normal' },
    ).forEach((e, k) => {
      same(e, expected.strat.prop[k]);
    });
  });
  it('fails on a lonely stratum unless told how to treat it', () => {
    const cells: NumericCell[] = [
      { stratum: 'a', group: '1', n: 2, sumW: 3, sumWY: 6, sumW2: 5, sumW2Y: 10, sumW2Y2: 26 },
      { stratum: 'b', group: '1', n: 1, sumW: 2, sumWY: 4, sumW2: 4, sumW2Y: 8, sumW2Y2: 16 },
    ];
    expect(() => groupedMeans(cells)).toThrow(/only one PSU/);
    expect(groupedMeans(cells, { lonelyPsu: 'certainty' })[0]!.se).toBeGreaterThan(0);
  });
});

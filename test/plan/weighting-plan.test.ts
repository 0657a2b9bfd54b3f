import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/dataset/index.js';
import { CairnetError } from '../../src/errors.js';
import { deriveCodebook } from '../../src/instrument/index.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { checkPlan } from '../../src/plan/check-plan.js';
import { evaluatePlan } from '../../src/plan/evaluate-plan.js';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';
import { parsePlan, readPlanFile } from '../../src/plan/parse-plan.js';
import { inlineMarginsFile, type Margins, responseRates } from '../../src/plan/weighting.js';
import { weightingMethods } from '../../src/report/weighting-section.js';
import { close, closeAll } from '../stats/r-fixtures.js';

// Made by test/fixtures/r/weighting/make-fixtures.R (survey's rake, postStratify, svyciprop, svymean).
const dir = 'test/fixtures/r/weighting';
// biome-ignore lint/suspicious/noExplicitAny: R output
const R: any = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
const csv = (f: string) => parse(readFileSync(`${dir}/${f}`), { columns: true }) as Record<string, string>[];
const people = csv('population.csv');
const rows = csv('responses.csv');

/** The persons invited by stratum field, as src/store/repositories/population-margins.ts counts them. */
const population: Margins = {};
for (const p of people) {
  for (const f of ['age', 'sex', 'site']) {
    population[f] ??= {};
    population[f][p[f]!] = (population[f][p[f]!] ?? 0) + 1;
  }
}

const radio = (name: string, choices: string[]) => ({ type: 'radiogroup', name, choices });
const instrument: InstrumentJson = {
  pages: [
    {
      name: 'p',
      elements: [
        radio('age', ['a18', 'a35', 'a55']),
        radio('sex', ['f', 'm']),
        radio('site', ['n', 's', 'e']),
        radio('y', ['no', 'yes']),
        radio('q', ['q1', 'q2', 'q3']),
        { type: 'text', inputType: 'number', name: 'x' },
      ],
    },
  ],
};
const codebook = deriveCodebook(instrument);
const dataset = await buildDataset(
  codebook,
  rows.map((r) => ({
    data: Object.fromEntries(
      Object.entries(r)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => [k, k === 'x' ? Number(v) : v]),
    ),
  })),
);

const INDICATORS = `indicators:
  - id: yes
    label: { fr: "oui", en: "yes" }
    estimate: { proportion: { var: y, in: ["yes"] } }
    among: { answered: y }
    by: sex
    test: rao_scott
  - id: q
    label: { fr: "q", en: "q" }
    estimate: { distribution: q }
    by: sex
    test: rao_scott
  - id: x
    label: { fr: "x", en: "x" }
    estimate: { mean: x }
  - id: xq
    label: { fr: "x", en: "x" }
    estimate: { quartiles: x }
`;
const plan = (weighting: string) => `version: 1\ninstrument: fixture\n${weighting}${INDICATORS}`;
const RAKED = plan('weighting:\n  rake: [age, sex, site]\n  to: population\n');

// biome-ignore lint/suspicious/noExplicitAny: R output
function same(mine: { estimate: number | null; se?: number; ci: [number, number] | null }, r: any): void {
  close(mine.estimate!, r.estimate);
  close(mine.se!, r.se);
  closeAll(mine.ci!, r.ci);
}

// biome-ignore lint/suspicious/noExplicitAny: R output
function sameAsR(indicators: IndicatorResult[], r: any): void {
  const [yes, q, x, xq] = indicators;
  expect(indicators.every((i) => i.weighted)).toBe(true);
  same(yes!, r.yes);
  expect(yes!.n).toBe(r.yes.n);
  for (const g of yes!.groups!) same(g, r.yesBySex[g.group]);
  expect(q!.levels!.map((l) => l.level)).toEqual(['q1', 'q2', 'q3']);
  for (const l of q!.levels!) {
    same(l, r.q[l.level]);
    expect(l.n).toBe(r.q[l.level].n);
  }
  same(x!, r.x);
  closeAll(xq!.quartiles!, r.xQuartiles.quartiles);
  closeAll(xq!.ci!, r.xQuartiles.ci);
  for (const [ind, rs] of [
    [yes!, r.yesRaoScott],
    [q!, r.qRaoScott],
  ] as const) {
    const t = ind.test![0]!;
    expect(t.test).toBe('rao_scott');
    close(t.F!, rs.F);
    close(t.ndf!, rs.ndf);
    close(t.ddf!, rs.ddf);
    close(t.p!, rs.p);
  }
  expect(q!.groups!.map((g) => g.n)).toEqual(
    ['f', 'm'].map((s) => rows.filter((row) => row.sex === s && row.q !== '').length),
  );
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CairnetError) return e.code;
    throw e;
  }
  return 'no error';
}

async function failure(p: Promise<unknown>): Promise<CairnetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CairnetError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('a plan weighted to its population', async () => {
  const results = await evaluatePlan(parsePlan(RAKED), codebook, dataset, { population });

  it('rakes as survey::rake with its default control and estimates as svyciprop and svymean', () => {
    sameAsR(results.indicators, R.raked);
    expect(results.weighting!.method).toBe('rake');
    expect(results.weighting!.converged).toBe(R.raked.converged);
    expect(results.weighting!.iterations).toBe(R.raked.iterations);
    expect(results.weighting!.control).toEqual({ maxIter: 10, epsilon: 1 });
  });

  it("summarises the weights as R's weights() do, with Kish's deff", () => {
    const w = results.weighting!;
    close(w.weights.min, R.raked.weights.min);
    close(w.weights.max, R.raked.weights.max);
    close(w.weights.mean, R.raked.weights.mean);
    close(w.deff, R.raked.weights.deff);
    close(w.effectiveN, rows.length / R.raked.weights.deff);
    expect(w.n).toBe(rows.length);
    expect(w.source).toEqual({ kind: 'population' });
  });

  it('gives response rates by stratum: persons invited against responses giving each level', () => {
    const age = results.weighting!.responseRates!.find((r) => r.variable === 'age')!;
    for (const l of age.levels) {
      expect(l.invited).toBe(people.filter((p) => p.age === l.level).length);
      expect(l.responses).toBe(rows.filter((r) => r.age === l.level).length);
      expect(l.rate).toBeCloseTo(l.responses / l.invited, 12);
    }
    expect(age.levels.reduce((s, l) => s + l.invited, 0)).toBe(people.length);
    expect(age.levels.every((l) => !l.suppressed)).toBe(true);
    // fewer responses than the plan's minimum cell: not shown
    const strict = responseRates(
      dataset,
      [{ variable: 'age', stratum: 'age' }],
      { age: population.age! },
      60,
    );
    expect(strict[0]!.levels.map((l) => l.suppressed)).toEqual(
      strict[0]!.levels.map((l) => l.responses > 0 && l.responses < 60),
    );
    expect(strict[0]!.levels.some((l) => l.suppressed)).toBe(true);
    const hidden = strict[0]!.levels.find((l) => l.suppressed)!;
    const labels = { variable: (v: string) => v, level: (_v: string, l: string) => `level ${l}` };
    const html = weightingMethods({ ...results.weighting!, responseRates: strict }, 'en', labels);
    const row = html.split('<tr>').find((r) => r.includes(`level ${hidden.level}<`))!;
    expect(row).toContain('not published: too few responses');
    expect(row).not.toContain(`>${hidden.responses}<`);
  });

  it('post-stratifies on one variable, as postStratify, with margins read from a CSV beside the plan', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cairnet-weighting-'));
    const lines = Object.entries(population.age!).map(([level, n]) => `age,${level},${n}`);
    writeFileSync(join(tmp, 'age.csv'), `variable,level,count\n${lines.join('\n')}\n`);
    writeFileSync(join(tmp, 'plan.yaml'), plan('weighting:\n  rake: [age]\n  to: age.csv\n'));
    const post = await evaluatePlan(readPlanFile(join(tmp, 'plan.yaml')), codebook, dataset);
    sameAsR(post.indicators, R.poststratified);
    expect(post.weighting).toMatchObject({ method: 'poststratify', iterations: null, converged: true });
    expect(post.weighting!.source).toEqual({ kind: 'file', file: 'age.csv' });
    close(post.weighting!.deff, R.poststratified.weights.deff);
    expect(post.weighting!.responseRates).toBeUndefined();
    // what `cairnet plan set` stores: the file's margins written into the plan
    const stored = parsePlan(
      inlineMarginsFile(readFileSync(join(tmp, 'plan.yaml'), 'utf8'), join(tmp, 'plan.yaml')),
    );
    expect(stored.plan.weighting!.to).toEqual({ age: population.age });
    const again = await evaluatePlan(stored, codebook, dataset);
    expect(again.indicators).toEqual(post.indicators);
    expect(again.weighting!.source).toEqual({ kind: 'plan' });
    expect(codeOf(() => readPlanFile(join(tmp, 'plan.yaml')))).toBe('no error');
    writeFileSync(join(tmp, 'gone.yaml'), plan('weighting:\n  rake: [age]\n  to: missing.csv\n'));
    const gone = await failure(evaluatePlan(readPlanFile(join(tmp, 'gone.yaml')), codebook, dataset));
    expect(gone.code).toBe('CAIRNET_WEIGHTING_FILE');
    expect(gone.message).toMatch(/missing\.csv/);
    expect(
      codeOf(() => inlineMarginsFile(readFileSync(join(tmp, 'gone.yaml'), 'utf8'), join(tmp, 'gone.yaml'))),
    ).toBe('CAIRNET_WEIGHTING_FILE');
  });
});

describe('a weighting the plan or the data cannot carry', () => {
  const problems = (text: string) => {
    try {
      checkPlan(parsePlan(text, 'plan.yaml'), codebook);
    } catch (e) {
      if (e instanceof CairnetError && e.code === 'CAIRNET_PLAN_INVALID')
        return (e.details as { line: number; message: string }[]).map((p) => `${p.line}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('names the line of an unknown variable, a level not in the codebook, a zero margin', () => {
    expect(problems(plan('weighting:\n  rake: [age, region]\n  to: population\n'))).toEqual([
      '4: unknown variable "region"',
    ]);
    expect(problems(plan('weighting:\n  rake: [sex]\n  to:\n    sex: { f: 500, m: 0, x: 3 }\n'))).toEqual([
      '6: the margin of "m" is 0: leave the level out, or merge it with another',
      '6: "x" is not a level of "sex" (f, m)',
    ]);
    expect(problems(plan('weighting:\n  rake: [sex]\n  to: margins.xlsx\n'))[0]).toMatch(/^5: weighting\.to/);
  });

  it('refuses own weights or unweighted tests beside the plan weighting', () => {
    const own = RAKED.replace('    test: rao_scott\n', '    weights: x\n    test: chisq\n');
    expect(problems(own)).toEqual([
      expect.stringMatching(/remove "weights"/),
      expect.stringMatching(/only rao_scott/),
    ]);
  });

  it('refuses respondents without a value, a level without margin, and a population without the stratum', async () => {
    const missing = await buildDataset(codebook, [
      ...rows.slice(0, 20).map((r) => ({ data: { age: r.age, sex: r.sex, site: r.site } })),
      { data: { sex: 'f', site: 'n' } },
    ]);
    const e1 = await failure(evaluatePlan(parsePlan(RAKED), codebook, missing, { population }));
    expect(e1.code).toBe('CAIRNET_WEIGHTING_MISSING');
    expect(e1.message).toMatch(/1 respondent has no value of "age"/);
    const partial = plan('weighting:\n  rake: [age]\n  to:\n    age: { a18: 300, a35: 400 }\n');
    const e2 = await failure(evaluatePlan(parsePlan(partial), codebook, dataset));
    expect(e2.code).toBe('CAIRNET_WEIGHTING_MARGINS');
    expect(e2.message).toMatch(/answered "a55" to "age", a level absent from the margins/);
    const coded = { ...population, sex: { F: 550, M: 450 } };
    const e5 = await failure(evaluatePlan(parsePlan(RAKED), codebook, dataset, { population: coded }));
    expect(e5.code).toBe('CAIRNET_WEIGHTING_MARGINS');
    expect(e5.message).toMatch(/answered "[fm]" to "sex", a level absent from the margins \(F, M\)/);
    const extra = { ...population, sex: { f: 540, m: 450, x: 10 } };
    const e6 = await failure(evaluatePlan(parsePlan(RAKED), codebook, dataset, { population: extra }));
    expect(e6.message).toMatch(/count "x" \(10\), which is not a level of "sex" \(f, m\)/);
    const e3 = await failure(evaluatePlan(parsePlan(RAKED), codebook, dataset, { population: { age: {} } }));
    expect(e3.code).toBe('CAIRNET_WEIGHTING_MARGINS');
    expect(e3.message).toMatch(/No one invited has a value of the stratum "age"/);
    const e4 = await failure(evaluatePlan(parsePlan(RAKED), codebook, dataset));
    expect(e4.message).toMatch(/store whose campaign holds the population/);
  });

  it('maps a plan variable to a stratum field of another name', async () => {
    const renamed = RAKED.replace(
      'rake: [age, sex, site]',
      'rake: [{ variable: age, stratum: age_band }, sex, site]',
    );
    const { age, ...rest } = population;
    const r = await evaluatePlan(parsePlan(renamed), codebook, dataset, {
      population: { ...rest, age_band: age! },
    });
    sameAsR(r.indicators, R.raked);
    expect(r.weighting!.variables[0]).toEqual({ variable: 'age', stratum: 'age_band' });
  });
});

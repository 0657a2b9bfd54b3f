import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStore } from '../../src/cli/commands/analyze.js';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { CairnetError } from '../../src/errors.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function planFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SMALL_PLAN = `version: 1
instrument: cairnet
indicators:
  - id: contact
    label: { fr: "contact", en: "contact" }
    estimate: { proportion: { var: relation, in: [short_term, ongoing] } }
`;

async function failure(p: Promise<unknown>): Promise<CairnetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CairnetError) return e;
    throw e;
  }
  throw new Error('expected a CairnetError');
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: cairnet analyze`, () => {
    let demo: TestStore;
    let empty: TestStore;
    beforeAll(async () => {
      demo = await openTestStore(dialect);
      await writeDemoPanel(demo.store, { respondents: 651, seed: 2013 });
      empty = await openTestStore(dialect);
    }, 120_000);
    afterAll(async () => {
      await demo?.dispose();
      await empty?.dispose();
    });

    it('evaluates the Cairnet plan on the stored demonstration panel', async () => {
      const results = await analyzeStore({ db: demo.location, instrument: 'cairnet-demo' });
      expect(results.n).toBe(651);
      expect(results.synthetic).toBe(true);
      const f2 = results.indicators.find((r) => r.id === 'F2')!;
      expect(f2.n).toBe(651);
      expect(f2.estimate).toBeCloseTo(529 / 651, 12);
      expect(results.indicators.find((r) => r.id === 'F20')!.groups).toHaveLength(4);
    });

    it('gives the same results when counting with SQL in the database', async () => {
      const inMemory = await analyzeStore({ db: demo.location, instrument: 'cairnet-demo' });
      const inSql = await analyzeStore({ db: demo.location, instrument: 'cairnet-demo', counts: 'sql' });
      expect(inSql).toEqual(inMemory);
    });

    it('evaluates another plan file given with --plan', async () => {
      const results = await analyzeStore({
        db: demo.location,
        instrument: 'cairnet-demo',
        plan: planFile('small.yaml', SMALL_PLAN),
      });
      expect(results.indicators.map((r) => r.id)).toEqual(['contact']);
      expect(results.indicators[0]!.count).toBe(529);
    });

    it('refuses a store without responses', async () => {
      const e = await failure(analyzeStore({ db: empty.location }));
      expect(e.code).toBe('CAIRNET_DATASET_EMPTY');
    });

    it('names the line and the indicator of an unknown variable, before reading any response', async () => {
      const path = planFile('unknown.yaml', SMALL_PLAN.replace('var: relation', 'var: relashun'));
      const e = await failure(analyzeStore({ db: empty.location, plan: path }));
      expect(e.code).toBe('CAIRNET_PLAN_INVALID');
      expect(e.message).toMatch(/line 6 \(indicator contact\): unknown variable "relashun"/);
      expect(e.details).toEqual([{ line: 6, indicator: 'contact', message: 'unknown variable "relashun"' }]);
    });
  });
}

describe('cairnet analyze errors', () => {
  const store = join(dir, 'none.db');

  it('names the line of a plan that is not valid YAML', async () => {
    const path = planFile('broken.yaml', SMALL_PLAN.replace('label: {', 'label: fr: {'));
    const e = await failure(analyzeStore({ db: store, plan: path }));
    expect(e.code).toBe('CAIRNET_PLAN_INVALID');
    expect(e.message).toMatch(/broken\.yaml line 5: not valid YAML/);
    expect((e.details as { line: number }[])[0]!.line).toBe(5);
  });

  it('names the line and indicator of a field that breaks the schema', async () => {
    const path = planFile('schema.yaml', SMALL_PLAN.replace('proportion:', 'proportoin:'));
    const e = await failure(analyzeStore({ db: store, plan: path }));
    expect(e.code).toBe('CAIRNET_PLAN_INVALID');
    expect(e.details).toMatchObject([{ line: 6, indicator: 'contact' }]);
  });

  it('reports a plan file it cannot read', async () => {
    const e = await failure(analyzeStore({ db: store, plan: join(dir, 'missing.yaml') }));
    expect(e.code).toBe('CAIRNET_FILE_UNREADABLE');
  });
});

describe('node bin/cairnet.mjs analyze', () => {
  const db = join(dir, 'demo.db');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/cairnet.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });

  it('prints {"indicators": [{id, estimate, ci, n, suppressed, …}]} with --json and nothing else', () => {
    expect(cli('demo', '--db', db).status).toBe(0);
    const r = cli('analyze', '--db', db, '--instrument', 'cairnet-demo', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { indicators: Record<string, unknown>[] };
    for (const ind of out.indicators) {
      for (const key of ['id', 'estimate', 'ci', 'n', 'suppressed']) expect(ind).toHaveProperty(key);
    }
    const f3 = out.indicators.find((i) => i.id === 'F3')!;
    expect(f3.n).toBe(651);
    expect(Math.abs((f3.estimate as number) - 0.41)).toBeLessThan(0.03);
  }, 240_000);

  it('exits with the plan error code and prints the line on stderr', () => {
    const path = planFile('cli-unknown.yaml', SMALL_PLAN.replace('var: relation', 'var: relashun'));
    const r = cli('analyze', '--db', db, '--plan', path, '--json');
    expect(r.status).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error CAIRNET_PLAN_INVALID: .*line 6 \(indicator contact\)/);
  }, 120_000);
});

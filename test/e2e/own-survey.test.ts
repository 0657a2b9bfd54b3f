// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';
import { buildApp } from '../../src/server/build-app.js';
import { AGREE, STAFF_FORM, staffAnswers, UNITS } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { pdfSkipReason } from '../helpers/browser.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const N = 45;

/** Wilson's score interval at 95 %, written out here (prop.test(correct = FALSE)). */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

const dir = mkdtempSync(join(tmpdir(), 'cairnet-own-survey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const dialect of await availableDialects()) {
  describe(`${dialect}: a survey of one's own, from XLSForm to results`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const form = join(dir, `staff-${dialect}.xlsx`);

    beforeAll(async () => {
      t = await openTestStore(dialect);
      writeFileSync(form, await buildXlsform(STAFF_FORM));
      const imported = await cli([
        'instrument',
        'import',
        form,
        '--name',
        'staff',
        '--json',
        '--db',
        t.location,
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      // responses posted in bulk from one address: the open-submission limit is off
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
      await app.ready();
      for (let i = 0; i < N; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/instruments/staff/responses',
          payload: { data: staffAnswers(i), idempotencyKey: `staff-${i}` },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('refuses an answer breaking the constraint, through the same HTTP API', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/staff/responses',
        payload: { data: { ...staffAnswers(1), years: 80 } },
      });
      expect(res.statusCode).toBe(422);
    });

    it('analyses it with the default plan from its codebook: the distribution contract, checkboxes among those asked, numbers, texts', async () => {
      const r = await cli(['analyze', '--instrument', 'staff', '--json', '--db', t.location]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { instrument: string; n: number; indicators: IndicatorResult[] };
      expect(out.instrument).toBe('staff');
      expect(out.n).toBe(N);
      const byId = new Map(out.indicators.map((i) => [i.id, i]));
      const all = Array.from({ length: N }, (_, i) => staffAnswers(i));

      const unit = byId.get('unit')!;
      expect(unit).toMatchObject({ id: 'unit', kind: 'distribution', variable: 'unit', n: N });
      expect(unit.levels!.map((l) => l.level)).toEqual(UNITS);
      for (const l of unit.levels!) {
        const count = all.filter((a) => a.unit === l.level).length;
        expect(l.count).toBe(count);
        expect(l.estimate).toBeCloseTo(count / N, 12);
        const [lo, hi] = wilson(count, N);
        expect(l.ci![0]).toBeCloseTo(lo, 10);
        expect(l.ci![1]).toBeCloseTo(hi, 10);
      }
      // the Likert block: one distribution per item, in the choices' order
      for (const item of ['op_pay', 'op_team', 'op_future']) {
        const ind = byId.get(item)!;
        expect(ind.kind).toBe('distribution');
        expect(ind.levels!.map((l) => l.level)).toEqual(AGREE);
        expect(ind.levels!.reduce((s, l) => s + (l.count ?? 0), 0)).toBe(N);
      }
      // a checkbox: the share ticking each tool among those asked (those working from home)
      const asked = all.filter((a) => a.remote === 'yes');
      const vpn = byId.get('tools__vpn')!;
      expect(vpn.kind).toBe('proportion');
      expect(vpn.n).toBe(asked.length);
      expect(vpn.count).toBe(asked.filter((a) => (a.tools as string[]).includes('vpn')).length);
      expect(vpn.label.en).toBe('Tools you use: VPN');
      expect(vpn.label.fr).toBe('Outils utilisés : VPN');
      // a number: mean, and median with quartiles
      const years = all.map((a) => a.years as number);
      expect(byId.get('years')!.estimate).toBeCloseTo(years.reduce((s, y) => s + y, 0) / N, 10);
      const quartiles = byId.get('years_quartiles')!;
      expect(quartiles.kind).toBe('quartiles');
      const sorted = [...years].sort((a, b) => a - b);
      // survey's qrule "math": the smallest value whose share reaches p
      const q = (p: number) => sorted[Math.ceil(p * N) - 1]!;
      expect(quartiles.quartiles).toEqual([q(0.25), q(0.5), q(0.75)]);
      // a free text: how many of those asked answered it
      const comment = byId.get('remote_comment')!;
      expect(comment.n).toBe(asked.length);
      expect(comment.count).toBe(all.filter((a) => a.remote_comment !== undefined).length);
      // the same results when the database counts
      const sql = await cli([
        'analyze',
        '--instrument',
        'staff',
        '--counts',
        'sql',
        '--json',
        '--db',
        t.location,
      ]);
      expect(JSON.parse(sql.stdout)).toEqual(out);
    });

    it('writes the default plan to edit, and stores an edited one that then replaces it', async () => {
      const file = join(dir, `staff-plan-${dialect}.yaml`);
      const init = await cli(['plan', 'init', '--instrument', 'staff', '--out', file, '--db', t.location]);
      expect(init.code, init.stderr).toBe(0);
      const yaml = readFileSync(file, 'utf8');
      expect(yaml).toContain('distribution: unit');
      expect(
        (await cli(['plan', 'init', '--instrument', 'staff', '--out', file, '--db', t.location])).code,
      ).toBe(2);
      // a plan naming an unknown variable is refused with its line, and nothing is stored
      const bad = join(dir, `staff-bad-${dialect}.yaml`);
      writeFileSync(bad, yaml.replace('distribution: unit', 'distribution: unitt'));
      const refused = await cli(['plan', 'set', '--instrument', 'staff', bad, '--db', t.location]);
      expect(refused.code).toBe(7);
      expect(refused.stderr).toMatch(/line \d+ \(indicator unit\): .*"unitt"/);
      // an edited plan: remote broken down by unit, with a test
      const edited = join(dir, `staff-edited-${dialect}.yaml`);
      writeFileSync(
        edited,
        `version: 1
instrument: staff
indicators:
  - id: remote_by_unit
    label: { fr: "Télétravail par service", en: "Working from home by department" }
    estimate: { proportion: { var: remote, in: ["yes"] } }
    by: unit
    test: chisq
`,
      );
      const set = await cli(['plan', 'set', '--instrument', 'staff', edited, '--db', t.location]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('plan version 1 of staff');
      const shown = await cli(['plan', 'show', '--instrument', 'staff', '--db', t.location]);
      expect(shown.stdout).toMatch(/^# stored: staff plan v1\n/);
      expect(shown.stdout).toContain('id: remote_by_unit');
      const r = await cli(['analyze', '--instrument', 'staff', '--json', '--db', t.location]);
      const out = JSON.parse(r.stdout) as { indicators: IndicatorResult[] };
      expect(out.indicators.map((i) => i.id)).toEqual(['remote_by_unit']);
      expect(out.indicators[0]!.groups).toHaveLength(3);
      expect(out.indicators[0]!.test?.[0]?.p).toBeGreaterThan(0);
    });

    it('writes its report with its own labels and none of Cairnet’s text', async () => {
      for (const lang of ['fr', 'en'] as const) {
        const out = join(dir, `staff-report-${dialect}.${lang}.html`);
        const r = await cli([
          'report',
          '--instrument',
          'staff',
          '--format',
          'html',
          '--lang',
          lang,
          '--out',
          out,
          '--db',
          t.location,
        ]);
        expect(r.code, r.stderr).toBe(0);
        const html = readFileSync(out, 'utf8');
        // titled by the survey's own title, in the report's language
        expect(html).toContain(
          lang === 'fr'
            ? '<h1>Résultats : Enquête auprès du personnel 2026</h1>'
            : '<h1>Results: Staff survey 2026</h1>',
        );
        expect(html).toContain(lang === 'fr' ? 'Télétravail par service' : 'Working from home by department');
        expect(html).toContain(lang === 'fr' ? 'Informatique' : 'Computing');
        expect(html).not.toMatch(/Inserm|associations? de malades|patient associations|2012/);
      }
    });

    const pdfSkip = dialect === 'sqlite' ? pdfSkipReason() : 'the PDF is printed once, on SQLite';
    it.skipIf(pdfSkip !== undefined)(
      `prints its report as a PDF in each language, with its own title and labels${pdfSkip ? ` (skipped: ${pdfSkip})` : ''}`,
      async () => {
        for (const lang of ['fr', 'en'] as const) {
          const pdf = join(dir, `staff-report.${lang}.pdf`);
          const r = await cli([
            'report',
            '--instrument',
            'staff',
            '--format',
            'pdf',
            '--lang',
            lang,
            '--out',
            pdf,
            '--db',
            t.location,
          ]);
          expect(r.code, r.stderr).toBe(0);
          expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
          const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], {
            encoding: 'utf8',
          }).stdout.replace(/\s+/g, ' ');
          expect(text).toContain(lang === 'fr' ? 'Informatique' : 'Computing');
          expect(text).toContain(lang === 'fr' ? 'Enquête auprès du personnel 2026' : 'Staff survey 2026');
          expect(text).toContain(String(N));
          expect(text).not.toMatch(/Inserm|associations? de malades|patient associations|2012/);
          expect(text).not.toContain(lang === 'fr' ? 'Computing' : 'Informatique');
        }
      },
      120_000,
    );

    it('exports its responses as a .sav that PSPP reads', async () => {
      const sav = join(dir, `staff-${dialect}.sav`);
      const r = await cli([
        'export',
        '--instrument',
        'staff',
        '--format',
        'sav',
        '--lang',
        'en',
        '--out',
        sav,
        '--db',
        t.location,
      ]);
      expect(r.code, r.stderr).toBe(0);
      let pspp = true;
      try {
        execFileSync('pspp', ['--version'], { stdio: 'ignore' });
      } catch {
        pspp = false;
      }
      if (!pspp && process.env.CI === 'true') throw new Error('pspp is required in CI');
      if (!pspp) return; // (pspp is installed on the project's machines and in CI)
      const csv = join(dir, `staff-${dialect}.csv`);
      execFileSync('pspp-convert', ['--labels', sav, csv]);
      const rows = parse(readFileSync(csv), { columns: true, trim: true }) as Record<string, string>[];
      expect(rows).toHaveLength(N);
      expect(new Set(rows.map((x) => x.unit))).toEqual(
        new Set(['Laboratory', 'Administration', 'Computing']),
      );
    });
  });
}

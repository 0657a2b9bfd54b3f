import { readFileSync } from 'node:fs';
import { ConditionRunner, Model } from 'survey-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoRespondent, generatePanel } from '../../src/demo/index.js';
import { CAIRNET_SURVEY_PATH, loadCairnetInstrument } from '../../src/instrument/index.js';
import { publishedFigures, TARGETS } from './panel-figures.js';

const surveyJson = JSON.parse(readFileSync(CAIRNET_SURVEY_PATH, 'utf8'));
let panel: DemoRespondent[];

beforeAll(() => {
  panel = generatePanel({ respondents: 651, seed: 2013 });
});

describe('generatePanel', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generatePanel({ respondents: 651, seed: 2013 });
    expect(again).toEqual(panel);
    const other = generatePanel({ respondents: 651, seed: 2014 });
    expect(other.map((r) => r.data)).not.toEqual(panel.map((r) => r.data));
  });

  it('flags every respondent as synthetic and gives each a profile', () => {
    expect(panel).toHaveLength(651);
    expect(panel.every((r) => r.synthetic === true)).toBe(true);
    const profiles = new Set(panel.map((r) => r.profile));
    expect([...profiles].sort()).toEqual(['distants', 'engages', 'pragmatiques', 'reticents']);
  });

  it('lands within 3 points of each published figure F2–F19 (651 respondents, seed 2013)', () => {
    const figures = publishedFigures(panel.map((r) => r.data));
    const off = Object.entries(TARGETS)
      .filter(([k, target]) => !(Math.abs((figures[k] ?? Number.NaN) - target) <= 3))
      .map(([k, target]) => `${k}: ${figures[k]?.toFixed(1)} vs ${target}`);
    expect(off).toEqual([]);
  });

  it('has ongoing relations for most Engagés and few Distants (F20)', () => {
    const ongoing = (p: string) => {
      const g = panel.filter((r) => r.profile === p);
      return (100 * g.filter((r) => r.data.relation === 'ongoing').length) / g.length;
    };
    expect(Math.abs(ongoing('engages') - 72)).toBeLessThanOrEqual(5);
    expect(Math.abs(ongoing('distants') - 16)).toBeLessThanOrEqual(5);
  });

  it('gives each profile its own answer pattern on the opinion items', () => {
    const agreeShare = (p: string, item: string) => {
      const g = panel.filter((r) => r.profile === p);
      const agree = g.filter((r) => {
        const v = (r.data.opinion as Record<string, string>)[item];
        return v === 'agree' || v === 'strongly_agree';
      });
      return agree.length / g.length;
    };
    const top = (item: string) =>
      ['engages', 'pragmatiques', 'distants', 'reticents'].reduce((best, p) =>
        agreeShare(p, item) > agreeShare(best, item) ? p : best,
      );
    expect(top('interface')).toBe('engages');
    expect(top('no_reason')).toBe('distants');
    expect(top('lobbies')).toBe('reticents');
    expect(top('freedom')).toBe('reticents');
    expect(agreeShare('distants', 'no_reason')).toBeGreaterThan(0.6);
    expect(agreeShare('reticents', 'lobbies')).toBeGreaterThan(0.6);
    expect(agreeShare('engages', 'interface')).toBeGreaterThan(0.8);
  });

  it('cites at least 400 distinct associations in messy free text, more by ongoing relations', () => {
    const ids = panel.flatMap((r) => r.intendedAssociations);
    expect(new Set(ids).size).toBeGreaterThanOrEqual(400);
    for (const r of panel) {
      const names = ((r.data.associations as { name: string }[] | undefined) ?? []).map((a) => a.name);
      expect(names).toHaveLength(r.intendedAssociations.length);
      expect(names.length).toBeLessThanOrEqual(6);
      expect(new Set(r.intendedAssociations).size).toBe(r.intendedAssociations.length);
      if (r.data.relation === 'never') expect(names).toEqual([]);
    }
    const mean = (rel: string) => {
      const g = panel.filter((r) => r.data.relation === rel);
      return g.reduce((s, r) => s + r.intendedAssociations.length, 0) / g.length;
    };
    expect(mean('ongoing')).toBeGreaterThan(mean('short_term') + 1);
    const texts = panel.flatMap((r) =>
      ((r.data.associations as { name: string }[] | undefined) ?? []).map((a) => a.name),
    );
    const distinctTexts = new Set(texts.map((t) => t.trim()));
    expect(distinctTexts.size).toBeGreaterThan(new Set(ids).size);
  });

  it('produces answers that survey-core accepts, with nothing answered on hidden questions', () => {
    // survey-core is slow to load answers (a few ms each): validate every 4th respondent with it…
    const model = new Model(surveyJson);
    const problems: string[] = [];
    const sample = panel.filter((_, i) => i % 4 === 0);
    expect(new Set(sample.map((r) => `${r.data.relation}/${r.data.funding}`)).size).toBe(5);
    sample.forEach((r, i) => {
      model.data = r.data; // replaces every value; validate(true) recomputes every error
      model.validate(true);
      for (const q of model.getAllQuestions()) {
        if (q.errors.length > 0) problems.push(`#${i} ${q.name}: ${q.errors.map((e) => e.text).join('; ')}`);
      }
      for (const key of Object.keys(r.data)) {
        const q = model.getQuestionByName(key);
        if (!q) problems.push(`#${i} ${key}: not a question`);
        else if (!q.isVisible || !q.isParentVisible) problems.push(`#${i} ${key}: answered but hidden`);
      }
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('answers, for every respondent, only visible questions and only with codes of the questionnaire', () => {
    // …and check all of them against the codebook with survey-core's condition engine.
    const { codebook } = loadCairnetInstrument();
    const problems: string[] = [];
    const runners = new Map<string, ConditionRunner>();
    const runner = (c: string) => runners.get(c) ?? runners.set(c, new ConditionRunner(c)).get(c)!;
    panel.forEach((r, i) => {
      for (const [key, value] of Object.entries(r.data)) {
        const vars = codebook.variables.filter((v) => v.question === key);
        if (vars.length === 0) problems.push(`#${i} ${key}: not a question`);
        const cond = vars[0]?.visibleIf;
        if (cond && !runner(cond).runValues(r.data)) problems.push(`#${i} ${key}: hidden`);
        for (const v of vars) {
          const allowed = v.levels.map((l) => l.value);
          const given =
            v.row !== undefined
              ? [(value as Record<string, unknown>)[v.row]]
              : v.type === 'multiple'
                ? (value as unknown[])
                : v.type === 'single'
                  ? [value]
                  : [];
          for (const g of given)
            if (!allowed.includes(g as string)) problems.push(`#${i} ${v.name}: ${String(g)}`);
        }
      }
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('rejects a respondent count or seed that is not a whole number', () => {
    expect(() => generatePanel({ respondents: 0, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'CAIRNET_USAGE' }),
    );
    expect(() => generatePanel({ respondents: 2.5, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'CAIRNET_USAGE' }),
    );
    expect(() => generatePanel({ respondents: 10, seed: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'CAIRNET_USAGE' }),
    );
  });

  it('works for tiny panels', () => {
    const tiny = generatePanel({ respondents: 3, seed: 7 });
    expect(tiny).toHaveLength(3);
  });
});

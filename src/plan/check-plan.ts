import type { Condition } from '../dataset/condition.js';
import type { Codebook } from '../instrument/types.js';
import { pinnedLevels } from './ordered-charts.js';
import type { ParsedPlan } from './parse-plan.js';
import { type PlanProblem, planInvalid } from './plan-problem.js';

/** What the plan may say about a variable: its kind and, for a categorical one, its levels. */
export interface VariableShape {
  kind: 'categorical' | 'numeric' | 'text_list';
  levels: string[];
  ordered: boolean;
}

/** The variables a plan can name: the codebook's (but joined multi-selects), then its derived ones. */
export function planVocabulary(
  codebook: Codebook,
  parsed: ParsedPlan,
  problems: PlanProblem[] = [],
): Map<string, VariableShape> {
  const vocabulary = new Map<string, VariableShape>();
  for (const v of codebook.variables) {
    if (v.type === 'multiple') continue;
    const kind =
      v.type === 'numeric'
        ? 'numeric'
        : v.type === 'text' || v.type === 'text_list'
          ? 'text_list'
          : 'categorical';
    vocabulary.set(v.name, {
      kind,
      levels: v.levels.map((l) => String(l.value)),
      ordered: v.type === 'ordinal' || v.type === 'matrix_row',
    });
  }
  const { plan } = parsed;
  const problem = (path: PropertyKey[], message: string) =>
    problems.push({ line: parsed.lineOf(path), indicator: parsed.indicatorOf(path), message });
  plan.derived.forEach((d, k) => {
    const at = ['derived', k];
    if (vocabulary.has(d.name)) problem([...at, 'name'], `"${d.name}" is already a variable`);
    if ('when' in d) {
      checkCondition(d.when, [...at, 'when'], vocabulary, problem);
      vocabulary.set(d.name, { kind: 'categorical', levels: ['0', '1'], ordered: false });
    } else {
      const source = vocabulary.get(d.recode);
      if (source?.kind !== 'categorical') {
        problem([...at, 'recode'], unknownMessage(d.recode, source, 'categorical'));
      } else {
        for (const [to, from] of Object.entries(d.map)) {
          for (const old of from) {
            if (!source.levels.includes(String(old))) {
              problem(
                [...at, 'map', to],
                `"${old}" is not a level of "${d.recode}" (${source.levels.join(', ')})`,
              );
            }
          }
        }
      }
      vocabulary.set(d.name, {
        kind: 'categorical',
        levels: Object.keys(d.map),
        ordered: source?.ordered ?? false,
      });
    }
  });
  if (plan.typology) {
    const t = plan.typology;
    for (const [part, names] of [
      ['active', t.active],
      ['supplementary', t.supplementary],
    ] as const) {
      names.forEach((n, k) => {
        const shape = vocabulary.get(n);
        if (shape?.kind !== 'categorical')
          problem(['typology', part, k], unknownMessage(n, shape, 'categorical'));
      });
    }
    const profiles = Object.keys(t.profiles);
    if (profiles.length !== t.clusters) {
      problem(['typology', 'profiles'], `${profiles.length} profiles named for ${t.clusters} clusters`);
    }
    for (const [p, spec] of Object.entries(t.profiles)) {
      spec.markers.forEach((m, k) => {
        checkCondition(m, ['typology', 'profiles', p, 'markers', k], vocabulary, problem);
      });
    }
    if (vocabulary.has(t.name)) problem(['typology', 'name'], `"${t.name}" is already a variable`);
    vocabulary.set(t.name, { kind: 'categorical', levels: profiles, ordered: false });
  }
  return vocabulary;
}

type Report = (path: PropertyKey[], message: string) => void;

function unknownMessage(name: string, shape: VariableShape | undefined, want: VariableShape['kind']): string {
  return shape ? `"${name}" is ${shape.kind}, not ${want}` : `unknown variable "${name}"`;
}

function checkCondition(
  c: Condition,
  at: PropertyKey[],
  vocabulary: Map<string, VariableShape>,
  problem: Report,
): void {
  if ('var' in c || 'flag' in c) {
    const name = 'var' in c ? c.var : c.flag;
    const shape = vocabulary.get(name);
    const key = 'var' in c ? 'var' : 'flag';
    if (shape?.kind !== 'categorical') {
      problem([...at, key], unknownMessage(name, shape, 'categorical'));
      return;
    }
    const wanted = 'var' in c ? c.in.map(String) : ['1'];
    wanted.forEach((w, k) => {
      if (!shape.levels.includes(w)) {
        problem(
          'var' in c ? [...at, 'in', k] : [...at, key],
          `"${w}" is not a level of "${name}" (${shape.levels.join(', ')})`,
        );
      }
    });
    return;
  }
  if ('answered' in c || 'missing' in c) {
    const name = 'answered' in c ? c.answered : c.missing;
    if (!vocabulary.has(name))
      problem([...at, 'answered' in c ? 'answered' : 'missing'], `unknown variable "${name}"`);
    return;
  }
  if ('not' in c) {
    checkCondition(c.not, [...at, 'not'], vocabulary, problem);
    return;
  }
  const key = 'all' in c ? 'all' : 'any';
  ('all' in c ? c.all : c.any).forEach((p, k) => {
    checkCondition(p, [...at, key, k], vocabulary, problem);
  });
}

/** The weighting's variables are categorical, named once; margins written in the plan fit their levels. */
function checkWeighting(parsed: ParsedPlan, vocabulary: Map<string, VariableShape>, problem: Report): void {
  const w = parsed.plan.weighting;
  if (!w) return;
  const seen = new Set<string>();
  w.rake.forEach((r, k) => {
    const name = typeof r === 'string' ? r : r.variable;
    const at = typeof r === 'string' ? ['weighting', 'rake', k] : ['weighting', 'rake', k, 'variable'];
    const shape = vocabulary.get(name);
    if (shape?.kind !== 'categorical') problem(at, unknownMessage(name, shape, 'categorical'));
    if (seen.has(name)) problem(at, `"${name}" is raked twice`);
    seen.add(name);
  });
  if (typeof w.to === 'string') return;
  for (const [variable, levels] of Object.entries(w.to)) {
    const at = ['weighting', 'to', variable];
    if (!seen.has(variable)) {
      problem(at, `"${variable}" has margins but is not in "rake"`);
      continue;
    }
    const shape = vocabulary.get(variable);
    for (const [level, count] of Object.entries(levels)) {
      if (shape?.kind === 'categorical' && !shape.levels.includes(level))
        problem([...at, level], `"${level}" is not a level of "${variable}" (${shape.levels.join(', ')})`);
      if (count === 0)
        problem(
          [...at, level],
          `the margin of "${level}" is 0: leave the level out, or merge it with another`,
        );
    }
  }
  for (const name of seen) {
    if (!(name in w.to)) problem(['weighting', 'to'], `no margins for "${name}"`);
  }
}

/**
 * Checks that every variable and level a plan names exists in the instrument's codebook (or is
 * derived before use), that estimates fit their variables, and that ids are unique.
 * Throws `CAIRNET_PLAN_INVALID` naming line and indicator.
 */
export function checkPlan(parsed: ParsedPlan, codebook: Codebook): Map<string, VariableShape> {
  const problems: PlanProblem[] = [];
  const vocabulary = planVocabulary(codebook, parsed, problems);
  const problem: Report = (path, message) =>
    problems.push({ line: parsed.lineOf(path), indicator: parsed.indicatorOf(path), message });
  const seen = new Set<string>();
  parsed.plan.indicators.forEach((ind, k) => {
    const at = ['indicators', k];
    if (seen.has(ind.id)) problem([...at, 'id'], `the id "${ind.id}" is used twice`);
    seen.add(ind.id);
    const e = ind.estimate;
    const want = (name: string, kind: VariableShape['kind'], path: PropertyKey[]) => {
      const shape = vocabulary.get(name);
      if (shape?.kind !== kind) problem(path, unknownMessage(name, shape, kind));
      return shape?.kind === kind ? shape : undefined;
    };
    if ('proportion' in e)
      checkCondition(e.proportion, [...at, 'estimate', 'proportion'], vocabulary, problem);
    else if ('mean' in e) want(e.mean, 'numeric', [...at, 'estimate', 'mean']);
    else if ('quartiles' in e) want(e.quartiles, 'numeric', [...at, 'estimate', 'quartiles']);
    else if ('distribution' in e) want(e.distribution, 'categorical', [...at, 'estimate', 'distribution']);
    else if ('distinctNames' in e) want(e.distinctNames, 'text_list', [...at, 'estimate', 'distinctNames']);
    else {
      const b = e.bracketShare;
      const shape = want(b.var, 'categorical', [...at, 'estimate', 'bracketShare', 'var']);
      const bound = String(b.below ?? b.from);
      if (shape && !shape.levels.includes(bound)) {
        problem(
          [...at, 'estimate', 'bracketShare'],
          `"${bound}" is not a bracket of "${b.var}" (${shape.levels.join(', ')})`,
        );
      }
    }
    if (ind.among) checkCondition(ind.among, [...at, 'among'], vocabulary, problem);
    const by = ind.by ? want(ind.by, 'categorical', [...at, 'by']) : undefined;
    if (ind.weights) want(ind.weights, 'numeric', [...at, 'weights']);
    const weighted = parsed.plan.weighting !== undefined;
    if (ind.weights && weighted)
      problem([...at, 'weights'], 'the plan is weighted to the population ("weighting"): remove "weights"');
    const tests = ind.test === undefined ? [] : Array.isArray(ind.test) ? ind.test : [ind.test];
    if (tests.length > 0 && !ind.by)
      problem([...at, 'test'], 'a test compares groups: give a breakdown ("by")');
    if (tests.includes('rao_scott') && !ind.weights && !weighted)
      problem([...at, 'test'], 'rao_scott is for weighted data: give "weights"');
    if (weighted && tests.some((x) => x !== 'rao_scott'))
      problem([...at, 'test'], 'the plan is weighted ("weighting"): only rao_scott tests weighted data');
    if (ind.published?.groups && by) {
      for (const g of Object.keys(ind.published.groups)) {
        if (!by.levels.includes(g))
          problem([...at, 'published', 'groups', g], `"${g}" is not a level of "${ind.by}"`);
      }
    }
  });
  checkWeighting(parsed, vocabulary, problem);
  checkCharts(parsed, vocabulary, problem);
  if (problems.length > 0) throw planInvalid(parsed.source, problems);
  return vocabulary;
}

/** Ordered charts: a categorical variable, shares each pinned to its levels, each drawn once. */
function checkCharts(parsed: ParsedPlan, vocabulary: Map<string, VariableShape>, problem: Report): void {
  const charted = new Set<string>();
  (parsed.plan.charts ?? []).forEach((chart, k) => {
    const at = ['charts', k];
    const shape = vocabulary.get(chart.ordered);
    if (shape?.kind !== 'categorical')
      problem([...at, 'ordered'], unknownMessage(chart.ordered, shape, 'categorical'));
    chart.indicators.forEach((id, j) => {
      const ind = parsed.plan.indicators.find((i) => i.id === id);
      const path = [...at, 'indicators', j];
      if (!ind) {
        problem(path, `no indicator "${id}"`);
        return;
      }
      if (charted.has(id)) problem(path, `the indicator "${id}" is in two charts`);
      charted.add(id);
      if (!('proportion' in ind.estimate) && !('bracketShare' in ind.estimate))
        problem(path, `"${id}" is not a share: an ordered chart draws shares`);
      if (ind.by) problem(path, `"${id}" has a breakdown: an ordered chart draws one share per indicator`);
      if (!pinnedLevels(ind.among, chart.ordered))
        problem(
          path,
          `"${id}" does not pick levels of "${chart.ordered}" in its "among" ({var: ${chart.ordered}, in: […]})`,
        );
    });
  });
}

import { z } from 'zod';
import type { Condition } from '../dataset/condition.js';

const name = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    'a variable name: letters, digits, _, . and -, not starting with a digit',
  );
const level = z.union([z.string(), z.number()]);

export const localisedTextSchema = z.strictObject({ fr: z.string().min(1), en: z.string().min(1) });

/** A condition in the plan (see {@link Condition}). */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ var: name, in: z.array(level).min(1) }),
    z.strictObject({ flag: name }),
    z.strictObject({ answered: name }),
    z.strictObject({ missing: name }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

const derivedSchema = z.union([
  z.strictObject({ name, label: localisedTextSchema.optional(), when: conditionSchema }),
  z.strictObject({
    name,
    label: localisedTextSchema.optional(),
    recode: name,
    map: z.record(z.string(), z.array(level).min(1)),
    levelLabels: z.record(z.string(), localisedTextSchema).optional(),
  }),
]);

/** What an indicator estimates. */
const estimateSchema = z.union([
  z.strictObject({ proportion: conditionSchema }),
  z.strictObject({ mean: name }),
  /** The median with its interval, and the first and third quartiles (as svyquantile). */
  z.strictObject({ quartiles: name }),
  z.strictObject({ distribution: name }),
  z.strictObject({
    bracketShare: z
      .strictObject({ var: name, below: level.optional(), from: level.optional() })
      .refine((b) => (b.below === undefined) !== (b.from === undefined), 'give exactly one of below / from'),
  }),
  z.strictObject({ distinctNames: name }),
]);

const testSchema = z.enum(['chisq', 'chisq_yates', 'fisher', 'rao_scott', 'ratio', 'odds_ratio']);

const publishedSchema = z.strictObject({
  figure: z.string().regex(/^F\d+$/, 'a figure number such as F2'),
  /** The published value as a proportion (0.81 for 81%), or a count. */
  value: z.number().optional(),
  /** Published values of the groups of a breakdown, by group level. */
  groups: z.record(z.string(), z.number()).optional(),
  /** The published wording ("four out of five"). */
  text: z.string(),
  /** Where the published figure and this indicator are known to disagree. */
  note: z.string().optional(),
});

export const indicatorSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an id: letters, digits, _'),
  label: localisedTextSchema,
  estimate: estimateSchema,
  among: conditionSchema.optional(),
  by: name.optional(),
  test: z.union([testSchema, z.array(testSchema)]).optional(),
  weights: name.optional(),
  published: publishedSchema.optional(),
});

const profileSchema = z.strictObject({
  label: localisedTextSchema,
  /** Answers typical of the profile: the cluster where they are most over-represented gets its name. */
  markers: z.array(conditionSchema),
});

export const typologySchema = z.strictObject({
  /** The derived variable that holds each respondent's profile. */
  name,
  label: localisedTextSchema.optional(),
  active: z.array(name).min(2),
  supplementary: z.array(name).default([]),
  clusters: z.number().int().min(2),
  dimensions: z.number().int().min(1).default(5),
  /** Profile names in order, one per cluster. */
  profiles: z.record(name, profileSchema),
});

/** A raking variable: a plan variable, and the population stratum field it is counted by (default: the same name). */
const rakeVariableSchema = z.union([name, z.strictObject({ variable: name, stratum: z.string().min(1) })]);

/** Margins written in the plan: population counts by variable, then by level. */
const inlineMarginsSchema = z.record(name, z.record(z.string(), z.number().finite().min(0)));

/**
 * Weighting every indicator to the sampling frame: raking (post-stratification for one
 * variable) to the campaign's population, to a CSV of margins (`variable,level,count`, the path
 * relative to the plan file), or to margins written in the plan.
 */
export const weightingSchema = z.strictObject({
  rake: z.array(rakeVariableSchema).min(1),
  to: z.union([
    z.literal('population'),
    z.string().regex(/\.csv$/i, 'population, a CSV file (…csv) or margins by variable'),
    inlineMarginsSchema,
  ]),
});

/**
 * Indicators drawn as one ordered chart (points joined by lines, with their intervals) across the
 * levels of an ordered variable: each indicator's `among` picks its levels of `ordered`.
 */
const chartSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an id: letters, digits, _'),
  label: localisedTextSchema,
  ordered: name,
  indicators: z.array(z.string()).min(2),
});

export const planSchema = z.strictObject({
  version: z.literal(1),
  instrument: z.string(),
  disclosure: z
    .strictObject({
      /** A cell (or its complement) counting fewer respondents is suppressed in published outputs. */
      minCell: z.number().int().min(0).default(5),
      /** A base under this many respondents is marked fragile. */
      fragileBase: z.number().int().min(0).default(30),
    })
    .default({ minCell: 5, fragileBase: 30 }),
  confidence: z.number().gt(0).lt(1).default(0.95),
  derived: z.array(derivedSchema).default([]),
  typology: typologySchema.optional(),
  weighting: weightingSchema.optional(),
  indicators: z.array(indicatorSchema).min(1),
  charts: z.array(chartSchema).optional(),
});

export type Plan = z.infer<typeof planSchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorTest = z.infer<typeof testSchema>;
export type TypologySpec = z.infer<typeof typologySchema>;
export type Weighting = z.infer<typeof weightingSchema>;
export type Published = z.infer<typeof publishedSchema>;
export type ChartSpec = z.infer<typeof chartSchema>;

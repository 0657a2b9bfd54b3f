import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import { contentHash } from '../canonical-json.js';
import type { CairnetDatabase } from '../schema.js';

/** A survey: a questionnaire's name, with what kind of responses it takes and where its texts are. */
export interface Survey {
  name: string;
  title: { fr: string; en: string } | null;
  languages: string[];
  /** 'demo': synthetic responses only; 'survey': real responses only. */
  kind: 'survey' | 'demo';
  /** The directory under `instruments/` with its plan and texts, or null. */
  source: string | null;
  createdAt: string;
}

/** A survey name: also a path segment and a directory name, so kept to letters, digits, - and _. */
export const SURVEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

function toSurvey(row: CairnetDatabase['surveys']): Survey {
  return {
    name: row.name,
    title: row.title ? (JSON.parse(row.title) as { fr: string; en: string }) : null,
    languages: JSON.parse(row.languages) as string[],
    kind: row.kind === 'demo' ? 'demo' : 'survey',
    source: row.source,
    createdAt: row.created_at,
  };
}

export async function findSurvey(db: Kysely<CairnetDatabase>, name: string): Promise<Survey | undefined> {
  const row = await db.selectFrom('surveys').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toSurvey(row) : undefined;
}

export async function listSurveys(db: Kysely<CairnetDatabase>): Promise<Survey[]> {
  const rows = await db.selectFrom('surveys').selectAll().orderBy('name').execute();
  return rows.map(toSurvey);
}

/**
 * Makes sure a survey row exists (first writer wins; an existing survey keeps its settings,
 * except its title and source, refreshed when given). A name already used by a survey of the
 * other kind is refused: a demonstration never shares a name with a real survey.
 */
export async function ensureSurvey(
  db: Kysely<CairnetDatabase>,
  s: Pick<Survey, 'name' | 'kind'> & Partial<Pick<Survey, 'title' | 'languages' | 'source'>>,
): Promise<Survey> {
  const existing = await findSurvey(db, s.name);
  if (existing) {
    if (existing.kind !== s.kind) throw kindConflict(existing);
    return existing;
  }
  const row = {
    name: s.name,
    title: s.title ? JSON.stringify(s.title) : null,
    languages: JSON.stringify(s.languages ?? ['fr', 'en']),
    kind: s.kind,
    source: s.source ?? null,
    created_at: new Date().toISOString(),
  };
  await db
    .insertInto('surveys')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = (await findSurvey(db, s.name))!;
  if (stored.kind !== s.kind) throw kindConflict(stored);
  return stored;
}

function kindConflict(existing: Survey) {
  return existing.kind === 'demo'
    ? cairnetError(
        'CAIRNET_SURVEY_REAL_REFUSED',
        `"${existing.name}" is a demonstration survey: it holds synthetic responses only`,
      )
    : cairnetError(
        'CAIRNET_SURVEY_SYNTHETIC_REFUSED',
        `"${existing.name}" is a real survey: it takes no synthetic responses (use a demonstration survey such as cairnet-demo)`,
      );
}

/** How many completed responses of a survey are synthetic, and how many are not. */
export async function responseKinds(
  db: Kysely<CairnetDatabase>,
  name: string,
): Promise<{ synthetic: number; real: number }> {
  const rows = await db
    .selectFrom('responses')
    .select(['synthetic', (eb) => eb.fn.countAll().as('n')])
    .where('instrument_name', '=', name)
    .groupBy('synthetic')
    .execute();
  let synthetic = 0;
  let real = 0;
  for (const r of rows) {
    if (Number(r.synthetic) === 1) synthetic += Number(r.n);
    else real += Number(r.n);
  }
  return { synthetic, real };
}

/**
 * Which survey's questionnaire a demonstration survey's synthetic responses were drawn from:
 * the `from` of their metadata (`cairnet demo --from SURVEY`), `cairnet` for Cairnet's own panel
 * (which names none); undefined when it holds no synthetic response. Every write checks it, so
 * one response tells for all.
 */
export async function syntheticResponsesOrigin(
  db: Kysely<CairnetDatabase>,
  name: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('responses')
    .select('meta')
    .where('instrument_name', '=', name)
    .where('synthetic', '<>', 0)
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const meta = row.meta ? (JSON.parse(row.meta) as Record<string, unknown>) : {};
  return typeof meta.from === 'string' ? meta.from : 'cairnet';
}

/**
 * Deletes a demonstration survey and everything it holds (responses, drafts, questionnaire
 * versions, plans, publication), in one transaction; a real survey is refused.
 */
export async function removeDemoSurvey(db: Kysely<CairnetDatabase>, name: string): Promise<number> {
  const survey = await findSurvey(db, name);
  if (!survey) throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No survey named "${name}"`);
  if (survey.kind !== 'demo')
    throw cairnetError(
      'CAIRNET_SURVEY_NOT_DEMO',
      `"${name}" is not a demonstration survey: \`cairnet demo --remove\` deletes demonstration surveys only`,
    );
  return db.transaction().execute(async (trx) => {
    const { real } = await responseKinds(trx, name);
    if (real > 0) throw kindConflict({ ...survey, kind: 'survey' });
    const gone = await trx.deleteFrom('responses').where('instrument_name', '=', name).executeTakeFirst();
    await trx.deleteFrom('drafts').where('instrument_name', '=', name).execute();
    await trx.deleteFrom('instruments').where('name', '=', name).execute();
    await trx.deleteFrom('survey_plans').where('survey', '=', name).execute();
    await trx
      .withTables<{ publications: { instrument: string } }>()
      .deleteFrom('publications')
      .where('instrument', '=', name)
      .execute();
    await trx.deleteFrom('surveys').where('name', '=', name).execute();
    return Number(gone.numDeletedRows);
  });
}

/** A stored version of a survey's analysis plan. */
export interface StoredPlan {
  survey: string;
  version: number;
  hash: string;
  yaml: string;
  createdAt: string;
}

/** Stores a plan's text as the survey's next plan version (the same text twice keeps one version). */
export async function saveSurveyPlan(
  db: Kysely<CairnetDatabase>,
  survey: string,
  yaml: string,
): Promise<{ plan: StoredPlan; created: boolean }> {
  const hash = contentHash({ yaml });
  return db.transaction().execute(async (trx) => {
    const last = await latestSurveyPlan(trx, survey);
    if (last?.hash === hash) return { plan: last, created: false };
    const row = {
      id: randomUUID(),
      survey,
      version: (last?.version ?? 0) + 1,
      hash,
      yaml,
      created_at: new Date().toISOString(),
    };
    await trx.insertInto('survey_plans').values(row).execute();
    return { plan: { survey, version: row.version, hash, yaml, createdAt: row.created_at }, created: true };
  });
}

/** The newest stored plan of a survey, or undefined. */
export async function latestSurveyPlan(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<StoredPlan | undefined> {
  const row = await db
    .selectFrom('survey_plans')
    .selectAll()
    .where('survey', '=', survey)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        survey: row.survey,
        version: Number(row.version),
        hash: row.hash,
        yaml: row.yaml,
        createdAt: row.created_at,
      }
    : undefined;
}

/** A survey's stored plan versions, newest first (without their text). */
export async function listSurveyPlans(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<Omit<StoredPlan, 'yaml'>[]> {
  const rows = await db
    .selectFrom('survey_plans')
    .select(['survey', 'version', 'hash', 'created_at'])
    .where('survey', '=', survey)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    survey: r.survey,
    version: Number(r.version),
    hash: r.hash,
    createdAt: r.created_at,
  }));
}

/**
 * The survey the team's dashboard shows when none is asked for: `cairnet` when it holds
 * responses, else another real survey holding some, else a demonstration survey holding some
 * (what a newcomer sees after `npm start`), else `cairnet`. One indexed lookup per survey.
 */
export async function dashboardSurvey(db: Kysely<CairnetDatabase>): Promise<string> {
  const surveys = await listSurveys(db);
  const order = [
    ...surveys.filter((s) => s.name === 'cairnet'),
    ...surveys.filter((s) => s.kind === 'survey' && s.name !== 'cairnet'),
    ...surveys.filter((s) => s.kind === 'demo'),
  ];
  for (const s of order) {
    const any = await db
      .selectFrom('responses')
      .select('id')
      .where('instrument_name', '=', s.name)
      .limit(1)
      .executeTakeFirst();
    if (any) return s.name;
  }
  return 'cairnet';
}

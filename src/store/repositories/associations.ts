/**
 * The association registry and the reviewers' decisions in the store, and what they feed:
 * the stored responses' association mentions reconciled with the stored registry and decisions.
 *
 * @example
 * await ensureRegistry(db);
 * await recordDecision(db, { kind: 'accept', mention: 'les myopathes', entryId: 'R001' }, userId);
 * const { mentions } = await reconcileStoredMentions(db);
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import {
  type CitationCount,
  citedAssociations,
  distinctAssociations,
  mostCited,
  type ResponseAssociations,
  type ResponseMentions,
  responseMentions,
} from '../../associations/citations.js';
import type { Decision } from '../../associations/decision.js';
import { createReconciler, type ReconciledMention } from '../../associations/reconcile.js';
import type { RegistryEntry } from '../../associations/registry-entry.js';
import { mentionKey } from '../../associations/registry-matcher.js';
import { loadSeedRegistry } from '../../associations/seed-registry.js';
import type { CairnetDatabase } from '../schema.js';
import {
  activeDecisions,
  type DecisionContext,
  MAX_TEXT,
  type StoredDecision,
  storeDecision,
  storeUndo,
} from './association-decisions.js';
import { recordAudit } from './users.js';

export {
  activeDecisions,
  checkDecision,
  type DecisionContext,
  listDecisions,
  type StoredDecision,
} from './association-decisions.js';

type Db = Kysely<CairnetDatabase>;

function toEntry(r: CairnetDatabase['association_entries']): RegistryEntry {
  return {
    id: r.id,
    name: r.name,
    acronyms: JSON.parse(r.acronyms) as string[],
    aliases: JSON.parse(r.aliases) as string[],
    area: r.area,
    origin: r.origin === 'real' ? 'real' : 'invented',
  };
}

function toRow(e: RegistryEntry, position: number, now: string): CairnetDatabase['association_entries'] {
  return {
    id: e.id.slice(0, 100),
    name: e.name.slice(0, MAX_TEXT),
    acronyms: JSON.stringify(e.acronyms.map((a) => a.slice(0, MAX_TEXT))),
    aliases: JSON.stringify(e.aliases.map((a) => a.slice(0, MAX_TEXT))),
    area: e.area.slice(0, MAX_TEXT),
    origin: e.origin,
    position,
    updated_at: now,
  };
}

/** Seeds the registry from the built-in one when the store holds no entry yet. */
export async function ensureRegistry(db: Db): Promise<void> {
  const row = await db
    .selectFrom('association_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  if (Number(row?.n ?? 0) > 0) return;
  const now = new Date().toISOString();
  const rows = loadSeedRegistry().map((e, i) => toRow(e, i, now));
  try {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) {
        await trx
          .insertInto('association_entries')
          .values(rows.slice(i, i + 100))
          .execute();
      }
    });
  } catch (e) {
    // Another server seeded it at the same time: fine if the registry is there now.
    const again = await db
      .selectFrom('association_entries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    if (Number(again?.n ?? 0) === 0) throw e;
  }
}

/** The stored registry, in its order (seeded entries first, then imported or created ones). */
export async function listRegistry(db: Db): Promise<RegistryEntry[]> {
  await ensureRegistry(db);
  const rows = await db
    .selectFrom('association_entries')
    .selectAll()
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}

/**
 * Adds or replaces registry entries (by id), e.g. from a registry CSV, in one transaction, and
 * records it in the audit log. Returns how many were added and how many replaced.
 */
export async function importRegistry(
  db: Db,
  entries: readonly RegistryEntry[],
  userId: string | null,
): Promise<{ added: number; replaced: number }> {
  await ensureRegistry(db);
  const now = new Date().toISOString();
  let added = 0;
  let replaced = 0;
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('association_entries')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirst();
    let position = Number(last?.p ?? -1) + 1;
    for (const e of entries) {
      const existing = await trx
        .selectFrom('association_entries')
        .select(['position'])
        .where('id', '=', e.id)
        .executeTakeFirst();
      if (existing) {
        const { id, position: _p, ...rest } = toRow(e, existing.position, now);
        await trx.updateTable('association_entries').set(rest).where('id', '=', id).execute();
        replaced++;
      } else {
        await trx
          .insertInto('association_entries')
          .values(toRow(e, position++, now))
          .execute();
        added++;
      }
    }
  });
  changed(db);
  await recordAudit(db, {
    userId,
    action: 'associations.registry.import',
    detail: JSON.stringify({ added, replaced }),
  });
  return { added, replaced };
}

/** The association mentions of the stored responses (`data.associations: [{name}]`). */
export async function storedResponseMentions(db: Db): Promise<ResponseMentions[]> {
  // only the panel of names leaves the database, not every answer of every response
  const panel =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql<unknown>`case when jsonb_typeof(answers -> 'associations') = 'array' then answers -> 'associations' end`
      : sql<unknown>`case when json_type(data, '$.associations') = 'array' then json_extract(data, '$.associations') end`;
  const rows = await db
    .selectFrom('responses')
    .select(['id', 'completed_at', panel.as('associations')])
    .orderBy('completed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    let list: unknown = r.associations;
    if (typeof list === 'string') {
      try {
        list = JSON.parse(list);
      } catch {
        list = undefined;
      }
    }
    const mentions = Array.isArray(list)
      ? list.flatMap((a) => {
          const name = (a as { name?: unknown } | null)?.name;
          return typeof name === 'string' && name.trim() !== '' ? [name] : [];
        })
      : [];
    return { responseId: r.id, mentions, ...(r.completed_at ? { at: r.completed_at } : {}) };
  });
}

/** What the stored responses' mentions give once reconciled with the stored registry and decisions. */
export interface StoredReconciliation {
  registry: readonly RegistryEntry[];
  responses: ResponseMentions[];
  mentions: ReconciledMention[];
  /** The derived variable: the associations each response cites. */
  cited: ResponseAssociations[];
  /** F6: how many distinct associations are cited. */
  distinct: number;
  mostCited: CitationCount[];
}

/**
 * Reconciles the stored responses' mentions with the stored registry and decisions: the derived
 * variable (reconciled association ids per response), the count of distinct associations (F6)
 * and the most cited ones.
 */
export async function reconcileStoredMentions(db: Db, top = 10): Promise<StoredReconciliation> {
  const registry = await listRegistry(db);
  const decisions = await activeDecisions(db);
  const responses = await storedResponseMentions(db);
  const reconciler = createReconciler(registry, decisions);
  const mentions = reconciler.reconcile(responseMentions(responses));
  const cited = citedAssociations(responses, mentions);
  return {
    registry: reconciler.registry,
    responses,
    mentions,
    cited,
    distinct: distinctAssociations(cited),
    mostCited: mostCited(cited, top),
  };
}

/** What a new decision is checked against, from a reconciliation of the store. */
export function decisionContextOf(r: StoredReconciliation): DecisionContext {
  return {
    entryIds: new Set(r.registry.map((e) => e.id)),
    mentionKeys: new Set(r.mentions.map((m) => m.key).filter((k) => k !== '')),
  };
}

/**
 * F6 as the reconciliation of the store gives it: the number of distinct associations (entries
 * or candidate groups) among the given texts, each text counted where the stored mentions with
 * that text stand once the decisions are replayed. A text no stored response cites is reconciled
 * on its own against the registry as the decisions left it.
 */
export function distinctNamesOf(r: StoredReconciliation): (texts: readonly string[]) => number {
  const groupsOf = new Map<string, Set<string>>();
  const texts = r.responses.flatMap((x) => x.mentions);
  texts.forEach((text, i) => {
    const t = text.trim();
    const set = groupsOf.get(t) ?? new Set<string>();
    set.add(r.mentions[i]?.group ?? 'empty');
    groupsOf.set(t, set);
  });
  return (texts) => {
    const groups = new Set<string>();
    const unknown: string[] = [];
    for (const raw of new Set(texts.map((t) => t.trim()))) {
      if (raw === '' || mentionKey(raw) === '') continue;
      const set = groupsOf.get(raw);
      if (set) {
        for (const g of set) if (g !== 'empty') groups.add(g);
      } else unknown.push(raw);
    }
    if (unknown.length > 0) {
      const rec = createReconciler(r.registry).reconcile(unknown.sort().map((text) => ({ text })));
      for (const m of rec) if (m.group !== 'empty') groups.add(m.group);
    }
    return groups.size;
  };
}

/**
 * {@link reconcileStoredMentions} kept while nothing it reads has changed: before each use, one
 * cheap query per table (responses, which are never updated, only added; decisions, only
 * added; registry entries, dated when changed) says whether the stored reconciliation is still
 * the current one. Pages showing the associations, the network and the dashboard's most cited
 * then cost a reconciliation only after new responses, decisions or registry changes.
 */
export class StoredReconciliationCache {
  private key: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private readonly byTop = new Map<number, Promise<StoredReconciliation>>();

  /**
   * @param checkMs how long a check stays good (the count of responses is a scan on PostgreSQL):
   *   another server's changes show within that delay, this server's at once ({@link invalidate}).
   */
  constructor(
    private readonly db: Db,
    private readonly checkMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** After a change made here (a decision, a registry import): the next use checks the store. */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async fingerprint(): Promise<string> {
    await ensureRegistry(this.db); // seeded on first use: before, not during, the reconciliation
    const [responses, associations] = await Promise.all([
      this.db
        .selectFrom('responses')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('completed_at').as('last')])
        .executeTakeFirst(),
      associationsFingerprint(this.db),
    ]);
    return JSON.stringify([String(responses?.n), String(responses?.last), associations]);
  }

  /** The current reconciliation, with the `top` most cited associations. */
  async get(top = 10): Promise<StoredReconciliation> {
    const t = this.now();
    if (this.key === undefined || t - this.checkedAt >= this.checkMs) {
      const key = await this.fingerprint();
      this.checkedAt = t;
      if (key !== this.key) {
        this.key = key;
        this.byTop.clear();
      }
    }
    let value = this.byTop.get(top);
    if (!value) {
      value = reconcileStoredMentions(this.db, top);
      this.byTop.set(top, value);
      value.catch(() => {
        if (this.byTop.get(top) === value) this.byTop.delete(top);
      });
    }
    return value;
  }
}

/**
 * What the decisions and the registry are now, in one cheap query each (decisions are only added
 * or marked undone; registry entries are dated when changed): equal strings, same reconciliation
 * for the same responses.
 */
export async function associationsFingerprint(db: Db): Promise<string> {
  const [decisions, entries] = await Promise.all([
    db
      .selectFrom('association_decisions')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.max('seq').as('last'),
        eb.fn.count('undone_at').as('undone'),
      ])
      .executeTakeFirst(),
    db
      .selectFrom('association_entries')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('last')])
      .executeTakeFirst(),
  ]);
  return [decisions?.n, decisions?.last, decisions?.undone, entries?.n, entries?.last].map(String).join('/');
}

const listeners = new WeakMap<Db, Set<() => void>>();

/**
 * Calls `listener` after each decision, undo or registry import made through this handle (e.g.
 * to forget results that count associations). Returns a function that removes it.
 */
export function onAssociationsChanged(db: Db, listener: () => void): () => void {
  const set = listeners.get(db) ?? new Set<() => void>();
  set.add(listener);
  listeners.set(db, set);
  return () => set.delete(listener);
}

function changed(db: Db): void {
  reconciliationCacheFor(db).invalidate();
  for (const l of listeners.get(db) ?? []) l();
}

const caches = new WeakMap<Db, StoredReconciliationCache>();

/**
 * The one {@link StoredReconciliationCache} of a database handle, shared by every route of an
 * app (review page, most cited, dashboard, network): a decision made through one route is seen
 * by all at once.
 */
export function reconciliationCacheFor(db: Db): StoredReconciliationCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new StoredReconciliationCache(db);
    caches.set(db, cache);
  }
  return cache;
}

/**
 * Records a reviewer's decision, checked against the store's current reconciliation (entries and
 * mentions that exist; see `checkDecision`): nothing is stored when it is refused. The shared
 * reconciliation is computed again at its next use.
 */
export async function recordDecision(
  db: Db,
  decision: Decision,
  userId: string | null,
): Promise<StoredDecision> {
  const cache = reconciliationCacheFor(db);
  cache.invalidate();
  const stored = await storeDecision(db, decision, userId, async () => decisionContextOf(await cache.get()));
  changed(db);
  return stored;
}

/** Undoes a decision (see `storeUndo`); the shared reconciliation is computed again at its next use. */
export async function undoDecision(db: Db, id: string, userId: string | null): Promise<StoredDecision> {
  const undone = await storeUndo(db, id, userId);
  changed(db);
  return undone;
}

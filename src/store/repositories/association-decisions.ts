/**
 * The reviewers' decisions in the store: an ordered log (`seq`), each with who and when, and
 * when it was undone and by whom. The replay (src/associations/replay-decisions.ts) reads the
 * decisions not undone, in order.
 *
 * @example
 * const d = await storeDecision(db, { kind: 'accept', mention: 'les myopathes', entryId: 'R001' }, userId);
 * await storeUndo(db, d.id, userId);
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Decision, decisionEntryId, namedMentions } from '../../associations/decision.js';
import type { LoggedDecision } from '../../associations/reconcile.js';
import { mentionKey } from '../../associations/registry-matcher.js';
import { cairnetError } from '../../errors.js';
import type { CairnetDatabase } from '../schema.js';
import { recordAudit } from './users.js';

type Db = Kysely<CairnetDatabase>;

/** Longest text stored from a reviewer (names, mentions in decisions). */
export const MAX_TEXT = 300;

/** A decision as stored: the decision, who took it and when, and whether it was undone. */
export interface StoredDecision {
  id: string;
  seq: number;
  kind: Decision['kind'];
  decision: Decision;
  userId: string | null;
  /** The e-mail of who took it (null from the command line or once the user is gone). */
  userEmail: string | null;
  at: string;
  /** When it was undone (null while it applies) and by whom. */
  undoneAt: string | null;
  undoneBy: string | null;
  undoneByEmail: string | null;
}

function cut(d: Decision): Decision {
  const t = (s: string) => s.slice(0, MAX_TEXT);
  switch (d.kind) {
    case 'accept':
      return 'mentions' in d
        ? { kind: 'accept', mentions: d.mentions.slice(0, 1000).map(t), entryId: t(d.entryId) }
        : { kind: 'accept', mention: t(d.mention), entryId: t(d.entryId) };
    case 'reject':
    case 'alias':
      return { kind: d.kind, mention: t(d.mention), entryId: t(d.entryId) };
    case 'merge':
      return { kind: 'merge', mentions: [t(d.mentions[0]), t(d.mentions[1])] };
    case 'split':
      return { kind: 'split', mentions: d.mentions.slice(0, 1000).map(t) };
    case 'create':
      return {
        kind: 'create',
        entry: {
          id: t(d.entry.id),
          name: t(d.entry.name),
          acronyms: d.entry.acronyms.slice(0, 20).map(t),
          aliases: d.entry.aliases.slice(0, 20).map(t),
          area: t(d.entry.area),
          origin: d.entry.origin,
        },
        mentions: d.mentions.slice(0, 1000).map(t),
      };
  }
}

type Row = CairnetDatabase['association_decisions'] & {
  user_email: string | null;
  undone_by_email: string | null;
};

function toStored(r: Row): StoredDecision {
  const decision = JSON.parse(r.decision) as Decision;
  return {
    id: r.id,
    seq: Number(r.seq),
    kind: decision.kind,
    decision,
    userId: r.user_id,
    userEmail: r.user_email ?? null,
    at: r.at,
    undoneAt: r.undone_at ?? null,
    undoneBy: r.undone_by ?? null,
    undoneByEmail: r.undone_by_email ?? null,
  };
}

/** Every decision, in the order taken, the undone ones included (marked). */
export async function listDecisions(db: Db | Kysely<CairnetDatabase>): Promise<StoredDecision[]> {
  const rows = await db
    .selectFrom('association_decisions as d')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .leftJoin('users as v', 'v.id', 'd.undone_by')
    .selectAll('d')
    .select(['u.email as user_email', 'v.email as undone_by_email'])
    .orderBy('d.seq')
    .execute();
  return rows.map(toStored);
}

/** The log the replay reads: the decisions not undone, in order, with when they were taken. */
export async function activeDecisions(db: Db): Promise<LoggedDecision[]> {
  return (await listDecisions(db))
    .filter((d) => d.undoneAt === null)
    .map((d) => ({ decision: d.decision, at: d.at }));
}

/** What a new decision is checked against: the entries and the mention keys that exist. */
export interface DecisionContext {
  /** Ids of the registry entries, those created by decisions included. */
  entryIds: ReadonlySet<string>;
  /** The normalised texts of the stored responses' mentions. */
  mentionKeys: ReadonlySet<string>;
}

/**
 * Refuses a decision naming an entry or a mention that does not exist, a merge of a mention with
 * itself, or a `create` of an id already taken: nothing is stored then.
 */
export function checkDecision(d: Decision, ctx: DecisionContext): void {
  const entryId = decisionEntryId(d);
  if (d.kind === 'create') {
    if (ctx.entryIds.has(d.entry.id)) {
      throw cairnetError('CAIRNET_ASSOCIATION_EXISTS', `registry entry ${d.entry.id} exists`);
    }
  } else if (entryId !== undefined && !ctx.entryIds.has(entryId)) {
    throw cairnetError('CAIRNET_ASSOCIATION_NOT_FOUND', `no registry entry ${entryId}`);
  }
  const names = namedMentions(d);
  const unknown = names.filter((m) => {
    const k = mentionKey(m);
    return k === '' || !ctx.mentionKeys.has(k);
  });
  if (unknown.length > 0) {
    throw cairnetError(
      'CAIRNET_MENTION_UNKNOWN',
      `no stored response cites ${JSON.stringify(unknown[0])}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''}`,
      { mentions: unknown.slice(0, 20) },
    );
  }
  if (d.kind === 'merge' && mentionKey(d.mentions[0]) === mentionKey(d.mentions[1])) {
    throw cairnetError('CAIRNET_DECISION_INVALID', 'a merge needs two different mentions');
  }
}

/**
 * Records a reviewer's decision after the others (decisions are replayed in order) once
 * {@link checkDecision} accepts it, and writes the audit log. Returns the stored decision.
 */
export async function storeDecision(
  db: Db,
  decision: Decision,
  userId: string | null,
  context: () => Promise<DecisionContext>,
): Promise<StoredDecision> {
  const d = cut(decision);
  checkDecision(d, await context());
  const at = new Date().toISOString();
  const id = randomUUID();
  let seq = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      seq = await db.transaction().execute(async (trx) => {
        if (d.kind === 'create') {
          // two reviewers creating the same id at once: the second is refused here
          const taken = (await listDecisions(trx)).some(
            (x) => x.undoneAt === null && x.decision.kind === 'create' && x.decision.entry.id === d.entry.id,
          );
          if (taken) throw cairnetError('CAIRNET_ASSOCIATION_EXISTS', `registry entry ${d.entry.id} exists`);
        }
        const last = await trx
          .selectFrom('association_decisions')
          .select((eb) => eb.fn.max('seq').as('s'))
          .executeTakeFirst();
        const next = Number(last?.s ?? 0) + 1;
        await trx
          .insertInto('association_decisions')
          .values({
            id,
            seq: next,
            kind: d.kind,
            decision: JSON.stringify(d),
            user_id: userId,
            at,
            undone_at: null,
            undone_by: null,
          })
          .execute();
        return next;
      });
      break;
    } catch (e) {
      // Two reviewers deciding at once collide on `seq`: take the next number.
      if ((e as { code?: string }).code?.startsWith('CAIRNET_') || attempt >= 4) throw e;
    }
  }
  await recordAudit(db, {
    userId,
    action: `associations.decision.${d.kind}`,
    target: id,
    detail: JSON.stringify(d),
  });
  const [stored] = (await listDecisions(db)).filter((x) => x.id === id);
  return (
    stored ?? {
      id,
      seq,
      kind: d.kind,
      decision: d,
      userId,
      userEmail: null,
      at,
      undoneAt: null,
      undoneBy: null,
      undoneByEmail: null,
    }
  );
}

/**
 * Takes a decision back: the replay skips it from now on, so every mention stands as if it had
 * never been made. A `create` whose entry later decisions (still applying) name is refused
 * (`CAIRNET_DECISION_HAS_DEPENDANTS`, their ids in `details.dependants`): undo those first.
 * Audited as `associations.decision.undo`.
 */
export async function storeUndo(db: Db, id: string, userId: string | null): Promise<StoredDecision> {
  const undone = await db.transaction().execute(async (trx) => {
    const all = await listDecisions(trx);
    const target = all.find((d) => d.id === id);
    if (!target) throw cairnetError('CAIRNET_DECISION_NOT_FOUND', `no decision ${id}`);
    if (target.undoneAt !== null) {
      throw cairnetError(
        'CAIRNET_DECISION_ALREADY_UNDONE',
        `decision ${id} was undone at ${target.undoneAt}`,
      );
    }
    const created = target.decision.kind === 'create' ? target.decision.entry.id : undefined;
    const dependants = all.filter(
      (d) =>
        d.seq > target.seq &&
        d.undoneAt === null &&
        created !== undefined &&
        decisionEntryId(d.decision) === created,
    );
    if (dependants.length > 0) {
      throw cairnetError(
        'CAIRNET_DECISION_HAS_DEPENDANTS',
        `${dependants.length} later decision(s) use the entry ${created}: undo them first`,
        { dependants: dependants.map((d) => ({ id: d.id, kind: d.kind })) },
      );
    }
    const at = new Date().toISOString();
    const res = await trx
      .updateTable('association_decisions')
      .set({ undone_at: at, undone_by: userId })
      .where('id', '=', id)
      .where('undone_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw cairnetError('CAIRNET_DECISION_ALREADY_UNDONE', `decision ${id} was undone meanwhile`);
    }
    return { ...target, undoneAt: at, undoneBy: userId, undoneByEmail: null };
  });
  await recordAudit(db, {
    userId,
    action: 'associations.decision.undo',
    target: id,
    detail: JSON.stringify({ kind: undone.kind, seq: undone.seq }),
  });
  return undone;
}

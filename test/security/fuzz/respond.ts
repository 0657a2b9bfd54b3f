import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { ensureCairnetInstrument } from '../../../src/server/bootstrap.js';
import { buildApp } from '../../../src/server/build-app.js';
import { tokenHash } from '../../../src/store/canonical-json.js';
import type { Store } from '../../../src/store/open-store.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../../helpers/cairnet-answers.js';
import { ACCEPTED, checkedCode, FuzzFinding, type FuzzOutcome } from './finding.js';
import { hostileKey, hostileString, hostileValue, setOwn, sometimes } from './hostile.js';
import { watchStoreWrites } from './store-writes.js';

/** Resume and invitation tokens the harness stores before the run, so that cases can hit them. */
export const TOKENS = {
  draft: 'fuzzDraftToken_0123456789abcdef',
  completedDraft: 'fuzzCompletedDraft_0123456789ab',
  invitation: 'fuzzInvitationToken_0123456789abcdef',
  completedInvitation: 'fuzzCompletedInvitation_0123456789ab',
} as const;

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...Object.values(TOKENS)) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'),
      minLength: 20,
      maxLength: 130,
    }),
  },
  { weight: 1, arbitrary: hostileString },
);

const ANSWER_PATHS = [
  ...Object.keys(ongoingFundedAnswers()).map((k) => [k]),
  ['opinion', 'best_placed'],
  ['opinion', 'x'],
  ['benefit', 'funding'],
  ['associations', '0', 'name'],
  ['associations', '5'],
  ['funding_use', '0'],
  ['activities', '9'],
];

/** A valid response with one to four answers replaced, added (any key) or removed. */
export const mutatedAnswers = fc
  .tuple(
    fc.constantFrom(neverMetAnswers, ongoingFundedAnswers, () => ({})),
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...ANSWER_PATHS) },
          { weight: 1, arbitrary: hostileKey.map((k) => [k]) },
        ),
        fc.option(hostileValue, { nil: undefined, freq: 5 }),
      ),
      { minLength: 0, maxLength: 4 },
    ),
  )
  .map(([base, changes]) => {
    const data = structuredClone(base()) as Record<string, unknown>;
    for (const [path, value] of changes) {
      // Copy on the way down: the hostile values are shared between cases (and may be thousands
      // of levels deep), so nothing they hold is ever changed; only fresh copies are.
      let node: unknown = data;
      for (const k of path.slice(0, -1)) {
        if (node === null || typeof node !== 'object') break;
        const child = (node as Record<string, unknown>)[k];
        const copy =
          child === null || typeof child !== 'object'
            ? child
            : Array.isArray(child)
              ? [...child]
              : { ...child };
        if (copy !== child) setOwn(node as Record<string, unknown>, k, copy);
        node = copy;
      }
      if (node === null || typeof node !== 'object') continue;
      const last = path.at(-1)!;
      if (value === undefined) delete (node as Record<string, unknown>)[last];
      else setOwn(node as Record<string, unknown>, last, value);
    }
    return data;
  });

/** A submission body: the answers, and now and then hostile or known keys, tokens, locales, dates. */
const responseBody = fc
  .record({
    data: fc.oneof({ weight: 9, arbitrary: mutatedAnswers }, { weight: 1, arbitrary: hostileValue }),
    idempotencyKey: sometimes(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('key-1', 'key-2', 'key:3.x', 'seed-1', 'seed-2') },
        { weight: 3, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('ü', '', 'k'.repeat(129)), hostileString) },
      ),
      35,
    ),
    resumeToken: sometimes(token, 20),
    invitationToken: sometimes(token, 10),
    locale: sometimes(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('fr', 'en') },
        { weight: 1, arbitrary: fc.constantFrom('de', '') },
        { weight: 1, arbitrary: hostileString },
      ),
      25,
    ),
    startedAt: sometimes(
      fc.oneof(
        fc.constantFrom('2026-01-01T00:00:00Z', '9999-99-99', '+275760-09-13T00:00:00.001Z'),
        hostileString,
      ),
      15,
    ),
    extra: sometimes(fc.tuple(hostileKey, hostileValue), 5),
  })
  .map(({ extra, ...body }) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
    if (extra) setOwn(out, extra[0], extra[1]);
    return out;
  });

/** A request to one of the respondent endpoints: a JSON body, or raw bytes. */
export interface RespondCase {
  token?: string;
  /** Put in the URL as it is, not percent-encoded: broken escapes, invalid UTF-8, dot segments. */
  rawToken?: string | undefined;
  payload: string;
  contentType: string;
}

const rawPayload = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
  fc.string({ maxLength: 100 }).map((s) => `{"data":{${s}`),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
);

export const responseCase: fc.Arbitrary<RespondCase> = fc.oneof(
  {
    weight: 8,
    arbitrary: responseBody.map((b) => ({ payload: JSON.stringify(b), contentType: 'application/json' })),
  },
  { weight: 2, arbitrary: fc.record({ payload: rawPayload, contentType }) },
);

export const draftCase: fc.Arbitrary<RespondCase> = fc.record({
  token,
  rawToken: sometimes(
    fc.constantFrom(
      '%',
      '%zz',
      '%ED%A0%80',
      '%C0%AF',
      '%00',
      '..%2F..%2Fresponses',
      'a/b',
      '?x=1',
      '#',
      ';x',
    ),
    5,
  ),
  contentType: fc.oneof(
    { weight: 9, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: contentType },
  ),
  payload: fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .record({
          data: fc.oneof({ weight: 9, arbitrary: mutatedAnswers }, { weight: 1, arbitrary: hostileValue }),
          pageNo: sometimes(
            fc.oneof(
              { weight: 8, arbitrary: fc.integer({ min: -5, max: 1005 }) },
              { weight: 1, arbitrary: hostileValue },
            ),
            60,
          ),
          locale: sometimes(
            fc.oneof(
              { weight: 8, arbitrary: fc.constantFrom('fr', 'en') },
              { weight: 1, arbitrary: hostileString },
            ),
            25,
          ),
          extra: sometimes(fc.tuple(hostileKey, hostileValue), 5),
        })
        .map(({ extra, ...body }) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
          if (extra) setOwn(out, extra[0], extra[1]);
          return JSON.stringify(out);
        }),
    },
    { weight: 2, arbitrary: rawPayload },
  ),
});

/** The app on a store with a draft, a completed draft, an invitation and a completed one. */
export async function respondHarness(store: Store) {
  await ensureCairnetInstrument(store);
  const app: FastifyInstance = await buildApp({ store, openSubmitRate: 0 });
  await seedTokens(app, store);
  const writes = await watchStoreWrites(store);

  const answer = async (res: { statusCode: number; body: string }, context: string): Promise<FuzzOutcome> => {
    let body: { code?: unknown };
    try {
      body = JSON.parse(res.body) as { code?: unknown };
    } catch {
      throw new FuzzFinding('code', `${context}: ${res.statusCode} with a body that is not JSON`);
    }
    if (res.statusCode >= 500)
      throw new FuzzFinding('500', `${context}: ${res.statusCode} ${res.body.slice(0, 500)}`);
    return checkedCode(body.code, `${context} (${res.statusCode})`);
  };

  // Drafts known to be completed: completing one again is a replay of its first submission or a 409.
  const completedDrafts = new Set<string>([TOKENS.completedDraft]);
  const resumeTokenOf = (payload: string): unknown => {
    try {
      return (JSON.parse(payload) as { resumeToken?: unknown } | null)?.resumeToken;
    } catch {
      return undefined;
    }
  };

  return {
    app,
    async response(c: RespondCase): Promise<FuzzOutcome> {
      const before = await writes();
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        headers: { 'content-type': c.contentType },
        payload: c.payload,
      });
      if (res.statusCode === 201) {
        const replayed = res.headers['idempotent-replayed'] === 'true';
        if (!replayed && (await writes()) === before) {
          throw new FuzzFinding('invariant', `201 but nothing was stored: ${res.body}`);
        }
        const resumeToken = resumeTokenOf(c.payload);
        if (resumeToken === TOKENS.draft || resumeToken === TOKENS.completedDraft) {
          if (!replayed && completedDrafts.has(resumeToken)) {
            throw new FuzzFinding('invariant', 'a completed draft was completed again (a second response)');
          }
          completedDrafts.add(resumeToken);
        }
        return ACCEPTED;
      }
      const outcome = await answer(res, 'POST responses');
      if ((await writes()) !== before) {
        throw new FuzzFinding(
          'store',
          `refused (${res.statusCode} ${res.body.slice(0, 300)}) yet the store changed`,
        );
      }
      return outcome;
    },
    async draft(c: RespondCase): Promise<FuzzOutcome> {
      const before = await writes();
      const res = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${c.rawToken ?? percentEncoded(c.token ?? '')}`,
        headers: { 'content-type': c.contentType },
        payload: c.payload,
      });
      if (res.statusCode === 200) return ACCEPTED;
      const outcome = await answer(res, 'PUT drafts');
      if ((await writes()) !== before) {
        throw new FuzzFinding(
          'store',
          `refused (${res.statusCode} ${res.body.slice(0, 300)}) yet the store changed`,
        );
      }
      return outcome;
    },
    close: () => app.close(),
  };
}

async function seedTokens(app: FastifyInstance, store: Store): Promise<void> {
  const put = (t: string) =>
    app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${t}`,
      payload: { data: { gender: 'woman' } },
    });
  await put(TOKENS.draft);
  await put(TOKENS.completedDraft);
  const done = await app.inject({
    method: 'POST',
    url: '/api/instruments/cairnet/responses',
    payload: { data: neverMetAnswers(), resumeToken: TOKENS.completedDraft, idempotencyKey: 'seed-1' },
  });
  if (done.statusCode !== 201) throw new Error(`seeding: ${done.body}`);
  const now = new Date().toISOString();
  const round = randomUUID();
  await store.db
    .insertInto('campaign_rounds')
    .values({ survey: 'cairnet', id: round, kind: 'invitation', created_at: now, finished_at: null })
    .execute();
  for (const [i, t] of [TOKENS.invitation, TOKENS.completedInvitation].entries()) {
    const person = randomUUID();
    await store.db
      .insertInto('campaign_people')
      .values({
        id: person,
        survey: 'cairnet',
        email_key: `key-${i}`,
        email: `person${i}@inserm.fr`,
        name: null,
        language: 'fr',
        pseudonym: randomUUID(),
        invited_at: now,
        opened_at: null,
        started_at: null,
        completed: 0,
        completed_at: null,
        opted_out_at: null,
        undeliverable_at: null,
        undeliverable_reason: null,
        erased_at: null,
        imported_at: now,
        updated_at: now,
      })
      .execute();
    await store.db
      .insertInto('campaign_messages')
      .values({
        id: randomUUID(),
        person_id: person,
        round_id: round,
        kind: 'invitation',
        token_hash: tokenHash(t),
        state: 'sent',
        created_at: now,
        attempted_at: now,
        sent_at: now,
        smtp_response: '250 OK',
        error: null,
      })
      .execute();
  }
  const invited = await app.inject({
    method: 'POST',
    url: '/api/instruments/cairnet/responses',
    payload: {
      data: neverMetAnswers(),
      invitationToken: TOKENS.completedInvitation,
      idempotencyKey: 'seed-2',
    },
  });
  if (invited.statusCode !== 201) throw new Error(`seeding: ${invited.body}`);
}

/** Percent-encodes a string as its (generalised) UTF-8 bytes: a lone surrogate becomes %ED%xx%xx. */
export function percentEncoded(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (c >= 0xd800 && c < 0xe000 && !pair) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      const ch = pair ? s.slice(i, i + 2) : s[i]!;
      if (pair) i++;
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

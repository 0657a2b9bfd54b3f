import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { UnlinkScrubber } from '../../campaign/anonymity-scrub.js';
import {
  consentRecord,
  invitationForDraft,
  prepareInvitedSubmission,
  utcDay,
} from '../../campaign/invitation-link.js';
import { type SurveyAccess, surveyAccess } from '../../campaign/survey-access.js';
import { cairnetError } from '../../errors.js';
import {
  entersQuota,
  type InstrumentQuota,
  multipleChoiceQuestions,
  quotaMessage,
  quotasOf,
  withoutQuotas,
} from '../../instrument/quotas.js';
import type { InstrumentJson } from '../../instrument/types.js';
import { validateAnswers } from '../../responses/validate-answers.js';
import { tokenHash } from '../../store/canonical-json.js';
import type { Store } from '../../store/open-store.js';
import { getDraft, saveDraft } from '../../store/repositories/drafts.js';
import { countOpenSubmission } from '../../store/repositories/open-submit-counts.js';
import { countQuotaResponses, lockQuotas } from '../../store/repositories/quotas.js';
import type { ResponseBatcher } from '../../store/repositories/response-batcher.js';
import { insertCompletedResponse } from '../../store/repositories/responses.js';
import type { CairnetDatabase } from '../../store/schema.js';
import type { InstrumentCache } from '../instrument-cache.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';

const RESUME_TOKEN = /^[A-Za-z0-9_-]{22,128}$/;
/** A language code (`fr`, `en`, `de`, `pt-br`…): an imported questionnaire may have any language. */
const LOCALE = { type: 'string', pattern: '^[a-z]{2,3}(-[a-zA-Z]{2,4})?$', maxLength: 10 } as const;

const nameParam = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
  required: ['name'],
} as const;

const draftParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, resumeToken: { type: 'string', maxLength: 200 } },
  required: ['name', 'resumeToken'],
} as const;

const responseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: { type: 'object' },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' },
    resumeToken: { type: 'string', maxLength: 128 },
    invitationToken: { type: 'string', maxLength: 200 },
    locale: LOCALE,
    startedAt: { type: 'string', maxLength: 40 },
  },
} as const;

const draftBody = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: { type: 'object' },
    pageNo: { type: 'integer', minimum: 0, maximum: 1000 },
    locale: LOCALE,
  },
} as const;

function checkResumeToken(token: string): string {
  if (!RESUME_TOKEN.test(token)) {
    throw cairnetError(
      'CAIRNET_DRAFT_TOKEN_INVALID',
      'A resume token is 22 to 128 characters of A-Z, a-z, 0-9, "-" or "_"',
    );
  }
  return tokenHash(token);
}

function quotaFull(quota: InstrumentQuota, locale: string) {
  return cairnetError('CAIRNET_QUOTA_FULL', quotaMessage(quota, locale), {
    quota: quota.name,
    action: quota.action,
  });
}

/** Open submissions a client address may make per minute: `CAIRNET_OPEN_SUBMIT_RATE` (20; 0 = no limit). */
export function openSubmitRateFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CAIRNET_OPEN_SUBMIT_RATE?.trim();
  if (raw === undefined || raw === '') return 20;
  if (!/^\d{1,9}$/.test(raw)) throw new Error(`CAIRNET_OPEN_SUBMIT_RATE="${raw}" is not a whole number`);
  return Number(raw);
}

export interface RespondDeps {
  db: Kysely<CairnetDatabase>;
  /** The store's dialect: how a quota is counted and locked. */
  dialect: Store['adapter']['name'];
  instruments: InstrumentCache;
  batcher: ResponseBatcher;
  /** Open submissions per client address and minute (0: no limit). */
  openSubmitRate: number;
  /** Scrubs the row versions that anonymous completions leave behind. */
  scrubber?: UnlinkScrubber | undefined;
  /** Told after an invited completion made a thank-you owed (the server's thank-you sender). */
  onThanksDue?: (() => void) | undefined;
}

/** The respondent's API: the questionnaire, drafts (save and resume) and completed responses. */
export function respondRoutes(app: FastifyInstance, deps: RespondDeps) {
  const { db, instruments, batcher, openSubmitRate } = deps;
  // A survey's access (open or by invitation) is re-read every 5 s, not at every submission.
  const accesses = new Map<string, { at: number; value: SurveyAccess }>();
  const accessOf = async (name: string) => {
    const hit = accesses.get(name);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = await surveyAccess(db, name);
    accesses.set(name, { at: Date.now(), value });
    return value;
  };
  /** Refuses a submission without a personal link to an invitation-only survey, and limits the rest. */
  const admitOpen = async (name: string, ip: string, reply: FastifyReply) => {
    if ((await accessOf(name)) === 'invitation') {
      throw cairnetError(
        'CAIRNET_INVITATION_REQUIRED',
        'This survey is answered by invitation only: open the personal link of your invitation e-mail',
      );
    }
    if (openSubmitRate <= 0) return;
    const now = new Date();
    if ((await countOpenSubmission(db, ip, now)) > openSubmitRate) {
      reply.header('retry-after', String(60 - now.getUTCSeconds()));
      throw cairnetError(
        'CAIRNET_OPEN_SUBMIT_RATE_LIMITED',
        `At most ${openSubmitRate} submissions a minute from one address on the open link; retry in a minute`,
      );
    }
  };
  // The consent record depends on the instrument and the campaign settings: re-read every 5 s,
  // not at every submission.
  const consents = new Map<string, { at: number; value: Awaited<ReturnType<typeof consentRecord>> }>();
  const consentFor = async (instrument: Parameters<typeof consentRecord>[1] & { hash: string }) => {
    const hit = consents.get(instrument.hash);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = await consentRecord(db, instrument);
    consents.set(instrument.hash, { at: Date.now(), value });
    return value;
  };

  // The questionnaire as respondents receive it (without its quotas), once per version.
  const served = new Map<string, Record<string, unknown>>();
  const servedJson = (instrument: { hash: string; json: Record<string, unknown> }) => {
    let json = served.get(instrument.hash);
    if (!json) {
      json = withoutQuotas(instrument.json as InstrumentJson);
      if (served.size > 100) served.clear();
      served.set(instrument.hash, json);
    }
    return json;
  };
  /**
   * The check of the quotas a response enters, run in its insert's transaction under the
   * instrument's quota lock (see lockQuotas): a full one refuses it (`CAIRNET_QUOTA_FULL`, its
   * message in the respondent's language), nothing stored. Undefined when it enters none.
   */
  const quotaGuard = (
    instrument: { name: string; json: Record<string, unknown> },
    data: Record<string, unknown>,
    locale: string,
  ) => {
    const json = instrument.json as InstrumentJson;
    const entered = quotasOf(json).filter((q) => entersQuota(q, data));
    if (entered.length === 0) return undefined;
    const multiple = multipleChoiceQuestions(json);
    return async (trx: Kysely<CairnetDatabase>) => {
      await lockQuotas(trx, deps.dialect, instrument.name);
      for (const quota of entered) {
        const members = quota.members.map((m) => ({ ...m, multiple: multiple.has(m.question) }));
        if ((await countQuotaResponses(trx, deps.dialect, instrument.name, members)) >= quota.limit)
          throw quotaFull(quota, locale);
      }
    };
  };

  app.get<{ Params: { name: string } }>(
    '/api/instruments/:name',
    { schema: { params: nameParam } },
    async (req, reply) => {
      const instrument = await instruments.current(req.params.name);
      reply.header('x-instrument-version', String(instrument.version));
      reply.header('cache-control', 'no-cache');
      return servedJson(instrument);
    },
  );

  app.post<{
    Params: { name: string };
    Body: {
      data: Record<string, unknown>;
      idempotencyKey?: string;
      resumeToken?: string;
      invitationToken?: string;
      locale?: string;
      startedAt?: string;
    };
  }>(
    '/api/instruments/:name/responses',
    { schema: { params: nameParam, body: responseBody } },
    async (req, reply) => {
      const instrument = await instruments.forRespondents(req.params.name);
      const { data } = validateAnswers(instrument.json, instrument.hash, req.body.data, {
        complete: true,
        locale: req.body.locale ?? 'en',
      });
      let draftTokenHash: string | undefined;
      if (req.body.resumeToken) {
        draftTokenHash = checkResumeToken(req.body.resumeToken);
        const draft = await getDraft(db, draftTokenHash);
        if (draft?.completedResponseId && !req.body.idempotencyKey) {
          throw cairnetError(
            'CAIRNET_RESPONSE_ALREADY_COMPLETED',
            'This questionnaire was already completed',
          );
        }
      }
      const startedAt =
        req.body.startedAt && !Number.isNaN(Date.parse(req.body.startedAt)) ? req.body.startedAt : undefined;
      // A personal link's token (invitationToken, or the resume token of a personal link) ties
      // the response to the invitation by a pseudonymous id; see src/campaign/invitation-link.ts.
      const beforeInsert = quotaGuard(instrument, data, req.body.locale ?? 'en');
      const invited = await prepareInvitedSubmission(db, instrument.name, req.body, data);
      if (!invited) await admitOpen(instrument.name, req.ip, reply);
      // Anonymous mode: no time finer than the day on an invited response (see the README).
      const coarse = invited?.anonymous === true;
      const response = {
        instrumentName: instrument.name,
        instrumentVersion: instrument.version,
        data,
        idempotencyKey: invited ? invited.idempotencyKey : req.body.idempotencyKey,
        draftTokenHash,
        startedAt: coarse ? undefined : startedAt,
        completedAt: coarse ? `${utcDay()}T00:00:00.000Z` : undefined,
        invitationId: invited?.invitationId,
        via: invited ? ('invitation' as const) : ('open' as const),
        meta: await consentFor(instrument),
        onStored: invited?.onStored,
        beforeInsert,
      };
      // A plain submission joins the next group commit; one that completes a draft or an
      // invitation, or enters a quota, needs its own transaction.
      const { id, replayed } = await (draftTokenHash || invited || beforeInsert
        ? insertCompletedResponse(db, response)
        : batcher.submit(response)
      ).catch((e: unknown) => (invited ? invited.conflict(e) : Promise.reject(e)));
      // The thank-you is only marked owed here; a background sender mails it (send-thanks.ts).
      if (await invited?.complete(id)) deps.onThanksDue?.();
      if (coarse && !replayed) deps.scrubber?.noteCompletion();
      if (replayed) reply.header('idempotent-replayed', 'true');
      reply.status(201);
      return { id };
    },
  );

  app.put<{
    Params: { name: string; resumeToken: string };
    Body: { data: Record<string, unknown>; pageNo?: number; locale?: string };
  }>(
    '/api/instruments/:name/drafts/:resumeToken',
    { schema: { params: draftParams, body: draftBody } },
    async (req, reply) => {
      const hash = checkResumeToken(req.params.resumeToken);
      const instrument = await instruments.forRespondents(req.params.name);
      const { data } = validateAnswers(instrument.json, instrument.hash, req.body.data, {
        complete: false,
        locale: req.body.locale ?? 'en',
      });
      const invitation = await invitationForDraft(db, instrument.name, hash);
      // A new draft without a personal link is an open submission: same access and limit.
      if (!invitation && (openSubmitRate > 0 || (await accessOf(instrument.name)) === 'invitation')) {
        if (!(await getDraft(db, hash))) await admitOpen(instrument.name, req.ip, reply);
      }
      const saved = await saveDraft(db, {
        tokenHash: hash,
        instrumentName: instrument.name,
        instrumentVersion: instrument.version,
        data,
        pageNo: req.body.pageNo ?? 0,
        invitationId: invitation?.invitationId ?? null,
      });
      if (!saved.saved) {
        throw cairnetError('CAIRNET_RESPONSE_ALREADY_COMPLETED', 'This questionnaire was already completed');
      }
      return { saved: true, updatedAt: saved.updatedAt };
    },
  );

  app.get<{ Params: { name: string; resumeToken: string } }>(
    '/api/instruments/:name/drafts/:resumeToken',
    { schema: { params: draftParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req) => {
      const hash = checkResumeToken(req.params.resumeToken);
      const draft = await getDraft(db, hash);
      if (!draft || draft.instrumentName !== req.params.name) {
        throw cairnetError('CAIRNET_DRAFT_NOT_FOUND', 'No saved answers for this link');
      }
      return {
        data: draft.data,
        pageNo: draft.pageNo,
        updatedAt: draft.updatedAt,
        completed: draft.completedResponseId !== null,
      };
    },
  );
}

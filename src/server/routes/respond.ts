import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import {
  consentRecord,
  invitationForDraft,
  prepareInvitedSubmission,
} from '../../campaign/invitation-link.js';
import { cairnetError } from '../../errors.js';
import { validateAnswers } from '../../responses/validate-answers.js';
import { tokenHash } from '../../store/canonical-json.js';
import { getDraft, saveDraft } from '../../store/repositories/drafts.js';
import type { ResponseBatcher } from '../../store/repositories/response-batcher.js';
import { insertCompletedResponse } from '../../store/repositories/responses.js';
import type { CairnetDatabase } from '../../store/schema.js';
import type { InstrumentCache } from '../instrument-cache.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';

const RESUME_TOKEN = /^[A-Za-z0-9_-]{22,128}$/;
const LOCALES = ['fr', 'en'];

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
    locale: { type: 'string', enum: LOCALES },
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
    locale: { type: 'string', enum: LOCALES },
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

/** The respondent's API: the questionnaire, drafts (save and resume) and completed responses. */
export function respondRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<CairnetDatabase>; instruments: InstrumentCache; batcher: ResponseBatcher },
) {
  const { db, instruments, batcher } = deps;
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

  app.get<{ Params: { name: string } }>(
    '/api/instruments/:name',
    { schema: { params: nameParam } },
    async (req, reply) => {
      const instrument = await instruments.current(req.params.name);
      reply.header('x-instrument-version', String(instrument.version));
      reply.header('cache-control', 'no-cache');
      return instrument.json;
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
      const invited = await prepareInvitedSubmission(db, req.body);
      const response = {
        instrumentName: instrument.name,
        instrumentVersion: instrument.version,
        data,
        idempotencyKey: invited ? invited.idempotencyKey : req.body.idempotencyKey,
        draftTokenHash,
        startedAt,
        invitationId: invited?.invitationId,
        meta: await consentFor(instrument),
      };
      // A plain submission joins the next group commit; one that completes a draft or an
      // invitation needs its own transaction.
      const { id, replayed } = await (draftTokenHash || invited
        ? insertCompletedResponse(db, response)
        : batcher.submit(response)
      ).catch((e: unknown) => (invited ? invited.conflict(e) : Promise.reject(e)));
      await invited?.complete(id);
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
    async (req) => {
      const hash = checkResumeToken(req.params.resumeToken);
      const instrument = await instruments.forRespondents(req.params.name);
      const { data } = validateAnswers(instrument.json, instrument.hash, req.body.data, {
        complete: false,
        locale: req.body.locale ?? 'en',
      });
      const invitation = await invitationForDraft(db, hash);
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

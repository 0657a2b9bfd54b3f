import type { FastifyInstance } from 'fastify';
import { checkSurveyName } from '../../campaign/campaign-settings.js';
import { closeCampaign, reopenCampaign } from '../../campaign/close-campaign.js';
import { cairnetError } from '../../errors.js';
import type { Store } from '../../store/open-store.js';
import { listJobs } from '../../store/repositories/jobs.js';
import { recordAudit } from '../../store/repositories/users.js';
import { jobView } from './jobs.js';

/**
 * The campaign's switches for the sending page (admin; CSRF; audited like the commands):
 * `POST /api/admin/campaign/close` and `/reopen` with `{"instrument": NAME}` (as `cairnet campaign
 * close|reopen --instrument NAME`), and
 * `GET /api/admin/jobs` (the latest sending jobs, newest first).
 */
export function campaignAdminRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  // The body may be absent (the survey `cairnet`), or `{"instrument": NAME}`.
  const surveyOf = (body: unknown): string => {
    const b = (body ?? {}) as { instrument?: unknown };
    if (b.instrument === undefined) return 'cairnet';
    if (typeof b.instrument !== 'string') {
      throw cairnetError('CAIRNET_BAD_REQUEST', 'instrument must be a survey name');
    }
    return checkSurveyName(b.instrument);
  };
  app.post('/api/admin/campaign/close', { config: { roles: ['admin'] } }, async (req) => {
    const survey = surveyOf(req.body);
    const r = await closeCampaign(db, survey);
    if (!r.alreadyClosed) {
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'campaign.close',
        target: survey,
        detail: r.closedAt,
      });
    }
    return r;
  });
  app.post('/api/admin/campaign/reopen', { config: { roles: ['admin'] } }, async (req) => {
    const survey = surveyOf(req.body);
    const reopened = await reopenCampaign(db, survey);
    if (reopened) {
      await recordAudit(db, { userId: req.session!.user.id, action: 'campaign.reopen', target: survey });
    }
    return { reopened };
  });
  app.get('/api/admin/jobs', { config: { roles: ['admin'] } }, async () => ({
    items: (await listJobs(db, 20)).map(jobView),
  }));
}

import type { FastifyInstance } from 'fastify';
import { closeCampaign, reopenCampaign } from '../../campaign/close-campaign.js';
import type { Store } from '../../store/open-store.js';
import { listJobs } from '../../store/repositories/jobs.js';
import { recordAudit } from '../../store/repositories/users.js';
import { jobView } from './jobs.js';

/**
 * The campaign's switches for the sending page (admin; CSRF; audited like the commands):
 * `POST /api/admin/campaign/close` and `/reopen` (as `cairnet campaign close|reopen`), and
 * `GET /api/admin/jobs` (the latest sending jobs, newest first).
 */
export function campaignAdminRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  app.post('/api/admin/campaign/close', { config: { roles: ['admin'] } }, async (req) => {
    const r = await closeCampaign(db);
    if (!r.alreadyClosed) {
      await recordAudit(db, { userId: req.session!.user.id, action: 'campaign.close', detail: r.closedAt });
    }
    return r;
  });
  app.post('/api/admin/campaign/reopen', { config: { roles: ['admin'] } }, async (req) => {
    const reopened = await reopenCampaign(db);
    if (reopened) await recordAudit(db, { userId: req.session!.user.id, action: 'campaign.reopen' });
    return { reopened };
  });
  app.get('/api/admin/jobs', { config: { roles: ['admin'] } }, async () => ({
    items: (await listJobs(db, 20)).map(jobView),
  }));
}

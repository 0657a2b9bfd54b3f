import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { UnlinkScrubber } from '../campaign/anonymity-scrub.js';
import { type MailConfig, mailConfigFromEnv } from '../campaign/mail-config.js';
import type { Store } from '../store/open-store.js';
import { ResponseBatcher } from '../store/repositories/response-batcher.js';
import { installAuth } from './auth.js';
import { frameworkErrors, installErrorHandler } from './error-handler.js';
import { InstrumentCache } from './instrument-cache.js';
import { JobWorker, type JobWorkerOptions } from './job-worker.js';
import { accountPages } from './routes/account-pages.js';
import { adminRoutes } from './routes/admin.js';
import { associationRoutes } from './routes/associations.js';
import { authRoutes } from './routes/auth.js';
import { campaignRoutes } from './routes/campaign.js';
import { campaignAdminRoutes } from './routes/campaign-admin.js';
import { exportRoutes } from './routes/exports.js';
import { jobRoutes } from './routes/jobs.js';
import { pageRoutes } from './routes/pages.js';
import { pressRoutes } from './routes/press.js';
import { openSubmitRateFromEnv, respondRoutes } from './routes/respond.js';
import { responsePage } from './routes/response-page.js';
import { resultsRoutes } from './routes/results.js';
import { teamRoutes } from './routes/team.js';
import { uploadRoutes } from './routes/uploads.js';
import { uploadPages } from './studio/campaign-pages.js';
import { homePages } from './studio/home-pages.js';
import { messagesPage } from './studio/messages-page.js';
import { planPage } from './studio/plan-page.js';
import { versionPages } from './studio/questionnaire-versions.js';
import { campaignProgressPage, responsesPage } from './studio/responses-campaign-pages.js';
import { sendingPage } from './studio/sending-page.js';
import { syntheticDemoRoute } from './studio/synthetic-demo-card.js';
import { teamAndAuditPages } from './studio/team-audit-pages.js';
import { ThanksWorker, type ThanksWorkerOptions } from './thanks-worker.js';

export interface AppOptions {
  store: Store;
  /** Fastify's logger option; off by default (tests), on in `cairnet serve`. */
  logger?: FastifyServerOptions['logger'];
  /** Send the session cookie only over HTTPS (set when CAIRNET_PUBLIC_URL is https). */
  secureCookies?: boolean;
  /** Trust X-Forwarded-For (set CAIRNET_TRUST_PROXY=1 behind a load balancer). */
  trustProxy?: boolean;
  /** How long an app server trusts its copy of an instrument before re-reading it. */
  instrumentTtlMs?: number;
  /**
   * Open submissions (completions and new drafts without a personal link) allowed per client
   * address and minute; 0 turns the limit off. Default: `CAIRNET_OPEN_SUBMIT_RATE`, else 20.
   */
  openSubmitRate?: number;
  /** At most how long after an anonymous completion its row versions are scrubbed (5 minutes). */
  unlinkScrubDelayMs?: number;
  /** Where campaign mail goes (default: from the environment, read when a job is queued or run). */
  mailConfig?: () => MailConfig;
  /**
   * Run a background worker for sending jobs in this app (`cairnet serve` does); off by default,
   * so that tests building apps only queue jobs unless they ask for a worker.
   */
  jobWorker?: Omit<JobWorkerOptions, 'mailConfig'> | false;
  /**
   * Send the thank-yous owed after invited completions from this app (src/server/thanks-worker.ts).
   * Default: on when `jobWorker` is (with its log), off otherwise.
   */
  thanksWorker?: Omit<ThanksWorkerOptions, 'mailConfig'> | false;
}

/** Largest request body accepted, in bytes (a completed Cairnet response is a few KiB). */
export const BODY_LIMIT = 256 * 1024;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The folder of an installed package (its exports hide package.json, so walk up from its entry). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Builds the Cairnet HTTP app without listening: tests call `app.inject()`, `cairnet serve`
 * calls `listen()`. The app keeps no state of its own beyond short caches, so several can run
 * over one PostgreSQL.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Only behind a proxy that sets X-Forwarded-For: otherwise a client could choose its own
    // address and escape the rate limits.
    trustProxy: options.trustProxy ?? false,
    // Path parameters up to the routes' own limits (a resume token is up to 128 characters),
    // and Fastify's refusals before routing (a malformed URL) with Cairnet's codes.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  const db = options.store.db;
  const instruments = new InstrumentCache(db, options.instrumentTtlMs);
  installErrorHandler(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  installAuth(app, db);
  await app.register(fastifyStatic, {
    // The build's public folder (bin/build.mjs): the style sheets of src/web/public and the
    // browser bundles of src/web/client; the same folder whether the server runs compiled or not.
    root: join(here, '..', '..', 'dist', 'web', 'public'),
    prefix: '/assets/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: packageDir('survey-core'),
    prefix: '/vendor/survey-core/',
    decorateReply: false,
    allowedPath: (path) => /\.(min\.js|min\.css)$/.test(path),
  });
  await app.register(fastifyStatic, {
    root: packageDir('survey-js-ui'),
    prefix: '/vendor/survey-js-ui/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.min.js'),
  });
  const mailConfig = options.mailConfig ?? (() => mailConfigFromEnv(process.env));
  const thanksOptions =
    options.thanksWorker ??
    (options.jobWorker ? (options.jobWorker.log ? { log: options.jobWorker.log } : {}) : false);
  const thanks = thanksOptions
    ? new ThanksWorker(options.store, { ...thanksOptions, mailConfig })
    : undefined;
  const scrubber = new UnlinkScrubber(options.store, options.unlinkScrubDelayMs ?? 5 * 60_000, (e) =>
    app.log.error({ err: e }, 'anonymous mode: scrubbing row versions failed'),
  );
  app.addHook('onClose', async () => {
    await scrubber.run();
  });
  respondRoutes(app, {
    db,
    dialect: options.store.adapter.name,
    instruments,
    batcher: new ResponseBatcher(db),
    openSubmitRate: options.openSubmitRate ?? openSubmitRateFromEnv(),
    scrubber,
    ...(thanks ? { onThanksDue: () => thanks.poke() } : {}),
  });
  authRoutes(app, { db, secureCookies: options.secureCookies ?? false });
  adminRoutes(app, { db });
  exportRoutes(app, { store: options.store });
  associationRoutes(app, { db });
  pageRoutes(app, { db, instruments });
  await app.register(campaignRoutes, { db });
  await app.register(pressRoutes, { db });
  await app.register(resultsRoutes, { store: options.store });
  const worker = options.jobWorker
    ? new JobWorker(options.store, { ...options.jobWorker, mailConfig })
    : undefined;
  jobRoutes(app, { store: options.store, mailConfig, ...(worker ? { poke: () => worker.poke() } : {}) });
  teamRoutes(app, { store: options.store });
  responsePage(app, { db });
  campaignAdminRoutes(app, { store: options.store });
  teamAndAuditPages(app, { store: options.store });
  uploadPages(app, { store: options.store });
  versionPages(app, { store: options.store });
  syntheticDemoRoute(app, { store: options.store });
  homePages(app, { store: options.store });
  responsesPage(app, { store: options.store });
  campaignProgressPage(app, { store: options.store });
  sendingPage(app, { store: options.store });
  messagesPage(app, { store: options.store, mailConfig });
  planPage(app, { store: options.store });
  await app.register(accountPages, { store: options.store });
  await app.register(uploadRoutes, { store: options.store });
  if (worker) {
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  if (thanks) {
    app.addHook('onReady', async () => thanks.start());
    app.addHook('onClose', async () => thanks.stop());
  }
  return app;
}

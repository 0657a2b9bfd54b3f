import { expect } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import { erasePerson } from '../../src/campaign/erase-person.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { buildApp } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/open-store.js';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { EXPORT_ANSWERS, writeExportResponses } from './export-fixture.js';

/** The surveyed population: some names and strata a spreadsheet would run as formulas. */
export const PEOPLE = [
  { email: 'anne.martin@inserm.fr', name: 'Anne Martin', language: 'fr', unit: 'U1001' },
  {
    email: 'bob.smith@inserm.fr',
    name: '=HYPERLINK("http://evil.example","Bob")',
    language: 'en',
    unit: 'U1001',
  },
  { email: 'chloe.dupont@inserm.fr', name: '@SUM(A1:A9)', language: 'fr', unit: '+U1002' },
  { email: 'david.li@inserm.fr', name: 'David Li', language: 'en', unit: '-1+2' },
  { email: 'eve.roux@inserm.fr', name: 'Ève Roux', language: 'fr', unit: 'U1003' },
] as const;

/** The people still holding personal data once the fixture erased Ève. */
export const KEPT = PEOPLE.filter((p) => p.email !== 'eve.roux@inserm.fr');

/** Responses in the store: the three of the export fixture, then Anne's and Bob's. */
export const RESPONSE_COUNT = EXPORT_ANSWERS.length + 2;

/**
 * Fills a fresh store for the export tests: the export instrument as `cairnet` with three
 * responses, a population of five, everyone invited (a real SMTP exchange), Anne completing
 * while the campaign is not anonymous, then anonymous mode and Bob completing, and Ève erased.
 */
export async function seedCampaignExport(store: Store): Promise<void> {
  await writeExportResponses(store);
  const report = await importPopulation(
    store.db,
    'cairnet',
    {
      header: ['email', 'name', 'language', 'unit'],
      rows: PEOPLE.map((p, i) => ({ line: i + 2, cells: [p.email, p.name, p.language, p.unit] })),
    },
    { file: 'people.csv' },
  );
  expect(report.added).toBe(PEOPLE.length);
  const sink = await startSmtpSink();
  const app = await buildApp({ store });
  try {
    const config = { smtpUrl: sink.url, from: 'Cairnet <cairnet@inserm.fr>', publicUrl: 'https://x.example' };
    const sent = await sendRound(store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
    expect(sent.sent).toBe(PEOPLE.length);
    const answer = async (email: string, data: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: {
          data,
          invitationToken: sink.to(email)[0]!.token,
          idempotencyKey: `k-${email.replace(/\W/g, '-')}`,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await answer('anne.martin@inserm.fr', { relation: 'never', remarks: 'fine' });
    await writeSetting(store.db, 'cairnet', 'anonymous', 'yes');
    await answer('bob.smith@inserm.fr', { relation: 'once', activities: ['talks'] });
    await erasePerson(store.db, 'cairnet', 'eve.roux@inserm.fr');
  } finally {
    await app.close();
    await sink.close();
  }
}

/** Every value that would link a person to their answers: response ids, invitation ids, pseudonyms. */
export async function linkValues(store: Store): Promise<string[]> {
  const responses = await store.db.selectFrom('responses').select(['id', 'invitation_id']).execute();
  const people = await store.db.selectFrom('campaign_people').select('pseudonym').execute();
  const values = [
    ...responses.flatMap((r) => [r.id, r.invitation_id]),
    ...people.map((p) => p.pseudonym),
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
  // Anne's link was kept (she completed before anonymous mode): there is something to look for.
  expect(values.length).toBeGreaterThan(RESPONSE_COUNT);
  return values;
}

/** The audit log's export entries, oldest first, with their detail parsed. */
export async function exportAudit(store: Store, action?: string) {
  let q = store.db.selectFrom('audit_log').selectAll().where('action', 'like', 'export.%');
  if (action) q = q.where('action', '=', action);
  const rows = await q.orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    ...r,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  }));
}

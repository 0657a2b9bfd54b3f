import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/campaign/campaign-settings.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();

for (const dialect of dialects) {
  describe(`${dialect}: closing the campaign`, () => {
    let t: TestStore;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      sink = await startSmtpSink();
      process.env.CAIRNET_SMTP_URL = sink.url;
      process.env.CAIRNET_MAIL_FROM = 'cairnet@inserm.fr';
      process.env.CAIRNET_PUBLIC_URL = 'https://enquete.example.org';
      await importPopulation(
        t.store.db,
        'cairnet',
        {
          header: ['email', 'language'],
          rows: [
            { line: 2, cells: ['anne.martin@inserm.fr', 'fr'] },
            { line: 3, cells: ['bob.smith@inserm.fr', 'en'] },
          ],
        },
        { file: 'people.csv' },
      );
    });
    afterAll(async () => {
      await sink.close();
      await t.dispose();
    });

    const db = () => ['--db', t.location];

    it('sets closed_at, keeps the first date when closed again, and logs it', async () => {
      const first = await cli(['campaign', 'close', '--json', ...db()]);
      expect(first.code).toBe(0);
      const r = JSON.parse(first.stdout) as { closedAt: string; alreadyClosed: boolean };
      expect(r.alreadyClosed).toBe(false);
      expect((await readSettings(t.store.db, 'cairnet')).closedAt).toBe(r.closedAt);
      const status = await cli(['campaign', 'status', '--json', ...db()]);
      expect(JSON.parse(status.stdout).closedAt).toBe(r.closedAt);
      expect((await cli(['campaign', 'status', ...db()])).stdout).toContain(`closed on ${r.closedAt}`);
      const again = await cli(['campaign', 'close', ...db()]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`already closed on ${r.closedAt}`);
      expect((await readSettings(t.store.db, 'cairnet')).closedAt).toBe(r.closedAt);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'campaign.close')
        .execute();
      expect(audit).toHaveLength(1);
      const bad = await cli(['campaign', 'close', '--at', 'tomorrow-ish', ...db()]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^error CAIRNET_USAGE:/);
    });

    it('refuses invitations and reminders once closed, with a clear error, and sends nothing', async () => {
      for (const kind of ['send', 'remind']) {
        const res = await cli(['invitations', kind, ...db()]);
        expect(res.code, kind).toBe(8);
        expect(res.stderr).toMatch(
          /^error CAIRNET_CAMPAIGN_CLOSED: The campaign closed on .*: no more (invitations|reminders) are sent/,
        );
        const dry = await cli(['invitations', kind, '--dry-run', ...db()]);
        expect(dry.code, `${kind} --dry-run`).toBe(8);
      }
      const config = {
        smtpUrl: sink.url,
        from: 'cairnet@inserm.fr',
        publicUrl: 'https://enquete.example.org',
      };
      await expect(sendRound(t.store.db, 'cairnet', { kind: 'invitation', config })).rejects.toMatchObject({
        code: 'CAIRNET_CAMPAIGN_CLOSED',
        statusCode: 409,
      });
      expect(sink.received).toHaveLength(0);
      expect(await t.store.db.selectFrom('campaign_messages').selectAll().execute()).toHaveLength(0);
    });

    it('sends again once reopened', async () => {
      const res = await cli(['campaign', 'reopen', ...db()]);
      expect(res.stdout).toBe('campaign reopened\n');
      const send = await cli(['invitations', 'send', '--rate', '60000', ...db()]);
      expect(send.code).toBe(0);
      expect(sink.received).toHaveLength(2);
      // A closing date still to come does not stop sending yet.
      await cli(['campaign', 'set', 'closed_at', '2999-01-01T00:00:00Z', ...db()]);
      const remind = await cli(['invitations', 'remind', '--rate', '60000', ...db()]);
      expect(remind.code).toBe(0);
      expect(sink.received).toHaveLength(4);
    });
  });
}

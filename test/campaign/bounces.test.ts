import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeliveryReport } from '../../src/campaign/bounces.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();

/** A delivery status notification as a receiving server sends it back (RFC 3464). */
function dsn(o: { to: string; action: string; status: string; original?: string }): string {
  const b = 'dsn-boundary-42';
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.inserm.fr>',
    'To: cairnet@inserm.fr',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.inserm.fr',
    'Arrival-Date: Mon, 3 Jun 2013 10:00:00 +0200',
    '',
    `Final-Recipient: rfc822; ${o.to}`,
    `Original-Recipient: rfc822;${o.to}`,
    `Action: ${o.action}`,
    `Status: ${o.status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 <user>: Recipient address rejected:',
    '    User unknown in local recipient table',
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    o.original ?? 'Subject: something else',
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

const headersOf = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));

for (const dialect of dialects) {
  describe(`${dialect}: bounces arriving after sending`, () => {
    let t: TestStore;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-bounces-'));
    const files: string[] = [];

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
          rows: ['anne.martin', 'bob.smith', 'chloe.dupont'].map((n, i) => ({
            line: i + 2,
            cells: [`${n}@inserm.fr`, 'fr'],
          })),
        },
        { file: 'people.csv' },
      );
      const config = {
        smtpUrl: sink.url,
        from: 'cairnet@inserm.fr',
        publicUrl: 'https://enquete.example.org',
      };
      await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
      const write = (name: string, text: string) => {
        const p = join(dir, name);
        writeFileSync(p, text);
        files.push(p);
      };
      // Anne's report returns our headers (X-Cairnet-Message) and names her address differently.
      write(
        'anne.eml',
        dsn({
          to: 'Anne.Martin@INSERM.fr',
          action: 'failed',
          status: '5.1.1',
          original: headersOf(sink.to('anne.martin@inserm.fr')[0]!.raw),
        }),
      );
      write('bob.eml', dsn({ to: 'bob.smith@inserm.fr', action: 'failed', status: '5.2.1' }));
      write('chloe.eml', dsn({ to: 'chloe.dupont@inserm.fr', action: 'delayed', status: '4.4.7' }));
      write('stranger.eml', dsn({ to: 'nobody@elsewhere.org', action: 'failed', status: '5.1.1' }));
      write('reply.eml', 'From: anne.martin@inserm.fr\r\nSubject: Re: Enquête\r\n\r\nMerci !\r\n');
    });
    afterAll(async () => {
      await sink.close();
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const person = (email: string) =>
      t.store.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirstOrThrow();

    it('reads the recipients of a delivery report and our message id from the returned headers', async () => {
      const anne = await person('anne.martin@inserm.fr');
      const message = await t.store.db
        .selectFrom('campaign_messages')
        .select('id')
        .where('person_id', '=', anne.id)
        .executeTakeFirstOrThrow();
      const r = parseDeliveryReport(
        dsn({
          to: 'a@b.fr',
          action: 'failed',
          status: '5.1.1',
          original: `X-Cairnet-Message: ${message.id}`,
        }),
      );
      expect(r).toEqual({
        messageId: message.id,
        recipients: [
          {
            address: 'a@b.fr',
            action: 'failed',
            status: '5.1.1',
            diagnostic:
              'smtp; 550 5.1.1 <user>: Recipient address rejected: User unknown in local recipient table',
          },
        ],
      });
      expect(parseDeliveryReport('Subject: hello\r\n\r\nbody')).toBeNull();
    });

    it('reports in a dry run and changes nothing', async () => {
      const res = await cli(['invitations', 'bounces', ...files, '--dry-run', '--json', '--db', t.location]);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({
        dryRun: true,
        files: 5,
        notReports: 1,
        undeliverable: 2,
        ignored: 1,
        unknown: ['nobody@elsewhere.org'],
      });
      expect((await person('anne.martin@inserm.fr')).undeliverable_at).toBeNull();
    });

    it('marks permanent failures undeliverable, and the reminder skips them', async () => {
      const res = await cli(['invitations', 'bounces', ...files, '--db', t.location]);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(
        /^marked 2 undeliverable; already known 0; temporary or other 1; not delivery reports 1; unknown addresses 1/,
      );
      const anne = await person('anne.martin@inserm.fr');
      expect(anne.undeliverable_reason).toMatch(/^bounce 5\.1\.1: smtp; 550/);
      const anneMessage = await t.store.db
        .selectFrom('campaign_messages')
        .select('state')
        .where('person_id', '=', anne.id)
        .executeTakeFirstOrThrow();
      expect(anneMessage.state).toBe('failed');
      expect((await person('bob.smith@inserm.fr')).undeliverable_at).not.toBeNull();
      expect((await person('chloe.dupont@inserm.fr')).undeliverable_at).toBeNull();

      const remind = await cli(['invitations', 'remind', '--rate', '60000', '--db', t.location]);
      expect(remind.code).toBe(0);
      const reminders = sink.received.filter((m) => m.subject.startsWith('Rappel'));
      expect(reminders.map((m) => m.to[0])).toEqual(['chloe.dupont@inserm.fr']);

      const again = await cli(['invitations', 'bounces', ...files, '--json', '--db', t.location]);
      expect(JSON.parse(again.stdout)).toMatchObject({ undeliverable: 0, alreadyKnown: 2 });
      const status = JSON.parse((await cli(['campaign', 'status', '--json', '--db', t.location])).stdout);
      expect(status.totals.undeliverable).toBe(2);
    });

    it('refuses a file it cannot read, with a clear error', async () => {
      const res = await cli(['invitations', 'bounces', join(dir, 'missing.eml'), '--db', t.location]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/^error CAIRNET_FILE_UNREADABLE: Cannot read /);
    });
  });
}

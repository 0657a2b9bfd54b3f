import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignStatus } from '../../src/campaign/campaign-status.js';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { isCairnetError } from '../../src/errors.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();
const N = 8;
const dir = mkdtempSync(join(tmpdir(), 'cairnet-crash-'));
const file = join(dir, 'people.csv');
writeFileSync(
  file,
  `email,language,unit\n${Array.from({ length: N }, (_, i) => `person${i}@inserm.fr,fr,U${i % 2}`).join('\n')}\n`,
);

function expectNoDuplicate(received: { to: string[] }[]) {
  const to = received.flatMap((m) => m.to);
  expect(new Set(to).size).toBe(to.length);
}

for (const dialect of dialects) {
  describe(`${dialect}: sending survives a crash without sending anyone twice`, () => {
    let t: TestStore;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    const stores: TestStore[] = [];
    const sinks: Awaited<ReturnType<typeof startSmtpSink>>[] = [];

    beforeEach(async () => {
      t = await openTestStore(dialect);
      stores.push(t);
      await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      sink = await startSmtpSink();
      sinks.push(sink);
      config = { smtpUrl: sink.url, from: 'cairnet@inserm.fr', publicUrl: 'http://127.0.0.1:3000' };
    });
    afterAll(async () => {
      for (const s of sinks) await s.close();
      for (const s of stores) await s.dispose();
    });

    it('does not resend a message the server accepted when the process died before marking it sent', async () => {
      const crash = sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
        hooks: {
          afterAccepted: (n) => {
            if (n === 2) throw new Error('simulated crash');
          },
        },
      });
      await expect(crash).rejects.toThrow('simulated crash');
      expect(sink.received).toHaveLength(3);
      // Restart (a new run, as after a crash): the in-flight message is not sent blindly.
      const r = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
        staleAfterMs: 0,
      });
      expect(r).toMatchObject({ sent: N - 3, uncertain: 0 });
      expect(sink.received).toHaveLength(N);
      expectNoDuplicate(sink.received);
      const s = await campaignStatus(t.store.db, 'cairnet');
      expect(s.rounds[0]!.states).toMatchObject({ sent: N - 1, uncertain: 1 });
      // The reminder round still reaches the person whose invitation is uncertain.
      const before = sink.received.length;
      await sendRound(t.store.db, 'cairnet', { kind: 'reminder', config, ratePerMinute: 60_000 });
      expect(sink.received.length - before).toBe(N);
      expectNoDuplicate(sink.received.slice(before));
    });

    it('stops when the SMTP server drops the connection mid-message, and a rerun sends no duplicate', async () => {
      sink.dropOnMessage(3);
      const err = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
      }).catch((e) => e);
      expect(isCairnetError(err) && err.code).toBe('CAIRNET_MAIL_UNREACHABLE');
      expect(err.details).toMatchObject({ sent: 3, uncertain: 1 });
      expect(sink.received).toHaveLength(4); // the fourth reached the server, unacknowledged
      sink.dropOnMessage(undefined);
      const r = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
      expect(r).toMatchObject({ sent: N - 4 });
      expect(sink.received).toHaveLength(N);
      expectNoDuplicate(sink.received);
      // Only an explicit decision resends the uncertain one (at-least-once for it).
      const again = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
      });
      expect(again.sent).toBe(0);
      const forced = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
        resendUncertain: true,
      });
      expect(forced.sent).toBe(1);
    });

    it('records a refused address as undeliverable and never writes to it again', async () => {
      sink.rejectRcpt('person1@inserm.fr');
      const r = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
      expect(r).toMatchObject({ sent: N - 1, failed: 1 });
      const s = await campaignStatus(t.store.db, 'cairnet');
      expect(s.totals.undeliverable).toBe(1);
      const before = sink.received.length;
      await sendRound(t.store.db, 'cairnet', { kind: 'reminder', config, ratePerMinute: 60_000 });
      await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
      expect(sink.received.length - before).toBe(N - 1);
      expect(sink.to('person1@inserm.fr')).toHaveLength(0);
    });

    it('sends at most --limit messages a run, at the configured pace, and the next run continues', async () => {
      const waits: number[] = [];
      const r = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        limit: 3,
        ratePerMinute: 60,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      expect(r).toMatchObject({ sent: 3, remaining: N - 3, stopped: 'limit reached' });
      expect(waits).toHaveLength(2);
      for (const w of waits) expect(w).toBeGreaterThan(0);
      for (const w of waits) expect(w).toBeLessThanOrEqual(1000);
      const rest = await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
      });
      expect(rest.sent).toBe(N - 3);
      expectNoDuplicate(sink.received);
    });

    it('reports an unreachable SMTP server and sends nothing', async () => {
      await sink.close();
      sinks.splice(sinks.indexOf(sink), 1);
      const err = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config }).catch((e) => e);
      expect(isCairnetError(err) && err.code).toBe('CAIRNET_MAIL_UNREACHABLE');
      const messages = await t.store.db.selectFrom('campaign_messages').selectAll().execute();
      expect(messages).toHaveLength(0);
    });
  });
}

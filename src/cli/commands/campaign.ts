import type { Command } from 'commander';
import { scrubUnlinkedCompletions } from '../../campaign/anonymity-scrub.js';
import { readSettings, SETTING_KEYS, writeSetting } from '../../campaign/campaign-settings.js';
import { type CampaignStatus, campaignStatus } from '../../campaign/campaign-status.js';
import { closeCampaign, reopenCampaign } from '../../campaign/close-campaign.js';
import { applyRetention } from '../../campaign/erase-person.js';
import { type StratumLabels, stratumLabels } from '../../campaign/stratum-labels.js';
import { setSurveyAccess } from '../../campaign/survey-access.js';
import { cairnetError } from '../../errors.js';
import { openStore } from '../../store/open-store.js';
import { recordAudit } from '../../store/repositories/users.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '–');

/** The status in English, strata and their values by their labels (the code beside a value's label). */
function printStatus(s: CampaignStatus, labels: StratumLabels): void {
  const out = process.stdout;
  const t = s.totals;
  out.write(
    `campaign of ${s.instrument}${s.anonymous ? ' (anonymous mode)' : ''}${s.closedAt ? `, closed on ${s.closedAt}` : ''}\n` +
      `population ${t.population}; invited ${t.invited}; opened ${t.opened}; started ${t.started}; completed ${t.completed} (${pct(t.completed, t.invited)} of invited)\n` +
      `opted out ${t.optedOut}; undeliverable ${t.undeliverable}; erased ${t.erased}\n`,
  );
  for (const r of s.rounds) {
    out.write(
      `  ${r.round}${r.finished ? ' (finished)' : ''}: ${Object.entries(r.states)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}\n`,
    );
  }
  const thanks = Object.entries(s.thanks.states).map(([k, v]) => `${k} ${v}`);
  out.write(
    `  thank-yous (${s.thanks.enabled ? 'on' : 'off'}): ${[`owed ${s.thanks.owed}`, ...thanks].join(', ')}\n`,
  );
  for (const [field, rows] of Object.entries(s.byStratum)) {
    out.write(`\nby ${labels.fields[field]?.en ?? field}\n`);
    for (const r of rows) {
      const label = labels.values[field]?.[r.value]?.en;
      const value =
        r.value === '(none)' ? '(no value)' : label && label !== r.value ? `${label} (${r.value})` : r.value;
      out.write(
        `  ${value.padEnd(24)} population ${String(r.population).padStart(5)}  invited ${String(r.invited).padStart(5)}  opened ${String(r.opened).padStart(5)}  started ${String(r.started).padStart(5)}  completed ${String(r.completed).padStart(5)} (${pct(r.completed, r.invited)})\n`,
      );
    }
  }
  if (s.overTime.length) {
    out.write('\nper day: invited / opened / started / completed\n');
    for (const d of s.overTime)
      out.write(`  ${d.date}  ${d.invited} / ${d.opened} / ${d.started} / ${d.completed}\n`);
  }
}

export function register(program: Command): void {
  const campaign = program.command('campaign').description('The campaign: progress, settings, closing');
  withDbOption(
    campaign
      .command('status')
      .description('Invited, opened, started, completed: in total, by stratum and per day (counts only)')
      .option('--json', 'print the status as JSON')
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (opts: { json?: boolean; db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const s = await campaignStatus(store.db, opts.instrument);
        if (opts.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        else printStatus(s, await stratumLabels(store.db, opts.instrument, Object.keys(s.byStratum)));
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('set')
      .description(`Change a campaign setting: ${SETTING_KEYS.join(', ')}`)
      .argument(
        '<key>',
        'anonymous (yes|no), consent_version, retention_days, closed_at, rate_per_minute, access (open|invitation), thanks (yes|no)',
      )
      .argument('<value>')
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (key: string, value: string, opts: { db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        if (key === 'access') {
          await setSurveyAccess(store.db, opts.instrument, value);
          await recordAudit(store.db, {
            userId: null,
            action: 'campaign.set',
            target: `access:${opts.instrument}`,
            detail: value,
          });
          process.stdout.write(`access of ${opts.instrument} = ${value}\n`);
          return;
        }
        await writeSetting(store.db, opts.instrument, key, value);
        await recordAudit(store.db, {
          userId: null,
          action: 'campaign.set',
          target: `${opts.instrument}:${key}`,
          detail: value,
        });
        process.stdout.write(`${key} = ${value}\n`);
        if (key === 'anonymous' && value === 'yes') {
          process.stdout.write(
            'note: completion cuts the link between a person and their response, except for people who answered yes to press_contact_optin: they keep it, so the press office can relay contact requests to them\n',
          );
        }
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('scrub')
      .description(
        'Anonymous mode: drop the old row versions completions leave in the database (the server does it within 5 minutes of a completion and when it stops)',
      ),
  ).action(
    action(async (opts: { db?: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const done = await scrubUnlinkedCompletions(store);
        process.stdout.write(done ? 'scrubbed\n' : 'not in anonymous mode: nothing to scrub\n');
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('settings')
      .description("Print a survey's campaign settings as JSON")
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (opts: { db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        process.stdout.write(`${JSON.stringify(await readSettings(store.db, opts.instrument), null, 2)}\n`);
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('close')
      .description(
        'Close the campaign: sets closed_at (now, or --at DATE); no invitation or reminder is sent afterwards, and the retention period starts',
      )
      .option('--at <date>', 'the closing date (ISO 8601), default now')
      .option('--json', 'print the result as JSON')
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (opts: { at?: string; json?: boolean; db?: string; instrument: string }) => {
      const at = opts.at === undefined ? new Date() : new Date(opts.at);
      if (Number.isNaN(at.getTime())) {
        throw cairnetError(
          'CAIRNET_USAGE',
          `--at "${opts.at}" is not a date (use 2013-06-30 or an ISO 8601 time)`,
        );
      }
      const store = await openStore({ db: opts.db });
      try {
        const r = await closeCampaign(store.db, opts.instrument, at);
        if (!r.alreadyClosed)
          await recordAudit(store.db, {
            userId: null,
            action: 'campaign.close',
            target: opts.instrument,
            detail: r.closedAt,
          });
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          process.stdout.write(
            r.alreadyClosed
              ? `the campaign was already closed on ${r.closedAt}\n`
              : `campaign closed on ${r.closedAt}: no more invitations or reminders\n`,
          );
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('reopen')
      .description('Reopen a closed campaign (removes closed_at)')
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (opts: { db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const reopened = await reopenCampaign(store.db, opts.instrument);
        if (reopened)
          await recordAudit(store.db, { userId: null, action: 'campaign.reopen', target: opts.instrument });
        process.stdout.write(reopened ? 'campaign reopened\n' : 'the campaign was not closed\n');
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    campaign
      .command('retention')
      .description(
        "Erase everyone's personal data once closed_at + retention_days has passed (report only without --apply)",
      )
      .option('--apply', 'erase now if due')
      .option('--instrument <name>', 'the survey whose campaign this is', 'cairnet'),
  ).action(
    action(async (opts: { apply?: boolean; db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const r = await applyRetention(store.db, opts.instrument, { dryRun: !opts.apply });
        if (r.due === null) process.stdout.write('no closed_at set: retention does not apply yet\n');
        else if (!r.applies) process.stdout.write(`personal data are kept until ${r.due}\n`);
        else {
          if (opts.apply)
            await recordAudit(store.db, {
              userId: null,
              action: 'campaign.retention',
              target: opts.instrument,
              detail: `erased ${r.erased}`,
            });
          process.stdout.write(
            `${opts.apply ? 'erased' : 'due since ' + r.due + '; would erase'} ${r.erased} person(s)\n`,
          );
        }
      } finally {
        await store.close();
      }
    }),
  );
}

import type { Command } from 'commander';
import { erasePerson } from '../../campaign/erase-person.js';
import { importPopulation, type PopulationReport } from '../../campaign/population-import.js';
import { readPopulationFile } from '../../campaign/read-population-file.js';
import { isCairnetError } from '../../errors.js';
import { cliActor } from '../../exports/export-audit.js';
import { checkFormat } from '../../exports/export-files.js';
import { POPULATION_FORMATS, populationFile, readPopulationExport } from '../../exports/population-export.js';
import { openStore } from '../../store/open-store.js';
import { recordAudit } from '../../store/repositories/users.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { writeAudited } from './export.js';

function printReport(r: PopulationReport, out: NodeJS.WritableStream): void {
  out.write(
    `${r.file}: ${r.rows} row(s); mapping ${Object.entries(r.mapping)
      .map(([c, f]) => `${c}→${f}`)
      .join(', ')}${r.ignoredColumns.length ? `; ignored columns: ${r.ignoredColumns.join(', ')}` : ''}\n`,
  );
  for (const p of r.problems) out.write(`  line ${p.line}, ${p.column}: ${p.problem}: ${p.message}\n`);
  if (r.problems.length === 0) {
    const verb = r.dryRun ? 'would add' : 'added';
    out.write(
      `${verb} ${r.added}, ${r.dryRun ? 'would update' : 'updated'} ${r.updated}, unchanged ${r.unchanged}` +
        `${r.skippedErased ? `, skipped ${r.skippedErased} erased on request` : ''}${r.dryRun ? ' (dry run: nothing stored)' : ''}\n`,
    );
  }
}

export function register(program: Command): void {
  const population = program.command('population').description('The population the campaign surveys');
  withDbOption(
    population
      .command('import')
      .description(
        'Import people from a CSV or XLSX file (re-import updates, keyed by e-mail); every row is checked before anything is stored',
      )
      .argument('<file>', '.csv (comma or semicolon, UTF-8) or .xlsx (first sheet, header in row 1)')
      .option(
        '--map <mapping>',
        'column=field,… (fields: email, name, language, unit, age_band, status, clinical_activity, gender, research_kind, field, region, stratum.NAME); default: by header names',
      )
      .option('--dry-run', 'check and report what would change; store nothing')
      .option('--json', 'print the report as JSON')
      .option('--instrument <name>', 'the survey whose population this is', 'cairnet'),
  ).action(
    action(
      async (
        file: string,
        opts: { map?: string; dryRun?: boolean; json?: boolean; db?: string; instrument: string },
      ) => {
        const table = await readPopulationFile(file);
        const store = await openStore({ db: opts.db });
        try {
          const report = await importPopulation(store.db, opts.instrument, table, {
            file,
            map: opts.map,
            dryRun: opts.dryRun,
          });
          if (!report.dryRun) {
            await recordAudit(store.db, {
              userId: null,
              action: 'population.import',
              target: file,
              detail: `${opts.instrument}: added ${report.added}, updated ${report.updated}`,
            });
          }
          if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          else printReport(report, process.stdout);
        } catch (e) {
          if (isCairnetError(e) && e.code === 'CAIRNET_POPULATION_INVALID') {
            const report = e.details as PopulationReport;
            if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
            else printReport(report, process.stderr);
          }
          throw e;
        } finally {
          await store.close();
        }
      },
    ),
  );

  withDbOption(
    population
      .command('erase')
      .description(
        "Erase a person's personal data on request (address, name, strata, links, draft); the counts and their pseudonymous response stay",
      )
      .argument('<email>', 'their e-mail address')
      .option(
        '--instrument <name>',
        'the survey whose population they are in (an erasure is per survey)',
        'cairnet',
      ),
  ).action(
    action(async (email: string, opts: { db?: string; instrument: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const { personId } = await erasePerson(store.db, opts.instrument, email);
        await recordAudit(store.db, { userId: null, action: 'population.erase', target: personId });
        process.stdout.write(`erased the personal data of ${email}\n`);
      } finally {
        await store.close();
      }
    }),
  );

  withDbOption(
    population
      .command('export')
      .description(
        'Export the population with identities (address, name, language, strata) and where each person stands ' +
          'in the campaign; never linked to the answers, and without opening, start or completion times in ' +
          'anonymous mode. Written to the audit log; the file is readable by its owner only',
      )
      .option('--format <format>', 'csv or xlsx', 'csv')
      .requiredOption('--out <file>', 'the file to write')
      .option('--instrument <name>', 'the survey whose population to export', 'cairnet'),
  ).action(
    action(async (opts: { format: string; out: string; db?: string; instrument: string }) => {
      const format = checkFormat(opts.format, POPULATION_FORMATS, '--format');
      const store = await openStore({ db: opts.db });
      try {
        const pop = await readPopulationExport(store.db, opts.instrument);
        const file = await populationFile(pop, format);
        await writeAudited(
          store,
          opts.out,
          file.content,
          {
            actor: cliActor(),
            kind: 'population',
            target: 'population',
            format,
            rows: pop.rows.length,
            via: 'cli',
            extra: { anonymous: pop.anonymous, instrument: opts.instrument },
          },
          0o600,
        );
        process.stderr.write(
          `wrote ${pop.rows.length} people to ${opts.out}${pop.anonymous ? ' (anonymous mode: no link to answers, no opening, start or completion times)' : ''}\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}

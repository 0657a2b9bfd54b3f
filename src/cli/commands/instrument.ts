import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { exportXlsformWorkbook } from '../../instrument/exporters/export-xlsform.js';
import { importInstrumentFile } from '../../instrument/importers/import-instrument.js';
import type { ImportNote, ImportReport } from '../../instrument/importers/import-report.js';
import { QUOTAS_KEY, quotasOf } from '../../instrument/quotas.js';
import type { InstrumentJson } from '../../instrument/types.js';
import { openStore } from '../../store/open-store.js';
import { currentInstrument, saveInstrument } from '../../store/repositories/instruments.js';
import { ensureSurvey, findSurvey } from '../../store/repositories/surveys.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface ImportOpts {
  name?: string;
  json?: boolean;
  db?: string;
  strict?: boolean;
  dryRun?: boolean;
}

export function register(program: Command): void {
  const instrument = program.command('instrument').description('Questionnaires (instruments)');
  registerExport(instrument);
  withDbOption(
    instrument
      .command('import')
      .description(
        'Import an XLSForm (.xlsx), a LimeSurvey survey (.lss) or a SurveyJS questionnaire (.json) as a new ' +
          'version of an instrument, and print what could not be carried over, question by question',
      )
      .argument('<file>', 'the file to import')
      .option('--name <name>', 'the instrument name (default: the file name)')
      .option('--json', 'print the report as JSON')
      .option('--strict', 'refuse the file when anything in it cannot be carried over')
      .option('--dry-run', 'convert and report, but store nothing'),
  ).action(
    action(async (file: string, opts: ImportOpts) => {
      const name =
        opts.name ??
        basename(file, extname(file))
          .toLowerCase()
          .replace(/[^a-z0-9_-]+/g, '_');
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(name)) {
        throw cairnetError('CAIRNET_USAGE', `--name ${name}: use letters, digits, _ and - (64 at most)`);
      }
      // Everything is converted and checked before the store is opened: a failure stores nothing.
      const imported = await importInstrumentFile(file, { strict: opts.strict === true });
      const variables = imported.instrument.codebook.variables.length;
      if (opts.dryRun) {
        const result = { name, dryRun: true, variables, report: imported.report };
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(describe({ ...result, version: null, created: false }));
        return;
      }
      const store = await openStore({ db: opts.db });
      try {
        // a new name is a new survey (real responses only); an existing one gets a new version
        if (!(await findSurvey(store.db, name)))
          await ensureSurvey(store.db, {
            name,
            kind: 'survey',
            languages: imported.report.languages.length > 0 ? imported.report.languages : ['fr', 'en'],
          });
        const { instrument: stored, created } = await saveInstrument(
          store.db,
          name,
          imported.instrument.json as Record<string, unknown>,
        );
        const result = {
          name,
          version: stored.version,
          created,
          hash: stored.hash,
          variables,
          report: imported.report,
        };
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(describe(result));
      } finally {
        await store.close();
      }
    }),
  );
}

interface ExportOpts {
  instrument: string;
  format: string;
  out: string;
  db?: string;
}

function registerExport(instrument: Command): void {
  withDbOption(
    instrument
      .command('export')
      .description(
        "Write a survey's current questionnaire as an XLSForm (.xlsx, to edit in Excel or LibreOffice) or as SurveyJS JSON; importing it gives the same questions",
      )
      .option('--instrument <name>', 'the survey', 'cairnet')
      .requiredOption('--format <format>', 'xlsform or surveyjs')
      .requiredOption('--out <file>', 'the file to write'),
  ).action(
    action(async (opts: ExportOpts) => {
      if (opts.format !== 'xlsform' && opts.format !== 'surveyjs')
        throw cairnetError(
          'CAIRNET_EXPORT_FORMAT_UNKNOWN',
          `--format ${opts.format}: use xlsform or surveyjs`,
        );
      const store = await openStore({ db: opts.db });
      let json: InstrumentJson;
      let version: number;
      try {
        const stored = await currentInstrument(store.db, opts.instrument);
        if (!stored)
          throw cairnetError(
            'CAIRNET_INSTRUMENT_NOT_FOUND',
            `The store has no instrument named "${opts.instrument}"`,
          );
        json = stored.json as InstrumentJson;
        version = stored.version;
      } finally {
        await store.close();
      }
      const xlsform =
        opts.format === 'xlsform'
          ? await exportXlsformWorkbook(json, opts.instrument.replace(/-/g, '_'))
          : null;
      const content = xlsform ? xlsform.file : `${JSON.stringify(json, null, 2)}\n`;
      try {
        writeFileSync(opts.out, content);
      } catch (e) {
        throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${opts.out}: ${(e as Error).message}`);
      }
      process.stdout.write(`wrote ${opts.out}: ${opts.instrument} version ${version} as ${opts.format}\n`);
      const quotas = quotasOf(json).length;
      if (xlsform?.quotas) {
        const q = xlsform.quotas;
        process.stdout.write(
          `${plural(q.quotas, 'quota')} (${plural(q.members, 'member')}) written to the sheet "${q.sheet}": ` +
            'XLSForm has no quotas; cairnet instrument import reads them back, other XLSForm tools skip the sheet\n',
        );
      } else if (quotas > 0) process.stdout.write(`${plural(quotas, 'quota')} kept as ${QUOTAS_KEY}\n`);
    }),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describe(r: {
  name: string;
  version: number | null;
  created: boolean;
  variables: number;
  report: ImportReport;
}): string {
  const what =
    r.version === null
      ? `dry run, nothing stored: instrument "${r.name}"`
      : `${r.created ? 'stored' : 'unchanged'}: instrument "${r.name}" version ${r.version}`;
  const lines = [
    `${what} (${r.report.format}` +
      `${r.report.title ? `, "${r.report.title}"` : ''}; ${r.report.questions} questions, ${r.variables} variables` +
      `${r.report.languages.length ? `; languages ${r.report.languages.join(', ')}` : ''})`,
  ];
  if (r.report.notCarried.length === 0) lines.push('everything was carried over');
  else {
    lines.push(`not carried over or simplified (${r.report.notCarried.length}):`);
    lines.push(...grouped(r.report.notCarried));
  }
  if (r.report.sanitised.length > 0) {
    lines.push(`made plain text (${r.report.sanitised.length}):`);
    lines.push(...grouped(r.report.sanitised));
  }
  return `${lines.join('\n')}\n`;
}

/** Notes grouped by where they apply (one heading per question), in the order met. */
function grouped(notes: ImportNote[]): string[] {
  const groups = new Map<string, ImportNote[]>();
  for (const n of notes) groups.set(n.where, [...(groups.get(n.where) ?? []), n]);
  const lines: string[] = [];
  for (const [where, list] of groups) {
    lines.push(`  ${where}:`);
    for (const n of list) lines.push(`    ${n.attribute ? `${n.attribute}: ` : ''}${n.message}`);
  }
  return lines;
}

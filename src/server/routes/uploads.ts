import { basename, extname } from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { importPopulation, type PopulationReport } from '../../campaign/population-import.js';
import { readPopulationBuffer } from '../../campaign/read-population-file.js';
import { cairnetError, isCairnetError } from '../../errors.js';
import { importInstrumentBuffer, MAX_IMPORT_BYTES } from '../../instrument/importers/import-instrument.js';
import { contentHash } from '../../store/canonical-json.js';
import type { Store } from '../../store/open-store.js';
import { currentInstrument, listInstruments, saveInstrument } from '../../store/repositories/instruments.js';
import { recordAudit } from '../../store/repositories/users.js';

/** Largest population file an upload takes (the instrument's own limit is MAX_IMPORT_BYTES). */
export const MAX_POPULATION_BYTES = 20 * 1024 * 1024;

interface Upload {
  file: { name: string; data: Buffer } | undefined;
  fields: Record<string, string>;
}

/** A file name from a client, made safe to show: its base name, printable, 120 characters at most. */
function safeName(raw: string | undefined, fallback: string): string {
  const name = basename(String(raw ?? '').replaceAll('\\', '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .slice(-120);
  return name || fallback;
}

/** Reads a multipart body: one file in the field `file`, and short text fields. */
async function readUpload(req: FastifyRequest, maxBytes: number, fallback: string): Promise<Upload> {
  if (!req.isMultipart()) {
    throw cairnetError('CAIRNET_BAD_REQUEST', 'Send the form as multipart/form-data with the file in "file"');
  }
  const out: Upload = { file: undefined, fields: {} };
  try {
    for await (const part of req.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 8192 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw cairnetError(
            'CAIRNET_BAD_REQUEST',
            `Unexpected file field "${part.fieldname}"; send it as "file"`,
          );
        }
        out.file = { name: safeName(part.filename, fallback), data: await part.toBuffer() };
      } else {
        out.fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw cairnetError('CAIRNET_IMPORT_TOO_LARGE', `The file is larger than the ${maxBytes} bytes allowed`);
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw cairnetError('CAIRNET_BAD_REQUEST', 'Send one file and a few fields only');
    }
    if (code === 'FST_PROTO_VIOLATION' || code === 'FST_MP_PREMATURE_CLOSE') {
      throw cairnetError('CAIRNET_BAD_REQUEST', 'The multipart body is malformed');
    }
    throw e;
  }
  if (!out.file || out.file.data.length === 0) {
    throw cairnetError('CAIRNET_BAD_REQUEST', 'No file: send it in the multipart field "file"');
  }
  return out;
}

function flag(fields: Record<string, string>, name: string): boolean {
  const v = (fields[name] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(v)) return false;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  throw cairnetError('CAIRNET_BAD_REQUEST', `${name} must be true or false, not "${fields[name]}"`);
}

function unknownFields(fields: Record<string, string>, allowed: string[]): void {
  const extra = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (extra.length) throw cairnetError('CAIRNET_BAD_REQUEST', `Unknown field(s): ${extra.join(', ')}`);
}

/** The name an instrument gets from its file, as `cairnet instrument import` gives it. */
function nameFrom(file: string): string {
  return basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_');
}

/**
 * Uploads (admin; CSRF; audited), each the same as its command: `POST
 * /api/admin/instruments/import` answers what `cairnet instrument import --json` prints (`201`
 * stored, `200` for a dry run that stores nothing, the import's own code for a bad file), and
 * `POST /api/admin/population/import` answers what `cairnet population import --json` prints
 * (`200`; a file with problems → `422 CAIRNET_POPULATION_INVALID` with the report in `details`,
 * nothing stored).
 */
export async function uploadRoutes(app: FastifyInstance, deps: { store: Store }): Promise<void> {
  const { db } = deps.store;
  await app.register(multipart, { throwFileSizeLimit: true });

  app.post('/api/admin/instruments/import', { config: { roles: ['admin'] } }, async (req, reply) => {
    const { file, fields } = await readUpload(req, MAX_IMPORT_BYTES, 'questionnaire.json');
    unknownFields(fields, ['name', 'dryRun']);
    const dryRun = flag(fields, 'dryRun');
    const name = (fields.name ?? '').trim() || nameFrom(file!.name);
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(name)) {
      throw cairnetError('CAIRNET_BAD_REQUEST', `name ${name}: use letters, digits, _ and - (64 at most)`);
    }
    // Converted and checked before anything is stored: a bad file stores nothing.
    const imported = await importInstrumentBuffer(file!.data, file!.name);
    const json = imported.instrument.json as Record<string, unknown>;
    let stored: { version: number; created: boolean; hash: string };
    if (dryRun) {
      const hash = contentHash(json);
      const versions = (await listInstruments(db)).filter((i) => i.name === name);
      const same = versions.find((v) => v.hash === hash);
      stored = same
        ? { version: same.version, created: false, hash }
        : { version: Math.max(0, ...versions.map((v) => v.version)) + 1, created: true, hash };
    } else {
      const saved = await saveInstrument(db, name, json);
      stored = { version: saved.instrument.version, created: saved.created, hash: saved.instrument.hash };
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'instrument.import',
        target: name,
        detail: JSON.stringify({ file: file!.name, version: stored.version, created: stored.created }),
      });
    }
    const result = {
      name,
      version: stored.version,
      created: stored.created,
      hash: stored.hash,
      variables: imported.instrument.codebook.variables.length,
      report: imported.report,
      ...(dryRun ? { dryRun: true } : {}),
    };
    return reply.status(dryRun ? 200 : 201).send(result);
  });

  app.post('/api/admin/population/import', { config: { roles: ['admin'] } }, async (req) => {
    const { file, fields } = await readUpload(req, MAX_POPULATION_BYTES, 'population.csv');
    unknownFields(fields, ['instrument', 'map', 'dryRun']);
    const dryRun = flag(fields, 'dryRun');
    const instrument = (fields.instrument ?? '').trim();
    if (!instrument)
      throw cairnetError('CAIRNET_BAD_REQUEST', 'Name the instrument in the field "instrument"');
    if (!(await currentInstrument(db, instrument))) {
      throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${instrument}"`);
    }
    const table = await readPopulationBuffer(file!.data, file!.name);
    const map = fields.map?.trim() || undefined;
    let report: PopulationReport;
    try {
      report = await importPopulation(db, instrument, table, { file: file!.name, map, dryRun });
    } catch (e) {
      // The page maps the columns itself when they cannot be matched: it needs their names.
      if (isCairnetError(e) && e.code === 'CAIRNET_POPULATION_MAPPING_INVALID' && e.details === undefined) {
        throw cairnetError(e.code, e.message, { columns: table.header, rows: table.rows.length });
      }
      throw e;
    }
    if (!report.dryRun) {
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'population.import',
        target: file!.name,
        detail: `${instrument}: added ${report.added}, updated ${report.updated}`,
      });
    }
    return report;
  });
}

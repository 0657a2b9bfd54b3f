/**
 * Completed Cairnet responses through HTTP: Cairnet's validated, idempotent route against a bare
 * Fastify route that inserts the same row with no validation, on the same kind of store, from
 * the same run. Each server runs in a child process; the load generator runs here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generatePanel } from '../src/demo/index.js';
import { type LoadResult, runLoad } from './_load.js';
import { spawnTarget } from './_spawn-target.js';

export const PG_URL = process.env.CAIRNET_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface SubmissionFigures {
  dialect: 'sqlite' | 'postgres';
  bare: LoadResult;
  app: LoadResult;
  /** Rows in Cairnet's store after the run, and the distinct idempotency keys among them. */
  stored: number;
  distinctKeys: number;
}

async function withStore<T>(dialect: 'sqlite' | 'postgres', fn: (db: string) => Promise<T>): Promise<T> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-bench-'));
    try {
      return await fn(join(dir, 'bench.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  try {
    return await fn(`${PG_URL}?schema=${schema}`);
  } finally {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

export async function runSubmissions(opts: {
  dialect: 'sqlite' | 'postgres';
  total: number;
  concurrency: number;
}): Promise<SubmissionFigures> {
  const panel = generatePanel({ respondents: 651, seed: 2013 }).map((r) => r.data);
  const run = randomBytes(4).toString('hex');
  const body = (i: number) =>
    JSON.stringify({ data: panel[i % panel.length], idempotencyKey: `bench-${run}-${i}` });
  const out: Partial<SubmissionFigures> = { dialect: opts.dialect };
  for (const mode of ['bare', 'app'] as const) {
    await withStore(opts.dialect, async (db) => {
      const target = await spawnTarget(['--mode', mode, '--db', db]);
      try {
        const url = `${target.address}/api/instruments/cairnet/responses`;
        const warm = (i: number) =>
          JSON.stringify({ data: panel[i % panel.length], idempotencyKey: `warm-${run}-${i}` });
        await runLoad({ url, body: warm, total: 300, concurrency: opts.concurrency });
        const result = await runLoad({ url, body, total: opts.total, concurrency: opts.concurrency });
        out[mode] = result;
        if (mode === 'app') {
          const counts = await countStored(db, run);
          out.stored = counts.rows;
          out.distinctKeys = counts.keys;
        }
      } finally {
        await target.stop();
      }
    });
  }
  return out as SubmissionFigures;
}

async function countStored(db: string, run: string): Promise<{ rows: number; keys: number }> {
  const { openStore } = await import('../src/store/open-store.js');
  const store = await openStore({ db });
  try {
    const row = await store.db
      .selectFrom('responses')
      .select((eb) => [eb.fn.countAll().as('rows'), eb.fn.count('idempotency_key').distinct().as('keys')])
      .where('idempotency_key', 'like', `bench-${run}-%`)
      .executeTakeFirst();
    return { rows: Number(row?.rows ?? 0), keys: Number(row?.keys ?? 0) };
  } finally {
    await store.close();
  }
}

export function printFigures(f: SubmissionFigures, total: number, concurrency: number): void {
  const fmt = (r: LoadResult) =>
    `${r.perSecond.toFixed(0).padStart(6)} responses/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99
      .toFixed(1)
      .padStart(7)} ms   retries ${r.retries}   ${JSON.stringify(r.statuses)}`;
  const sync = f.dialect === 'sqlite' ? ` (synchronous=${process.env.CAIRNET_SQLITE_SYNC ?? 'FULL'})` : '';
  console.log(`${f.dialect}${sync}: ${total} completed Cairnet responses, ${concurrency} concurrent clients`);
  console.log(`  bare Fastify insert : ${fmt(f.bare)}`);
  console.log(`  Cairnet (validated) : ${fmt(f.app)}`);
  console.log(
    `  ratio Cairnet / bare: throughput ${(f.app.perSecond / f.bare.perSecond).toFixed(2)}, p99 ${(f.app.p99 / f.bare.p99).toFixed(2)}`,
  );
  console.log(
    `  stored by Cairnet   : ${f.stored} rows, ${f.distinctKeys} distinct idempotency keys (sent ${total})`,
  );
}

export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

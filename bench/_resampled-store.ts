/**
 * Benchmarks' stores of many Cairnet responses: drawn with replacement from a generated
 * demonstration panel of 2,000 (generating each with the latent-class model would take half an
 * hour), written in batches of 1,000, and kept between runs (written again only when the store
 * does not hold exactly the number asked for, or with `reload`).
 */
import { sql } from 'kysely';
import { generatePanel } from '../src/demo/index.js';
import { seededRandom } from '../src/demo/random.js';
import { ensureCairnetInstrument } from '../src/server/bootstrap.js';
import { openStore } from '../src/store/open-store.js';
import { countResponses, responseRow } from '../src/store/repositories/responses.js';

export async function resampledStore(db: string, rows: number, reload = false): Promise<void> {
  const store = await openStore({ db });
  try {
    const have = await countResponses(store.db, 'cairnet');
    if (have === rows && !reload) {
      process.stdout.write(`store: ${have} responses already in ${store.adapter.description}\n`);
      return;
    }
    const t0 = performance.now();
    await sql`delete from responses where instrument_name = 'cairnet'`.execute(store.db);
    const { instrument } = await ensureCairnetInstrument(store);
    const pool = generatePanel({ respondents: 2000, seed: 2026 }).map((r) => r.data);
    const rand = seededRandom(1_000_000);
    const start = Date.UTC(2012, 3, 2);
    const batch = 1000;
    for (let i = 0; i < rows; i += batch) {
      const chunk = [];
      for (let k = i; k < Math.min(rows, i + batch); k++) {
        chunk.push(
          responseRow({
            instrumentName: 'cairnet',
            instrumentVersion: instrument.version,
            data: pool[Math.floor(rand() * pool.length)]!,
            synthetic: true,
            idempotencyKey: `bench-resampled-${k}`,
            completedAt: new Date(start + k * 1000).toISOString(),
          }),
        );
      }
      // SQLite takes at most 32,766 parameters a statement: 11 columns × 1,000 rows in three parts
      for (let at = 0; at < chunk.length; at += 500) {
        await store.db
          .insertInto('responses')
          .values(chunk.slice(at, at + 500))
          .execute();
      }
      if ((i / batch) % 100 === 99) process.stdout.write(`  ${i + batch} written\n`);
    }
    await sql`analyze`.execute(store.db).catch(() => undefined);
    process.stdout.write(
      `store: wrote ${rows} responses to ${store.adapter.description} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
    );
  } finally {
    await store.close();
  }
}

/**
 * `npm run bench -- snapshot`: what a results snapshot costs. On a store of `--rows=N` resampled
 * Cairnet responses (default 651; `--db=URL` for PostgreSQL): the plan evaluated as the outputs
 * evaluated it before snapshots (evaluateStoreResults, factor map included), then a snapshot
 * computed and stored (the same evaluation, the responses hashed meanwhile, the association
 * counts), then the stored snapshot loaded by id as a page does (`--repeat=N` times, median and
 * slowest), with the size of what is loaded. Prints figures; asserts nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { computeSnapshot } from '../src/results/compute-snapshot.js';
import { loadSnapshot } from '../src/results/load-snapshot.js';
import { evaluateStoreResults } from '../src/results/store-results.js';
import { openStore } from '../src/store/open-store.js';
import { findSnapshotRow } from '../src/store/repositories/snapshots.js';
import { resampledStore } from './_resampled-store.js';

const args = process.argv.slice(2);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROWS = Number(value('rows') ?? 651);
const REPEAT = Number(value('repeat') ?? 50);
const OUT = join(process.cwd(), 'bench', 'out');
mkdirSync(OUT, { recursive: true });
const DB = value('db') ?? join(OUT, `snapshot-${ROWS}.db`);

await resampledStore(DB, ROWS);
const store = await openStore({ db: DB });
const ms = (t0: number) => Math.round(performance.now() - t0);
try {
  let t0 = performance.now();
  await evaluateStoreResults(store, { factorMap: true });
  const evaluate = ms(t0);
  t0 = performance.now();
  const snap = await computeSnapshot(store, { by: 'bench' });
  const compute = ms(t0);
  t0 = performance.now();
  const bare = await computeSnapshot(store, { by: 'bench', associations: false });
  const computeBare = ms(t0);
  const row = await findSnapshotRow(store.db, snap.snapshot.id);
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await loadSnapshot(store, snap.snapshot.id);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const kb = (n: number) => `${Math.round(n / 1024)} KiB`;
  process.stdout.write(
    `${store.adapter.description}: ${snap.results.n} responses\n` +
      `evaluate (as before snapshots): ${evaluate} ms\n` +
      `compute + store a snapshot: ${compute} ms (with the association counts), ${computeBare} ms without (${bare.snapshot.id})\n` +
      `stored snapshot: body ${kb(row!.body.length)} (factor map ${kb(JSON.stringify(snap.factorMap ?? null).length)}), inputs ${row!.inputs.length} B\n` +
      `load by id (${REPEAT}×): median ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms, slowest ${times.at(-1)!.toFixed(2)} ms\n`,
  );
} finally {
  await store.close();
}

/**
 * `npm run bench -- load`: 20,000 completed Cairnet responses from 100 concurrent clients (with
 * retries under their idempotency keys) on SQLite and on PostgreSQL, against a bare Fastify insert
 * from the same run; then checks the store holds exactly one row per response sent.
 * Options: --total N, --concurrency C, --dialect sqlite|postgres|both.
 */
import { option, printFigures, runSubmissions } from './_submissions.js';

const total = Number(option('total', '20000'));
const concurrency = Number(option('concurrency', '100'));
const which = option('dialect', 'both');
const dialects = which === 'both' ? (['sqlite', 'postgres'] as const) : ([which] as ['sqlite' | 'postgres']);
let exact = true;
for (const dialect of dialects) {
  const f = await runSubmissions({ dialect, total, concurrency });
  printFigures(f, total, concurrency);
  const ok = f.stored === total && f.distinctKeys === total && f.app.statuses['201'] === total;
  console.log(`  none lost, none doubled: ${ok ? 'yes' : 'NO'}`);
  exact &&= ok;
}
process.exitCode = exact ? 0 : 1;

/**
 * `npm run bench -- dashboard`: the survey team's dashboard over 100,000 stored responses, served
 * by `cairnet serve` in its own process: the first request (which evaluates the whole plan),
 * then repeated requests for the page, its results API, its summary (campaign, most cited
 * associations) and the public results page, with their median and slowest times, and the
 * server's peak memory. Options: `--rows=N` (default 100000), `--db=URL` (default a SQLite
 * file under bench/out; `--db=postgres://…?schema=…` for PostgreSQL), `--repeat=N` (default 10),
 * `--reload`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeSnapshot } from '../src/results/compute-snapshot.js';
import { openStore } from '../src/store/open-store.js';
import { publishSnapshot } from '../src/store/repositories/publications.js';
import { addUser } from '../src/store/repositories/users.js';
import { startServer } from '../test/helpers/server-process.js';
import { resampledStore } from './_resampled-store.js';

const args = process.argv.slice(2);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROWS = Number(value('rows') ?? 100_000);
const REPEAT = Number(value('repeat') ?? 10);
const OUT = join(process.cwd(), 'bench', 'out');
mkdirSync(OUT, { recursive: true });
const DB = value('db') ?? join(OUT, `dashboard-${ROWS}.db`);
const EMAIL = 'bench-admin@example.org';
const PASSWORD = 'a long bench password';

await resampledStore(DB, ROWS, args.includes('--reload'));
{
  const store = await openStore({ db: DB });
  try {
    const known = await store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', EMAIL)
      .executeTakeFirst();
    const admin = known ?? (await addUser(store.db, { email: EMAIL, password: PASSWORD, role: 'admin' }));
    // the bench's resampled (synthetic) responses: published as no route or command can, to time the public page
    const id = (await computeSnapshot(store, { by: admin.id })).snapshot.id;
    await publishSnapshot(store.db, id, admin.id, new Date(), { demonstration: true });
  } finally {
    await store.close();
  }
}

const server = await startServer(['--db', DB]);
const peakMB = () => {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const get = async (path: string, withSession = true) => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}${path}`, withSession ? { headers: { cookie } } : {});
    const body = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    return { ms: performance.now() - t0, bytes: body.length };
  };
  const first = await get('/admin/dashboard');
  process.stdout.write(
    `${ROWS} responses (${DB.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}): first dashboard request ${(first.ms / 1000).toFixed(2)} s ` +
      `(evaluates the plan), page ${Math.round(first.bytes / 1024)} KB, server peak RSS ${peakMB()} MB\n`,
  );
  for (const [path, session] of [
    ['/admin/dashboard', true],
    ['/api/admin/dashboard', true],
    ['/api/admin/dashboard/summary', true],
    ['/results/cairnet', false],
  ] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REPEAT; i++) {
      const r = await get(path, session);
      times.push(r.ms);
      bytes = r.bytes;
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `  ${path.padEnd(30)} median ${times[Math.floor(times.length / 2)]!.toFixed(0).padStart(6)} ms, ` +
        `slowest ${times.at(-1)!.toFixed(0).padStart(6)} ms, ${Math.round(bytes / 1024)} KB\n`,
    );
  }
  process.stdout.write(`server peak RSS ${peakMB()} MB\n`);
} finally {
  await server.stop();
}

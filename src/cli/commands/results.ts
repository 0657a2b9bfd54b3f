import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { cliActor } from '../../exports/export-audit.js';
import { computeSnapshot } from '../../results/compute-snapshot.js';
import { loadSnapshot } from '../../results/load-snapshot.js';
import type { Snapshot } from '../../results/snapshot.js';
import { diffResults, type SnapshotDiff } from '../../results/snapshot-diff.js';
import { openStore, type Store } from '../../store/open-store.js';
import { findPublication } from '../../store/repositories/publications.js';
import { deleteSnapshot, listSnapshots } from '../../store/repositories/snapshots.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { resultsTable } from './analyze.js';

/** Runs `fn` on the store a `--db` value names, closed afterwards. */
export async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ db });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** What `cairnet results compute --json` prints about a new snapshot. */
export function snapshotSummary(snap: Snapshot) {
  return {
    snapshot: snap.snapshot.id,
    instrument: snap.snapshot.instrument,
    responses: snap.results.n,
    computedAt: snap.snapshot.computedAt,
    computedBy: snap.snapshot.computedBy,
    synthetic: snap.results.synthetic,
    resultsHash: snap.snapshot.resultsHash,
    planHash: snap.snapshot.inputs.plan.hash,
    code: snap.snapshot.inputs.code,
  };
}

/** Stores a snapshot of the current responses (the `--snapshot`-less form of report, press-release and trends). */
export async function freshSnapshot(
  store: Store,
  opts: { instrument?: string | undefined; plan?: string | undefined },
): Promise<Snapshot> {
  return computeSnapshot(store, { instrument: opts.instrument, planFile: opts.plan, by: cliActor() });
}

function pct(v: number | null): string {
  return v === null ? '—' : `${(100 * v).toFixed(1)}%`;
}

/** A readable diff: one line per figure that moved. */
export function diffTable(d: SnapshotDiff): string {
  const lines = [
    `${d.from} → ${d.to}: ${d.n.before} → ${d.n.after} responses; ${d.moved} indicators moved, ${d.beyondInterval} beyond the earlier interval`,
  ];
  for (const ind of d.indicators) {
    if (ind.state === 'unchanged') continue;
    if (ind.state !== 'moved') {
      lines.push(`${ind.id}  ${ind.state}`);
      continue;
    }
    for (const c of ind.changes) {
      const raw = ind.kind === 'mean' || ind.kind === 'distinctNames';
      const show = raw ? (v: number | null) => (v === null ? '—' : String(Number(v.toFixed(3)))) : pct;
      const change =
        c.change === null ? '' : raw ? c.change.toFixed(3) : `${(100 * c.change).toFixed(1)} pts`;
      const beyond = c.beyondInterval === true ? '  beyond interval' : '';
      lines.push(
        `${ind.id}${c.cell ? ` ${c.cell}` : ''}  ${show(c.before)} → ${show(c.after)}  (${change}; n ${c.nBefore ?? '—'} → ${c.nAfter ?? '—'})${beyond}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const results = program
    .command('results')
    .description('Results snapshots: compute and store, list, show, compare, delete');

  withDbOption(
    results
      .command('compute')
      .description(
        'Evaluate the analysis plan on the stored responses and store the results as a new snapshot',
      )
      .option('--instrument <name>', 'which instrument (default cairnet)')
      .option('--plan <file>', 'analysis plan (YAML); default instruments/NAME/plan.yaml')
      .option('--json', 'print {"snapshot", "instrument", "responses", "computedAt", …} as JSON'),
  ).action(
    action(async (opts: { instrument?: string; plan?: string; json?: boolean; db?: string }) => {
      const snap = await withStore(opts.db, (store) =>
        computeSnapshot(store, { instrument: opts.instrument, planFile: opts.plan, by: cliActor() }),
      );
      const s = snapshotSummary(snap);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(s)}\n`
          : `snapshot ${s.snapshot}: ${s.instrument}, ${s.responses} responses, computed at ${s.computedAt}${s.synthetic ? ' (synthetic demonstration data)' : ''}\n`,
      );
    }),
  );

  withDbOption(
    results
      .command('list')
      .description('The stored snapshots, newest first, and which one is published')
      .option('--instrument <name>', 'only this instrument')
      .option(
        '--json',
        'print {"snapshots": [{snapshot, instrument, responses, computedAt, computedBy, published}]}',
      ),
  ).action(
    action(async (opts: { instrument?: string; json?: boolean; db?: string }) => {
      const rows = await withStore(opts.db, async (store) => {
        const list = await listSnapshots(store.db, { instrument: opts.instrument });
        const instruments = [...new Set(list.map((r) => r.instrument))];
        const pubs = await Promise.all(instruments.map((i) => findPublication(store.db, i)));
        const published = new Set(pubs.map((p) => p?.snapshot).filter(Boolean));
        return list.map((r) => ({
          snapshot: r.id,
          instrument: r.instrument,
          responses: r.responses_count,
          computedAt: r.computed_at,
          computedBy: r.computed_by,
          resultsHash: r.results_hash,
          published: published.has(r.id),
        }));
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ snapshots: rows })}\n`);
        return;
      }
      if (rows.length === 0)
        process.stdout.write('no snapshot stored (make one with `cairnet results compute`)\n');
      for (const r of rows)
        process.stdout.write(
          `${r.snapshot}  ${r.instrument}  ${r.responses} responses  ${r.computedAt}  ${r.computedBy}${r.published ? '  published' : ''}\n`,
        );
    }),
  );

  withDbOption(
    results
      .command('show')
      .argument('<id>', 'a snapshot id (see `cairnet results list`)')
      .description('A stored snapshot: its indicators (as `cairnet analyze`) and its inputs')
      .option('--json', 'print the indicators JSON of `cairnet analyze --json` with "snapshot" and "inputs"'),
  ).action(
    action(async (id: string, opts: { json?: boolean; db?: string }) => {
      const snap = await withStore(opts.db, (store) => loadSnapshot(store, id));
      const info = snap.snapshot;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({
            snapshot: info.id,
            ...snap.results,
            computedAt: info.computedAt,
            computedBy: info.computedBy,
            resultsHash: info.resultsHash,
            inputs: info.inputs,
          })}\n`,
        );
        return;
      }
      const i = info.inputs;
      process.stdout.write(
        `snapshot ${info.id}, computed at ${info.computedAt} by ${info.computedBy}\n` +
          `  instrument ${i.instrument.name} v${i.instrument.version ?? 'bundled'} (responses under v${i.instrument.responseVersions.join(', v') || '—'})\n` +
          `  plan ${i.plan.file} sha256 ${i.plan.hash}\n` +
          `  responses ${i.responses.count}, last ${i.responses.last ?? '—'}, sha256 ${i.responses.hash}\n` +
          `  decisions ${i.decisions.count} (last ${i.decisions.last ?? '—'}); code ${i.code}; counted ${i.counts}\n` +
          resultsTable(snap.results),
      );
    }),
  );

  withDbOption(
    results
      .command('diff')
      .argument('<a>', 'the earlier snapshot')
      .argument('<b>', 'the later snapshot')
      .description(
        'Which indicators moved between two snapshots, by how much, and whether beyond the interval',
      )
      .option('--json', 'print {"from", "to", "n", "indicators": [{id, state, beyondInterval, changes}], …}'),
  ).action(
    action(async (a: string, b: string, opts: { json?: boolean; db?: string }) => {
      const d = await withStore(opts.db, async (store) => {
        const [x, y] = [await loadSnapshot(store, a), await loadSnapshot(store, b)];
        if (x.snapshot.instrument !== y.snapshot.instrument)
          throw cairnetError(
            'CAIRNET_USAGE',
            `${a} is of "${x.snapshot.instrument}" and ${b} of "${y.snapshot.instrument}": compare snapshots of one instrument`,
          );
        return diffResults(x.results, y.results, a, b);
      });
      process.stdout.write(opts.json ? `${JSON.stringify(d)}\n` : diffTable(d));
    }),
  );

  withDbOption(
    results
      .command('delete')
      .argument('<id>', 'a snapshot that was never published')
      .description('Delete a snapshot that was never published (a published one is kept)'),
  ).action(
    action(async (id: string, opts: { db?: string }) => {
      await withStore(opts.db, (store) => deleteSnapshot(store.db, id));
      process.stdout.write(`deleted snapshot ${id}\n`);
    }),
  );
}

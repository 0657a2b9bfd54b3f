import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';
import {
  insertCompletedResponse,
  type NewResponse,
  type ResponseRow,
  replay,
  responseRow,
} from './responses.js';

interface Pending {
  response: NewResponse;
  row: ResponseRow;
  resolve: (r: { id: string; replayed: boolean }) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for completed responses: the submissions that arrive while the previous statement
 * runs are inserted together, in one `INSERT … ON CONFLICT (idempotency_key) DO NOTHING
 * RETURNING id`. Each caller is answered only after that statement has committed, so an
 * acknowledged response is never lost; a retry (a key already stored, or twice in one batch) is
 * answered with the stored id, exactly as {@link insertCompletedResponse} would. If the batch
 * fails as a whole, each response is inserted on its own, so an error reaches only its cause.
 *
 * Responses that complete a draft or an invitation need their own transaction and do not come
 * here.
 */
export class ResponseBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(
    private readonly db: Kysely<CairnetDatabase>,
    private readonly maxBatch = 200,
  ) {}

  submit(response: NewResponse): Promise<{ id: string; replayed: boolean }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ response, row: responseRow(response), resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.flush(batch);
    }
    this.running = false;
  }

  private async flush(batch: Pending[]): Promise<void> {
    let inserted: Set<string>;
    try {
      const rows = await this.db
        .insertInto('responses')
        .values(batch.map((p) => p.row))
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .execute();
      inserted = new Set(rows.map((r) => r.id));
    } catch {
      await Promise.all(
        batch.map((p) => insertCompletedResponse(this.db, p.response).then(p.resolve, p.reject)),
      );
      return;
    }
    const replays = batch.filter((p) => !inserted.has(p.row.id));
    const keys = [...new Set(replays.map((p) => p.row.idempotency_key).filter((k): k is string => !!k))];
    const stored = keys.length
      ? await this.db
          .selectFrom('responses')
          .select(['id', 'data_hash', 'idempotency_key'])
          .where('idempotency_key', 'in', keys)
          .execute()
          .catch((e: unknown) => {
            for (const p of replays) p.reject(e);
            return null;
          })
      : [];
    if (stored === null) {
      for (const p of batch) if (inserted.has(p.row.id)) p.resolve({ id: p.row.id, replayed: false });
      return;
    }
    const byKey = new Map(stored.map((s) => [s.idempotency_key, s]));
    for (const p of batch) {
      if (inserted.has(p.row.id)) {
        p.resolve({ id: p.row.id, replayed: false });
        continue;
      }
      const key = p.row.idempotency_key;
      const existing = key ? byKey.get(key) : undefined;
      try {
        if (!existing || !key) throw new Error('A batched response was neither stored nor found by its key');
        p.resolve(replay(existing, p.row.data_hash, key));
      } catch (e) {
        p.reject(e);
      }
    }
  }
}

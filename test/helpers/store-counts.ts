import type { Store } from '../../src/store/open-store.js';

/** How many completed responses and drafts a store holds: what a refused input must not change. */
export async function storeCounts(store: Store): Promise<{ responses: number; drafts: number }> {
  const r = await store.db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const d = await store.db
    .selectFrom('drafts')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return { responses: Number(r?.n), drafts: Number(d?.n) };
}

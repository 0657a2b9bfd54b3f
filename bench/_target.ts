/**
 * A server for the load benchmarks, run as a child process so that the load generator does not
 * share its event loop: `--mode app` is Cairnet's own app; `--mode bare` is a bare Fastify route
 * that inserts the same row into the same kind of store with no validation. Prints its port.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { ensureCairnetInstrument } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/build-app.js';
import { openStore } from '../src/store/open-store.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const mode = args.get('mode') ?? 'app';
const store = await openStore({ db: args.get('db') });
const { instrument } = await ensureCairnetInstrument(store);

let app: import('fastify').FastifyInstance;
if (mode === 'bare') {
  app = Fastify({ bodyLimit: 256 * 1024 });
  app.post('/api/instruments/cairnet/responses', async (req, reply) => {
    const body = req.body as { data: unknown; idempotencyKey?: string };
    const id = randomUUID();
    await store.db
      .insertInto('responses')
      .values({
        id,
        instrument_name: 'cairnet',
        instrument_version: instrument.version,
        data: JSON.stringify(body.data),
        idempotency_key: body.idempotencyKey ?? null,
        data_hash: '',
        synthetic: 0,
        meta: null,
        invitation_id: null,
        started_at: null,
        completed_at: new Date().toISOString(),
      })
      .execute();
    reply.status(201);
    return { id };
  });
} else {
  app = await buildApp({ store, openSubmitRate: 0 });
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ address })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await store.close();
  process.exit(0);
});

/**
 * A bounded HTTP load generator for the benchmarks: `concurrency` clients on keep-alive
 * connections send `total` requests in all to one URL on 127.0.0.1, retrying a failed request
 * (network error or 5xx) with the same body, as a real client with an idempotency key would.
 */
import http from 'node:http';

export interface LoadResult {
  total: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  retries: number;
  /** The ids acknowledged with 201, by request index. */
  acknowledged: Map<number, string>;
}

export async function runLoad(opts: {
  url: string;
  method?: string;
  body: (i: number) => string;
  total: number;
  concurrency: number;
  maxRetries?: number;
  timeoutMs?: number;
}): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const acknowledged = new Map<number, string>();
  let next = 0;
  let retries = 0;
  const send = (payload: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: opts.method ?? 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= opts.total) return;
      const payload = opts.body(i);
      const t0 = performance.now();
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await send(payload);
          if (res.status >= 500 && attempt < (opts.maxRetries ?? 5)) {
            retries++;
            continue;
          }
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 201) acknowledged.set(i, (JSON.parse(res.body) as { id: string }).id);
          break;
        } catch {
          if (attempt >= (opts.maxRetries ?? 5)) {
            statuses.error = (statuses.error ?? 0) + 1;
            break;
          }
          retries++;
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    total: opts.total,
    seconds,
    perSecond: opts.total / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    statuses,
    retries,
    acknowledged,
  };
}

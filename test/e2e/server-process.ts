import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  /** What the server wrote on stderr, for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// If the test process dies without its afterAll, take the servers down with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `cairnet serve` as a child process on a temporary database, resolved once it listens. */
export async function startServer(
  db: string,
  opts: { port?: number; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    ['bin/cairnet.mjs', 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db, '--no-demo'],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', CAIRNET_OPEN_SUBMIT_RATE: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let output = '';
  child.stdout?.on('data', (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    output += b.toString();
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`cairnet serve exited with ${child.exitCode}`);
      if (/cairnet: serving/.test(output)) {
        const res = await fetch(`${url}/healthz`).catch(() => undefined);
        if (res?.ok) break;
      }
      if (Date.now() > deadline) throw new Error(`cairnet serve did not listen within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n--- server output ---\n${output}`);
  }
  return { url, log: () => output, stop };
}

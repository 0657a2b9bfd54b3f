import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed on stderr so far. */
  log(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `cairnet serve` in a child process on a free port and waits until it listens. */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'cairnet.mjs'), 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    // Tests post in bulk from one address: no open-submission limit unless a test sets one.
    env: { ...process.env, LOG_LEVEL: 'warn', CAIRNET_OPEN_SUBMIT_RATE: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${stderr}`)), timeoutMs);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += String(c);
      const m = /serving (http:\/\/[^\s]+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    log: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

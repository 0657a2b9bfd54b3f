import { runCli } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cairnet ARGS` in this process and captures what it prints. */
export async function cli(args: string[], stdin?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const saved = process.env.CAIRNET_PASSWORD;
  if (stdin !== undefined) process.env.CAIRNET_PASSWORD = stdin;
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    if (stdin !== undefined) {
      if (saved === undefined) delete process.env.CAIRNET_PASSWORD;
      else process.env.CAIRNET_PASSWORD = saved;
    }
    process.exitCode = 0;
  }
}

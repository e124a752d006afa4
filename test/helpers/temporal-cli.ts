/**
 * Runs the real `temporal` CLI against the test server, as an operator would.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findTemporalCli } from '../../src/dev-server/find-temporal-cli.js';
import { getTestServer } from './server.js';

const run = promisify(execFile);

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs `temporal <args> --address <test server> --namespace <ns>`; never throws on a non-zero exit. */
export async function temporalCli(args: string[]): Promise<CliResult> {
  const [{ path }, server] = await Promise.all([findTemporalCli(), getTestServer()]);
  try {
    const { stdout, stderr } = await run(
      path,
      [...args, '--address', server.address, '--namespace', server.namespace],
      { timeout: 60_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? String(error), code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Runs a `temporal ... -o json` command and parses its output; throws with the CLI's stderr on failure. */
export async function temporalJson<T = unknown>(args: string[]): Promise<T> {
  const result = await temporalCli([...args, '--output', 'json']);
  if (result.code !== 0) throw new Error(`temporal ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Polls `check` until it returns a value other than undefined (visibility is eventually consistent). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the `durable-graph` CLI from source against a test environment's server and task queue. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphTestEnv } from './env.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** tsx by its file URL: `--import tsx` would be resolved from the working folder, which may be anywhere. */
const tsx = import.meta.resolve('tsx');

/** What a run of the CLI printed, its exit code, and how long the process took (start to exit). */
export interface DurableGraphRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Options of a CLI run. */
export interface DurableGraphRunOptions {
  /** The working folder. @default the repository */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to its stdin (else stdin is empty). */
  input?: string;
  /** Called with each chunk the CLI writes to stderr, as it writes it (e.g. to act when it says it is waiting). */
  onStderr?: (chunk: string) => void;
}

/** Runs `durable-graph <args>` (with the env's `--address`, `--namespace`, `--task-queue`); resolves when it exits. */
export function durableGraph(
  env: Pick<GraphTestEnv, 'address' | 'namespace' | 'taskQueue'>,
  args: string[],
  options: Pick<DurableGraphRunOptions, 'input' | 'onStderr'> = {},
): Promise<DurableGraphRun> {
  return runDurableGraph(
    [...args, '--address', env.address, '--namespace', env.namespace, '--task-queue', env.taskQueue],
    options,
  );
}

/** Runs `durable-graph <args>` as given (no connection flags added), in `cwd` (default: the repository) with `env`. */
export function runDurableGraph(args: string[], options: DurableGraphRunOptions = {}): Promise<DurableGraphRun> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--conditions=durable-graph-source', '--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd: options.cwd ?? root,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (child.stdin) {
    // A CLI that exits without reading its stdin closes the pipe: not an error of the test.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => {
    const chunk = c.toString('utf8');
    stderr += chunk;
    options.onStderr?.(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

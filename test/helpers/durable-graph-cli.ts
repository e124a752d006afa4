/** Runs the `durable-graph` CLI from source against a test environment's server and task queue. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphTestEnv } from './env.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `durable-graph <args>` (with the env's `--address`, `--namespace`, `--task-queue`); resolves when it exits. */
export function durableGraph(
  env: Pick<GraphTestEnv, 'address' | 'namespace' | 'taskQueue'>,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=durable-graph-source',
      '--import',
      'tsx',
      join(root, 'src', 'cli', 'main.ts'),
      ...args,
      '--address',
      env.address,
      '--namespace',
      env.namespace,
      '--task-queue',
      env.taskQueue,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The facts every number depends on: machine (cores, memory, CPU), versions (Node, Temporal SDK/CLI/server,
 * LangGraph.js) and the git commit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@temporalio/client';

export interface Environment {
  machine: { cores: number; cpuModel: string; memoryGiB: number; platform: string; arch: string; kernel: string };
  versions: {
    node: string;
    temporalSdk: string;
    temporalCli: string;
    temporalServer: string;
    langgraph: string;
    langchainCore: string;
    checkpointSqlite: string;
    betterSqlite3: string;
    durableGraph: string;
  };
  git: { commit: string; dirty: boolean };
  devServer: { address: string; cliPath: string; args: readonly string[] };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function packageVersion(name: string): string {
  try {
    const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export async function describeEnvironment(
  server: { address: string; cliPath: string; args: readonly string[] },
  connection: Connection,
): Promise<Environment> {
  const cpu = cpus();
  let serverVersion = 'unknown';
  try {
    serverVersion = (await connection.workflowService.getSystemInfo({})).serverVersion || 'unknown';
  } catch {
    // Reported as unknown.
  }
  const own = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
    version: string;
  };
  return {
    machine: {
      cores: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      platform: process.platform,
      arch: process.arch,
      kernel: release(),
    },
    versions: {
      node: process.version,
      temporalSdk: packageVersion('@temporalio/worker'),
      temporalCli: run(server.cliPath, ['--version']),
      temporalServer: serverVersion,
      langgraph: packageVersion('@langchain/langgraph'),
      langchainCore: packageVersion('@langchain/core'),
      checkpointSqlite: packageVersion('@langchain/langgraph-checkpoint-sqlite'),
      betterSqlite3: packageVersion('better-sqlite3'),
      durableGraph: own.version,
    },
    git: { commit: run('git', ['rev-parse', 'HEAD']), dirty: run('git', ['status', '--porcelain']) !== '' },
    devServer: server,
  };
}

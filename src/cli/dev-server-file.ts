/**
 * The dev server a folder runs: `durable-graph dev` writes where it listens to `.data/dev-server.json` (beside its
 * state, `.data/temporal.db`) and removes the file when it stops. The other commands run in that folder read it when
 * nothing else names a server (no `--address`, no TEMPORAL_ADDRESS, no address in the Temporal config file), so they
 * find the server even after `dev` moved off a taken port. A file whose server process is gone is ignored.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { note, resolveTarget, type GlobalOptions } from './context.js';

/** Where `dev` records its server, relative to the folder it runs in. */
export const DEV_SERVER_FILE = join('.data', 'dev-server.json');

/** What `dev` records. */
export interface DevServerRecord {
  /** gRPC address, e.g. `127.0.0.1:7233`. */
  address: string;
  namespace: string;
  /** The Web UI's base URL, or null when it runs headless. */
  uiUrl: string | null;
  /** The Temporal server process; the record holds while it is alive. */
  pid: number;
  startedAt: string;
}

/** Records the server `dev` started in `folder`. */
export function writeDevServerFile(folder: string, record: DevServerRecord): string {
  const path = join(folder, DEV_SERVER_FILE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** Removes the record of the server with `pid` (not one a later `dev` in the same folder wrote). */
export function removeDevServerFile(folder: string, pid: number): void {
  if (readDevServerFile(folder)?.pid === pid) rmSync(join(folder, DEV_SERVER_FILE), { force: true });
}

/** The server `dev` runs in `folder`, when the file is there and its process is alive. */
export function liveDevServer(folder: string = process.cwd()): DevServerRecord | undefined {
  const record = readDevServerFile(folder);
  return record && isAlive(record.pid) ? record : undefined;
}

/**
 * Points a command at the dev server of the current folder when nothing else names a server: sets the global
 * `--address` (and `--namespace`, when `dev` used another) as if given, so printed commands repeat them too.
 * Runs before every command but `dev` itself and `bundle`, which uses no server.
 */
export function useDevServerOfFolder(program: Command, action: Command): void {
  if (action.name() === 'dev' || action.name() === 'bundle') return;
  const options = program.opts<GlobalOptions>();
  if (options.address) return;
  let from: ReturnType<typeof resolveTarget>['from'];
  try {
    ({ from } = resolveTarget(options));
  } catch {
    return; // an unreadable Temporal config file: the command reports it
  }
  if (from.address !== 'default') return;
  const record = liveDevServer();
  if (!record) return;
  program.setOptionValueWithSource('address', record.address, DEV_SERVER_FILE);
  if (!options.namespace && from.namespace === 'default' && record.namespace !== 'default')
    program.setOptionValueWithSource('namespace', record.namespace, DEV_SERVER_FILE);
  note(`Using the dev server \`durable-graph dev\` runs in this folder: ${record.address} (${DEV_SERVER_FILE}).`);
}

function readDevServerFile(folder: string): DevServerRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(folder, DEV_SERVER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const r = raw as Partial<DevServerRecord> | null;
  if (typeof r?.address !== 'string' || typeof r.pid !== 'number' || typeof r.namespace !== 'string') return undefined;
  return {
    address: r.address,
    namespace: r.namespace,
    uiUrl: typeof r.uiUrl === 'string' ? r.uiUrl : null,
    pid: r.pid,
    startedAt: typeof r.startedAt === 'string' ? r.startedAt : '',
  };
}

/** True while process `pid` runs (EPERM: it runs, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

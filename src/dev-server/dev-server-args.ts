/**
 * The command line of `temporal server start-dev`: the search attributes the engine writes and the dynamic config it
 * relies on are passed as flags, so a fresh server has them before the first Workflow starts.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { searchAttributeDefinitions } from '../protocol/search-attributes.js';

/**
 * Dynamic config the engine relies on. Eager activity execution is off on every released server (see
 * temporal-notes GOTCHA 9); Updates and eager workflow start are on by default in newer servers (≥ 1.25, ≥ 1.29),
 * but older CLIs (a go-built one, or one from PATH) may bundle an older server, so we ask for them explicitly, like
 * sdk-core's ephemeral server does.
 */
export const devServerDynamicConfig: readonly string[] = [
  'system.enableActivityEagerExecution=true',
  'system.enableEagerWorkflowStart=true',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
];

/** What the command line depends on: `startDevServer`'s options with its defaults and ports filled in. */
export interface StartDevArgsOptions {
  ip: string;
  port: number;
  uiPort: number | undefined;
  disableNewsFetch: boolean;
  dbFilename?: string;
  namespace: string;
  extraArgs?: string[];
}

/** The arguments after the `temporal` executable. */
export function startDevArgs(o: StartDevArgsOptions): string[] {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port)];
  if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  if (o.disableNewsFetch) args.push('--ui-disable-news-fetch');
  if (o.dbFilename !== undefined) args.push('--db-filename', resolve(o.dbFilename));
  args.push('--namespace', o.namespace, '--log-level', 'warn');
  for (const { name, cliType } of searchAttributeDefinitions) args.push('--search-attribute', `${name}=${cliType}`);
  for (const entry of devServerDynamicConfig) args.push('--dynamic-config-value', entry);
  args.push(...(o.extraArgs ?? []));
  return args;
}

const flagSupport = new Map<string, Promise<boolean>>();

/** Whether `temporal server start-dev` knows `flag` (it appeared in later CLI versions than some users have). */
export function supportsFlag(cliPath: string, flag: string): Promise<boolean> {
  const key = `${cliPath}\0${flag}`;
  let cached = flagSupport.get(key);
  if (cached === undefined) {
    cached = new Promise<boolean>((resolvePromise) => {
      let text = '';
      const child = spawn(cliPath, ['server', 'start-dev', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('error', () => resolvePromise(false));
      child.once('close', () => resolvePromise(text.includes(flag)));
    });
    flagSupport.set(key, cached);
  }
  return cached;
}

/**
 * `durable-graph move <thread>`: moves a thread to another Worker Deployment version from its next step (a versioning
 * override, as `temporal workflow update-options` sets): pinned to a build, auto-upgrade, or back to its workers'
 * own behaviour. See docs/deploys.md.
 */
import type { Command } from 'commander';
import type { ThreadVersion, ThreadVersionTarget } from '../../client.js';
import { CliError, connect, print, type GlobalOptions } from '../context.js';
import { checkVersionFlags } from '../deployment-flags.js';

interface MoveOptions extends GlobalOptions {
  buildId?: string;
  deployment?: string;
  autoUpgrade?: boolean;
  unset?: boolean;
  json?: boolean;
}

export function registerMove(program: Command): void {
  program
    .command('move')
    .description('Move a thread to another worker version (Worker Versioning) from its next step on.')
    .argument('<thread>', 'thread id (the Workflow Id)')
    .option('--build-id <id>', 'pin the thread to this build')
    .option('--deployment <name>', "the build's deployment (default: the thread's own)")
    .option('--auto-upgrade', "let the thread follow the deployment's current version")
    .option('--unset', "drop an earlier move: the thread follows its workers' behaviour again")
    .option('--json', 'print JSON')
    .action(async (threadId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MoveOptions>();
      const chosen = [options.buildId !== undefined, !!options.autoUpgrade, !!options.unset].filter(Boolean).length;
      if (chosen !== 1)
        throw new CliError(
          `Say where to move thread "${threadId}" with one of --build-id <id>, --auto-upgrade or --unset; nothing was changed.`,
        );
      if (options.deployment !== undefined && options.buildId === undefined)
        throw new CliError(
          `--deployment names the deployment of --build-id; pass it with --build-id <id>, or drop it; nothing was changed.`,
        );
      checkVersionFlags(options, 'nothing was changed');
      const client = await connect(options, threadId);
      try {
        let to: ThreadVersionTarget = options.autoUpgrade ? 'auto-upgrade' : 'unset';
        if (options.buildId !== undefined) {
          const deploymentName = options.deployment ?? (await client.threadVersion(threadId)).version?.deploymentName;
          if (!deploymentName)
            throw new CliError(
              `Thread "${threadId}" has not run on a versioned worker, so its deployment is unknown; nothing was changed. ` +
                `Name it: durable-graph move ${threadId} --build-id ${options.buildId} --deployment <name>`,
            );
          to = { deploymentName, buildId: options.buildId };
        }
        const now = await client.moveThread(threadId, to);
        print(options.json ? JSON.stringify(now, null, 2) : describeMove(threadId, now));
      } finally {
        await client.close();
      }
    });
}

function describeMove(threadId: string, now: ThreadVersion): string {
  const where = now.version
    ? `build "${now.version.buildId}" of deployment "${now.version.deploymentName}"`
    : 'no version yet';
  const override =
    now.override === undefined
      ? 'no override: it follows the behaviour of the workers that run it'
      : now.override === 'auto-upgrade'
        ? "override auto-upgrade: its next step runs on the deployment's current version"
        : now.override === 'unset'
          ? 'no override'
          : `override pinned to build "${now.override.buildId}": its next step runs there`;
  return `Thread "${threadId}": last ran on ${where}; ${override}.`;
}

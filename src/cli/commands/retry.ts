/**
 * `durable-graph retry <thread>`: runs again the nodes a thread is parked on (status `error`: they failed after their
 * retries), as `invoke(null)` does; the steps before them are kept. The same `{}` resume as `resume --continue`, sent
 * only to a parked thread, so a retry never answers or skips a pause by accident.
 */
import type { Command } from 'commander';
import { NoPendingInterruptError } from '../../errors.js';
import { CliError, connect, parseSeconds, print } from '../context.js';
import { describeThread } from '../thread-summary.js';
import { renderOutcome, resumeBySignal, resumeByUpdate, type ResumeOptions } from './resume.js';

export function registerRetry(program: Command): void {
  program
    .command('retry')
    .description(
      'Run again the node(s) a thread is parked on after they failed (status "error"), once the cause is fixed.',
    )
    .argument('<thread>', 'thread id (the Workflow Id)')
    .option('--signal', 'send the plain resume Signal {} and return at once (works with no worker running)')
    .option('--timeout <seconds>', "how long to wait for the thread's next stop (Update only)", parseSeconds, 120)
    .option('--json', 'print JSON')
    .action(async (threadId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ResumeOptions>();
      const client = await connect(options, threadId);
      try {
        const { summary } = await describeThread(client, threadId);
        if (summary.executionStatus !== 'running') throw new NoPendingInterruptError(threadId, summary.status);
        if (summary.status !== 'error') {
          throw new CliError(
            `Thread "${threadId}" is not parked on a failed node (it is ${summary.status}); nothing was sent. ` +
              (summary.status === 'interrupted'
                ? `It waits for an answer: \`durable-graph show ${threadId}\` shows what to send with \`durable-graph resume\`.`
                : `\`durable-graph show ${threadId}\` shows where it stands.`),
          );
        }
        const outcome = options.signal
          ? await resumeBySignal(client, threadId, {}, options)
          : await resumeByUpdate(
              client,
              threadId,
              {},
              {
                ...options,
                signalCommand: ['durable-graph', 'retry', threadId, '--signal'],
              },
            );
        print(options.json ? JSON.stringify(outcome, null, 2) : renderOutcome(outcome, options));
      } finally {
        await client.close();
      }
    });
}

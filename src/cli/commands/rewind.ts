/**
 * `durable-graph rewind <thread> [--to-pause <interrupt id>]`: takes a thread back to one of its pauses (Temporal's
 * reset, to the workflow task before the answer), so the answer and everything after it are undone and the interrupt
 * is pending again (GraphHandle.rewind). Prints what it undid, what the thread waits for now and how to answer it;
 * `--dry-run` prints the plan and the equivalent `temporal workflow reset` command, and changes nothing.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { RewindOptions, RewindResult } from '../../client.js';
import { commandLine } from '../../protocol/resume-commands.js';
import { resumeSignal } from '../../protocol/messages.js';
import { CliError, connect, connectionFlags, parseSeconds, print, type GlobalOptions } from '../context.js';
import { compactJson, indent, interruptLines } from '../format.js';
import { describeThread } from '../thread-summary.js';

interface RewindCliOptions extends GlobalOptions {
  toPause?: string;
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  wait: number;
  json?: boolean;
}

/** The `--json` output: what the rewind did (or would do), the graph, and the commands that answer it. */
export interface RewindView extends RewindResult {
  graph: string;
  /** The equivalent stock CLI command (what `--dry-run` suggests running by hand). */
  temporalCommand: string;
  /** The commands that answer the re-opened interrupt, with `<value>` to replace; empty when none is known yet. */
  resumeCommands: string[];
}

export function registerRewind(program: Command): void {
  program
    .command('rewind')
    .description(
      'Take a thread back to a pause: undo the answer it got (and all after it) so the interrupt is pending again.',
    )
    .argument('<thread>', 'thread id (the Workflow Id)')
    .option('--to-pause <interruptId>', 'the interrupt of the pause to go back to (default: the pause answered last)')
    .option('--reason <text>', 'why, recorded in history with the rewind (shown by `durable-graph audit`)')
    .option('--dry-run', 'print what would be undone and the equivalent `temporal workflow reset`; change nothing')
    .option('-y, --yes', 'do not ask for confirmation (only asked on a terminal)')
    .option(
      '--wait <seconds>',
      'how long to wait for a worker to re-open the pause before printing it',
      parseSeconds,
      10,
    )
    .option('--json', 'print JSON')
    .action(async (threadId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<RewindCliOptions>();
      const client = await connect(options, threadId);
      try {
        const { summary } = await describeThread(client, threadId); // ThreadNotFoundError for a thread that never ran
        const graph = client.graph(summary.graph);
        const config = { configurable: { thread_id: threadId } };
        const rewindOptions: RewindOptions = {
          ...(options.toPause !== undefined ? { toPause: options.toPause } : {}),
          ...(options.reason !== undefined ? { reason: options.reason } : {}),
          waitMs: options.wait * 1000,
        };
        if (!options.dryRun && !options.yes && process.stdin.isTTY && process.stdout.isTTY) {
          const plan = await graph.rewind(config, { ...rewindOptions, dryRun: true });
          print(renderRewind(view(plan, summary.graph, options), options));
          if (!(await confirm('Rewind? [y/N] '))) throw new CliError('Not rewound; nothing was changed.');
          rewindOptions.toPause = plan.pause.id; // the pause shown, even if an answer came in meanwhile
        }
        const result = await graph.rewind(config, { ...rewindOptions, dryRun: options.dryRun === true });
        const out = view(result, summary.graph, options);
        print(options.json ? JSON.stringify(out, null, 2) : renderRewind(out, options));
      } finally {
        await client.close();
      }
    });
}

function view(result: RewindResult, graph: string, options: GlobalOptions): RewindView {
  const flags = connectionFlags(options);
  const ids = result.pending.map((p) => p.id);
  const resumeCommands =
    ids.length === 0
      ? []
      : ids.length === 1
        ? [`${commandLine(['durable-graph', 'resume', result.threadId])} '<value>'${flagText(flags)}`]
        : ids.map(
            (id) =>
              `${commandLine(['durable-graph', 'resume', result.threadId])} '<value>' --id ${id}${flagText(flags)}`,
          );
  return {
    ...result,
    graph,
    temporalCommand: commandLine([
      'temporal',
      'workflow',
      'reset',
      ...flags,
      '--workflow-id',
      result.threadId,
      '--run-id',
      result.baseRunId,
      '--event-id',
      result.eventId,
      '--reason',
      result.reason,
      '--reapply-exclude',
      'Signal',
      '--reapply-exclude',
      'Update',
    ]),
    resumeCommands,
  };
}

/** The human rendering: the pause, what was undone, what the thread waits for now and how to answer. */
export function renderRewind(v: RewindView, options: GlobalOptions): string {
  const pause = `the pause of interrupt ${v.pause.id} (node "${v.pause.node}", asked ${compactJson(v.pause.value, 80)} at ${v.pause.at})`;
  const out: string[] = [];
  const dry = v.runId === undefined;
  out.push(
    dry
      ? `Would rewind thread "${v.threadId}" (graph "${v.graph}") to ${pause}.`
      : `Rewound thread "${v.threadId}" (graph "${v.graph}") to ${pause}.`,
  );
  out.push('', `${dry ? 'It would undo' : 'Undone'} (${v.undone.length}):`);
  for (const e of v.undone) {
    const answered = e.interrupts.map((i) => `${i.id} (${i.node}) = ${compactJson(i.value, 60)}`).join(', ');
    const what =
      e.action === 'updateState' ? `updateState ${compactJson(e.input, 60)}` : `${e.action} (${e.via ?? '?'})`;
    out.push(`  ${e.at}  ${e.identity || '(no identity)'}  ${what}${answered ? `: ${answered}` : ''}`);
  }
  if (dry) {
    out.push(
      '',
      `The reset goes back to event ${v.eventId} of run ${v.baseRunId}; the same with the Temporal CLI:`,
      `  ${v.temporalCommand}`,
      '',
      v.keepsInterruptId
        ? `The interrupt would be pending again under the same id (${v.pause.id}).`
        : 'The interrupt would be pending again under a new id (answered by a Signal right after the pause, in a thread of durable-graph 0.1.0 or by a local node).',
      'Nothing was changed.',
    );
    return out.join('\n');
  }
  out.push('', `The thread goes on in a new run (${v.runId}), reset to event ${v.eventId} of run ${v.baseRunId}.`);
  out.push(`Recorded reason: ${v.reason}`);
  if (v.pending.length) {
    out.push('', `Pending again (${v.pending.length}):`, indent(interruptLines(v.pending)));
    if (!v.keepsInterruptId)
      out.push(
        '',
        `The interrupt has a new id: answered by a Signal right after the pause, in a thread of durable-graph 0.1.0 or by a local node (docs/operations.md#rewind).`,
      );
    out.push('', 'Answer it (replace <value> with the JSON answer):', ...v.resumeCommands.map((c) => `  ${c}`));
    out.push(
      'or with the Temporal CLI (a plain Signal; works with no worker running):',
      `  ${commandLine(['temporal', 'workflow', 'signal', ...connectionFlags(options), '--workflow-id', v.threadId, '--name', resumeSignal.name, '--input'])} '${resumeInput(v.pending.map((p) => p.id))}'`,
    );
  }
  if (!v.settled) {
    out.push(
      '',
      `No worker ran the thread within the wait: the pause is re-opened when a worker of its task queue runs it ` +
        `(\`durable-graph worker <module>\`). Check with \`durable-graph show ${v.threadId}${flagText(connectionFlags(options))}\`.`,
    );
  }
  return out.join('\n');
}

/** The resume Signal's input with `<value>` placeholders (the map form when several are pending). */
function resumeInput(ids: readonly string[]): string {
  if (ids.length === 1) return '{"resume": <value>}';
  return `{"resume": {${ids.map((id) => `"${id}": <value>`).join(', ')}}}`;
}

function flagText(flags: readonly string[]): string {
  return flags.length ? ` ${commandLine(flags)}` : '';
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `durable-graph audit <thread>`: every human action on a thread, oldest first, across all its runs: who
 * started each run, who resumed it (Signal or Update) with what value and which interrupts that answered,
 * whether the engine applied or rejected it, state edits, rewinds (and the answers they undid) and terminations. Rebuilt from Temporal history
 * (GraphHandle.getAuditTrail), so it needs no worker.
 */
import type { Command } from 'commander';
import type { AuditEntry } from '../../client.js';
import { connect, print, type GlobalOptions } from '../context.js';
import { compactJson, table } from '../format.js';
import { describeThread } from '../thread-summary.js';

interface AuditOptions extends GlobalOptions {
  json?: boolean;
}

/** The `--json` output. */
export interface AuditView {
  threadId: string;
  graph: string;
  entries: AuditEntry[];
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'List every human action on a thread (starts, resumes, edits, rewinds, terminations): who, when, what, applied or rejected.',
    )
    .argument('<thread>', 'thread id (the Workflow Id)')
    .option('--json', 'print JSON')
    .action(async (threadId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<AuditOptions>();
      const client = await connect(options, threadId);
      try {
        const { summary } = await describeThread(client, threadId); // ThreadNotFoundError for a thread that never ran
        const entries = await client.graph(summary.graph).getAuditTrail({ configurable: { thread_id: threadId } });
        const view: AuditView = { threadId, graph: summary.graph, entries };
        const openRunId = summary.executionStatus === 'running' ? summary.runId : null;
        print(options.json ? JSON.stringify(view, null, 2) : renderAudit(view, openRunId));
      } finally {
        await client.close();
      }
    });
}

/**
 * The human rendering: one row per action (time, run number, who, action, interrupts, value, outcome), then the
 * reasons of rejected or unprocessed actions and of terminations, numbered.
 */
export function renderAudit(view: AuditView, openRunId: string | null = null): string {
  const notes: string[] = [];
  const runs = [...new Set(view.entries.map((e) => e.runId))]; // numbered: run ids share a time-based prefix
  const rows = view.entries.map((e) => {
    // A Signal no worker has handled in the open run is an answer waiting for a worker: queued.
    const queued = e.outcome === 'unprocessed' && e.action === 'resume' && e.runId === openRunId;
    let outcome: string = queued ? 'queued' : e.outcome;
    if (e.reason) {
      notes.push(e.reason);
      outcome += ` [${notes.length}]`;
    }
    if (e.outcomeFrom === 'recomputed') outcome += ' (recomputed)';
    if (e.undoneBy) outcome += `, undone by the rewind in run ${runs.indexOf(e.undoneBy.runId) + 1}`;
    return [
      e.at,
      String(runs.indexOf(e.runId) + 1),
      e.identity || '(none)',
      actionLabel(e),
      interruptsLabel(e),
      valueLabel(e),
      outcome,
    ];
  });
  const out = [`Thread ${view.threadId} (graph ${view.graph}): ${view.entries.length} action(s), oldest first`, ''];
  out.push(table([['TIME', 'RUN', 'WHO', 'ACTION', 'INTERRUPTS', 'VALUE', 'OUTCOME'], ...rows]));
  if (notes.length) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  if (runs.length) out.push('', `Runs: ${runs.map((r, i) => `${i + 1} = ${r}`).join(', ')}`);
  return out.join('\n');
}

function actionLabel(e: AuditEntry): string {
  const label = e.via ? `${e.action} (${e.via})` : e.action;
  return e.fromWorkflow ? `${label} from workflow ${e.fromWorkflow.workflowId}` : label;
}

/** The interrupts it answered (or abandoned); for one that answered none, what was pending then. */
function interruptsLabel(e: AuditEntry): string {
  const list = (items: ReadonlyArray<{ id: string; node: string }>) =>
    items.map((i) => `${i.id} (${i.node})`).join(', ');
  if (e.action === 'rewind') {
    // Where it went back to; the re-opened interrupt when it came back under another id.
    const to = e.rewoundTo ? `to ${list([e.rewoundTo])}` : 'to an earlier point';
    const reopened = e.interrupts.filter((i) => i.id !== e.rewoundTo?.id);
    return reopened.length ? `${to}; pending ${list(reopened)}` : to;
  }
  if (e.interrupts.length) return list(e.interrupts);
  if (e.action === 'resume' && e.pending?.length) return `none; pending ${list(e.pending)}`;
  return '-';
}

function valueLabel(e: AuditEntry): string {
  const input = (e.input ?? {}) as Record<string, unknown>;
  switch (e.action) {
    case 'resume': {
      const keys = Object.keys(input);
      return keys.length === 1 && keys[0] === 'resume' ? compactJson(input.resume, 60) : compactJson(e.input, 60);
    }
    case 'updateState':
      return compactJson(input.values, 60) + (typeof input.asNode === 'string' ? ` as ${input.asNode}` : '');
    case 'rewind':
      return e.undone?.length ? `undid ${e.undone.map((i) => compactJson(i.value, 40)).join(', ')}` : '-';
    case 'start':
      if (input.command !== undefined) return `command ${compactJson(input.command, 52)}`;
      return input.input === undefined || input.input === null ? '-' : compactJson(input.input, 60);
    default:
      return '-';
  }
}

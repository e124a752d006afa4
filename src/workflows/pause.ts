/**
 * Makes a thread's status visible outside the worker: search attributes (for `temporal workflow list`),
 * a memo (for `temporal workflow describe`, readable with no worker running) and the Web UI's current
 * details (Markdown). Determinism: writes only from workflow state; called at the same points on replay.
 */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { MEMO_KEY, type ThreadMemo } from '../protocol/memo.js';
import type { InterruptInfo, RejectedResume } from '../protocol/payloads.js';
import { pendingNodesSearchAttribute, statusSearchAttribute, type ThreadStatus } from '../protocol/search-attributes.js';


export interface PendingView extends Omit<InterruptInfo, 'id'> {
  /** Absent for a NodeInterrupt (R6): it has no id and takes no resume value. */
  id?: string;
  node: string;
  /** ISO time at which the interrupt expires (`interrupt(value, { timeout })`). */
  expiresAt?: string;
}

export interface StatusView {
  threadId: string;
  graph: string;
  status: ThreadStatus;
  step: number;
  pending: PendingView[];
  rejected: readonly RejectedResume[];
  /** Set while paused at a static breakpoint (no interrupt pending; `{}` continues). */
  breakpoint?: { at: 'before' | 'after'; nodes: string[] };
}

/**
 * Writes status, pending nodes, memo and current details; skips what has not changed since the last call.
 *
 * Both describe pauses and nothing else. The memo is written while something is pending (a pause, or interrupts
 * still open after a partial resume) and removed once nothing is. The search attributes are written at a pause, and
 * afterwards only to take back what they claim (`interrupted`, or pending nodes): a run that never paused writes
 * none, and the end of a resumed run does not rewrite `running` to `completed` / `failed` (the Workflow's own
 * ExecutionStatus says that). A paused-then-resumed run makes 4 status writes.
 */
export class StatusPublisher {
  /** The JSON last written, so unchanged values are not written again; '' = never written. */
  #lastSearch = '';
  #lastMemo = '';
  /** The search attributes last written say `interrupted` or name pending nodes. */
  #searchClaimsPause = false;

  publish(view: StatusView): void {
    if (view.status === 'interrupted') {
      this.#writeSearch(view);
      this.#writeMemo(view);
    } else {
      if (this.#searchClaimsPause) this.#writeSearch(view);
      if (view.pending.length) this.#writeMemo(view);
      else this.#removeMemo();
    }
    setCurrentDetails(renderDetails(view));
  }

  #writeSearch(view: StatusView): void {
    const nodes = [...new Set([...view.pending.map((p) => p.node), ...(view.breakpoint?.nodes ?? [])])];
    const search = JSON.stringify([view.status, nodes]);
    if (search === this.#lastSearch) return;
    this.#lastSearch = search;
    this.#searchClaimsPause = view.status === 'interrupted' || nodes.length > 0;
    upsertSearchAttributes([
      { key: statusSearchAttribute, value: view.status },
      { key: pendingNodesSearchAttribute, value: nodes },
    ]);
  }

  #writeMemo(view: StatusView): void {
    const memo: ThreadMemo = {
      status: view.status,
      graph: view.graph,
      step: view.step,
      interrupts: answerable(view.pending).map((p) => ({ id: p.id, node: p.node, value: p.value, ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}) })),
      resumeCommand: view.pending.length || view.breakpoint ? resumeCommand(view.threadId, answerable(view.pending)) : null,
    };
    const held = view.pending.filter((p) => p.id === undefined);
    if (held.length) memo.nodeInterrupts = held.map((p) => ({ node: p.node, value: p.value }));
    if (view.breakpoint) memo.breakpoint = view.breakpoint;
    const memoText = JSON.stringify(memo);
    if (memoText === this.#lastMemo) return;
    this.#lastMemo = memoText;
    upsertMemo({ [MEMO_KEY]: memo });
  }

  /** Removes the memo key, if one was written (the SDK sends an undefined value as a removal). */
  #removeMemo(): void {
    if (this.#lastMemo === '' || this.#lastMemo === REMOVED) return;
    this.#lastMemo = REMOVED;
    upsertMemo({ [MEMO_KEY]: undefined });
  }
}

/** #lastMemo after the memo key was removed (never the JSON of a memo). */
const REMOVED = 'removed';

/** The pending interrupts that take a resume value (all but NodeInterrupts, R6). */
function answerable(pending: readonly PendingView[]): Array<PendingView & { id: string }> {
  return pending.filter((p): p is PendingView & { id: string } => p.id !== undefined);
}

/** The exact `temporal` CLI command that resumes the thread (placeholder value for the human to edit). */
export function resumeCommand(threadId: string, pending: readonly PendingView[]): string {
  const namespace = workflowInfo().namespace;
  const ns = namespace === 'default' ? '' : ` --namespace ${shellQuote(namespace)}`;
  const input =
    pending.length === 0
      ? '{}'
      : pending.length === 1
      ? '{"resume": true}'
      : `{"resume": {${pending.map((p) => `"${p.id}": true`).join(', ')}}}`;
  return `temporal workflow signal${ns} --workflow-id ${shellQuote(threadId)} --name resume --input ${shellQuote(input)}`;
}

/** Markdown for the Web UI's "Current Details" panel. */
export function renderDetails(view: StatusView): string {
  const lines: string[] = [];
  const header = `**Thread** \`${view.threadId}\` · **Graph** \`${view.graph}\` · **Step** ${view.step}`;
  if (view.breakpoint && view.pending.length === 0) {
    const nodes = view.breakpoint.nodes.map((n) => `\`${n}\``).join(', ');
    lines.push(
      `### Paused at a breakpoint ${view.breakpoint.at} ${nodes}`,
      '',
      header,
      '',
      '**Continue** with the Temporal CLI (`{}` continues; `{"resume": <value>}` also hands a value to the node\'s first `interrupt()`):',
      '',
      '```sh',
      resumeCommand(view.threadId, []).replace(/ --(workflow-id|input) /g, ' \\\n  --$1 '),
      '```',
    );
  } else if (view.pending.length === 0) {
    lines.push(`### ${statusTitle(view.status)}`, '', header);
  } else if (answerable(view.pending).length === 0) {
    // Only NodeInterrupts (R6): nothing to answer; the node runs again on `{}`, after the state is changed.
    const nodes = [...new Set(view.pending.map((p) => `\`${p.node}\``))].join(', ');
    lines.push(`### Paused at ${nodes} by NodeInterrupt: waiting for a human`, '', header, '');
    for (const p of view.pending) lines.push(`**NodeInterrupt** in node \`${p.node}\`:`, '', '```json', safeJson(p.value), '```', '');
    lines.push(
      'A NodeInterrupt takes no resume value. Change the state so the node\'s condition no longer holds (`updateState`), then **continue** with the Temporal CLI (the node runs again from its first line):',
      '',
      '```sh',
      resumeCommand(view.threadId, []).replace(/ --(workflow-id|input) /g, ' \\\n  --$1 '),
      '```',
    );
  } else {
    const nodes = [...new Set(view.pending.map((p) => `\`${p.node}\``))].join(', ');
    lines.push(`### Paused at ${nodes}: waiting for a human`, '', header, '');
    for (const p of view.pending) {
      const what = p.id === undefined ? '**NodeInterrupt** (no id; runs again on `{}`)' : `**Interrupt** \`${p.id}\``;
      lines.push(`${what} in node \`${p.node}\`${p.expiresAt ? ` (expires ${p.expiresAt})` : ''}:`, '', '```json', safeJson(p.value), '```', '');
    }
    lines.push(
      '**Resume** with the Temporal CLI (edit the value; `true` approves in the examples):',
      '',
      '```sh',
      // Broken into short lines: the UI's details panel does not wrap code blocks.
      resumeCommand(view.threadId, answerable(view.pending)).replace(/ --(workflow-id|input) /g, ' \\\n  --$1 '),
      '```',
      '',
      'or send the Signal `resume` from this page with input `{"resume": <value>}`' +
        (answerable(view.pending).length > 1 ? ' (several interrupts are pending: answer them by id, as above).' : '.'),
    );
  }
  const rejected = view.rejected.slice(-3);
  if (rejected.length) {
    lines.push('', '**Rejected resumes** (nothing was applied):', '');
    for (const r of rejected) lines.push(`- ${r.at} via ${r.via}: ${r.reason}`);
  }
  return lines.join('\n');
}

function statusTitle(status: ThreadStatus): string {
  switch (status) {
    case 'running':
      return 'Running';
    case 'completed':
      return 'Completed (reached END)';
    case 'failed':
      return 'Failed';
    case 'interrupted':
      return 'Paused';
  }
}

function safeJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, null, 2);
  return text.length > 4000 ? `${text.slice(0, 4000)}\n… (truncated)` : text;
}

/** POSIX single-quote unless the word is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

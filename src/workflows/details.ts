/**
 * What the Web UI's "Current Details" panel shows for a thread (Markdown), and the operator's resume command.
 * Determinism: pure text from the status view (and the namespace, from workflowInfo()).
 */
import { workflowInfo } from '@temporalio/workflow';
import { temporalResumeCommand } from '../protocol/resume-commands.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import { takesResumeValue } from '../protocol/pending.js';
import { renderParked } from './details-parked.js';
import { type PendingView, type StatusView } from './snapshot.js';

/** The exact `temporal` CLI command that resumes the thread (placeholder value for the human to edit). */
export function resumeCommand(threadId: string, pending: readonly PendingView[]): string {
  const namespace = workflowInfo().namespace;
  return temporalResumeCommand(
    threadId,
    pending.filter(takesResumeValue).map((p) => p.id),
    namespace === 'default' ? [] : ['--namespace', namespace],
  );
}

/** Markdown for the Web UI's "Current Details" panel. */
export function renderDetails(view: StatusView): string {
  if (view.failures?.length) return renderParked(view, (pending) => resumeCommand(view.threadId, pending));
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
      brokenLines(resumeCommand(view.threadId, [])),
      '```',
    );
  } else if (view.pending.length === 0) {
    lines.push(`### ${statusTitle(view.status)}`, '', header);
  } else if (view.pending.filter(takesResumeValue).length === 0) {
    // Only NodeInterrupts: nothing to answer; the node runs again on `{}`, after the state is changed.
    const nodes = [...new Set(view.pending.map((p) => `\`${p.node}\``))].join(', ');
    lines.push(`### Paused at ${nodes} by NodeInterrupt: waiting for a human`, '', header, '');
    for (const p of view.pending)
      lines.push(`**NodeInterrupt** in node \`${p.node}\`:`, '', '```json', safeJson(p.value), '```', '');
    lines.push(
      "A NodeInterrupt takes no resume value. Change the state so the node's condition no longer holds (`updateState`), then **continue** with the Temporal CLI (the node runs again from its first line):",
      '',
      '```sh',
      brokenLines(resumeCommand(view.threadId, [])),
      '```',
    );
  } else {
    const nodes = [...new Set(view.pending.map((p) => `\`${p.node}\``))].join(', ');
    lines.push(`### Paused at ${nodes}: waiting for a human`, '', header, '');
    for (const p of view.pending) {
      const what = !takesResumeValue(p) ? '**NodeInterrupt** (no id; runs again on `{}`)' : `**Interrupt** \`${p.id}\``;
      lines.push(
        `${what} in node \`${p.node}\`${p.expiresAt ? ` (expires ${p.expiresAt})` : ''}:`,
        '',
        '```json',
        safeJson(p.value),
        '```',
        '',
      );
    }
    lines.push(
      '**Resume** with the Temporal CLI (edit the value; `true` approves in the examples):',
      '',
      '```sh',
      brokenLines(resumeCommand(view.threadId, view.pending.filter(takesResumeValue))),
      '```',
      '',
      'or send the Signal `resume` from this page with input `{"resume": <value>}`' +
        (view.pending.filter(takesResumeValue).length > 1
          ? ' (several interrupts are pending: answer them by id, as above).'
          : '.'),
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
    case 'error':
      return 'Parked on a failed node';
  }
}

function safeJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, null, 2);
  return text.length > 4000 ? `${text.slice(0, 4000)}\n… (truncated)` : text;
}

/** A command broken into short lines: the UI's details panel does not wrap code blocks. */
function brokenLines(command: string): string {
  return command.replace(/ --(workflow-id|input) /g, ' \\\n  --$1 ');
}

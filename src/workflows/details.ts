/**
 * What the Web UI's "Current Details" panel shows for a thread (Markdown), and the operator's resume command.
 * The UI's Markdown renderer curls quotes and takes `<word>` for HTML in running text, so everything that is not our
 * own prose (ids, JSON, commands, reasons) is written as code, which it shows exactly.
 * Determinism: pure text from the status view (and the namespace, from workflowInfo()).
 */
import { workflowInfo } from '@temporalio/workflow';
import { codeBlock, codeSpan } from '../protocol/markdown.js';
import {
  resumeInputTemplate,
  temporalResumeCommand,
  type ResumeCommandStyle,
  type ResumeTarget,
} from '../protocol/resume-commands.js';
import { summarizeSchema } from '../protocol/schema-summary.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import { takesResumeValue } from '../protocol/pending.js';
import { renderParked } from './details-parked.js';
import { EngineChange } from './patches.js';
import { type PendingView, type StatusView } from './snapshot.js';

/**
 * The exact `temporal` CLI command that resumes the thread, as the memo records it. From engine level
 * `truthfulPauses` on, the value is an example built from the interrupt's response schema, or the placeholder
 * `<value>`, and the command survives being copied from a JSON view (`$'…'`); a level-0 run keeps writing `true`.
 */
export function resumeCommand(threadId: string, pending: readonly PendingView[], level: number): string {
  const style: ResumeCommandStyle =
    level >= EngineChange.truthfulPauses ? { quoting: 'json-safe' } : { value: () => 'true' };
  return temporalResumeCommand(threadId, targetsOf(pending), namespaceFlags(), style);
}

/** Markdown for the Web UI's "Current Details" panel. */
export function renderDetails(view: StatusView): string {
  const asks = view.pending.length || view.breakpoint || view.failures?.length;
  return detailsMarkdown(view, asks ? workflowInfo().namespace : 'default');
}

/** {@link renderDetails} for a given namespace (no Workflow context needed). */
export function detailsMarkdown(view: StatusView, namespace: string): string {
  const flags = namespace === 'default' ? [] : ['--namespace', namespace];
  const signal = (pending: readonly PendingView[]) => temporalResumeCommand(view.threadId, targetsOf(pending), flags);
  if (view.failures?.length) return renderParked(view, signal);
  const command = (pending: readonly PendingView[]) => codeBlock(brokenLines(signal(pending)), 'sh');
  const lines: string[] = [];
  const header = `**Thread** ${codeSpan(view.threadId)} · **Graph** ${codeSpan(view.graph)} · **Step** ${view.step}`;
  const answerable = view.pending.filter(takesResumeValue);
  if (view.breakpoint && view.pending.length === 0) {
    const nodes = view.breakpoint.nodes.map(codeSpan).join(', ');
    lines.push(
      `### Paused at a breakpoint ${view.breakpoint.at} ${nodes}`,
      '',
      header,
      '',
      `**Continue** with the Temporal CLI (${codeSpan('{}')} continues; ${codeSpan('{"resume": <value>}')} also hands a value to the first ${codeSpan('interrupt()')} of the node):`,
      '',
      command([]),
    );
  } else if (view.pending.length === 0) {
    lines.push(`### ${statusTitle(view.status)}`, '', header);
  } else if (answerable.length === 0) {
    // Only NodeInterrupts: nothing to answer; the node runs again on `{}`, after the state is changed.
    const nodes = [...new Set(view.pending.map((p) => codeSpan(p.node)))].join(', ');
    lines.push(`### Paused at ${nodes} by NodeInterrupt: waiting for a human`, '', header, '');
    for (const p of view.pending)
      lines.push(`**NodeInterrupt** in node ${codeSpan(p.node)}:`, '', codeBlock(safeJson(p.value), 'json'), '');
    lines.push(
      `A NodeInterrupt takes no resume value. Change the state so the condition of the node no longer holds (${codeSpan('updateState')}), then **continue** with the Temporal CLI (the node runs again from its first line):`,
      '',
      command([]),
    );
  } else {
    const nodes = [...new Set(view.pending.map((p) => codeSpan(p.node)))].join(', ');
    lines.push(`### Paused at ${nodes}: waiting for a human`, '', header, '');
    for (const p of view.pending) {
      const what = !takesResumeValue(p)
        ? `**NodeInterrupt** (no id; runs again on ${codeSpan('{}')})`
        : `**Interrupt** ${codeSpan(p.id)}`;
      lines.push(
        `${what} in node ${codeSpan(p.node)}${p.expiresAt ? ` (expires ${codeSpan(p.expiresAt)})` : ''}:`,
        '',
        codeBlock(safeJson(p.value), 'json'),
        '',
      );
      if (p.response_schema) lines.push(`Expects ${codeSpan(summarizeSchema(p.response_schema))}`, '');
    }
    const examples = answerable.filter((p) => p.response_schema).length;
    const what =
      examples === answerable.length
        ? 'the value is an example built from the response schema: edit it'
        : examples === 0
          ? `replace ${codeSpan('<value>')} with the answer as JSON`
          : `replace ${codeSpan('<value>')} with the answer as JSON, and edit the examples`;
    lines.push(
      `**Resume** with the Temporal CLI (${what}${answerable.length > 1 ? '; several interrupts are pending: answer each by its id' : ''}):`,
      '',
      command(answerable),
      '',
      'Or from this page: **More Actions**, **Send a Signal**, Signal name `resume`, input:',
      '',
      codeBlock(resumeInputTemplate(targetsOf(answerable)), 'json'),
    );
  }
  const rejected = view.rejected.slice(-3);
  if (rejected.length) {
    lines.push('', '**Rejected resumes** (nothing was applied):', '');
    for (const r of rejected) lines.push(`- ${codeSpan(r.at)} via ${r.via}: ${codeSpan(r.reason)}`);
  }
  return lines.join('\n');
}

function targetsOf(pending: readonly PendingView[]): ResumeTarget[] {
  return pending
    .filter(takesResumeValue)
    .map((p) => (p.response_schema ? { id: p.id, response_schema: p.response_schema } : { id: p.id }));
}

function namespaceFlags(): string[] {
  const namespace = workflowInfo().namespace;
  return namespace === 'default' ? [] : ['--namespace', namespace];
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

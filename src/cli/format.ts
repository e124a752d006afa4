/**
 * Text output shared by the commands: JSON in a terminal, aligned tables, interrupts, and the exact
 * commands that resume a thread (ours and the stock `temporal` CLI's), ready to paste.
 */
import type { NodeInterruptPause, PendingInterrupt } from '../protocol/pending.js';
import { previewJson } from '../protocol/preview.js';
import { VALUE_PLACEHOLDER, durableGraphResumeCommands, temporalResumeCommand } from '../protocol/resume-commands.js';
import { summarizeSchema } from '../protocol/schema-summary.js';

/** Pretty JSON (2 spaces); `undefined` prints as `undefined` rather than vanishing. */
export function json(value: unknown): string {
  return previewJson(value, { pretty: true, max: Infinity });
}

/** One-line JSON, shortened to `max` characters for tables. */
export function compactJson(value: unknown, max = 160): string {
  return previewJson(value, { max });
}

/** Indents every line of `text`. */
export function indent(text: string, by = 2): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Left-aligned columns separated by two spaces; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/**
 * The commands that answer a thread's pending interrupts. The value to edit is an example built from each
 * interrupt's response schema, or the placeholder `<value>` (not JSON: the command fails until it is replaced).
 */
export interface ResumeCommands {
  /** `durable-graph resume …`: one command, or one per interrupt (`--id`) when several are pending. */
  durableGraph: string[];
  /** The plain Signal through the stock Temporal CLI (works with no worker running). */
  temporal: string;
  /** What the values in the commands are: `placeholder` (`<value>`), `example` (from the schemas), or `both`. */
  values?: 'placeholder' | 'example' | 'both';
}

/**
 * Builds the resume commands for `interrupts` (none when the list is empty). `flags` are the
 * connection flags to repeat (see `connectionFlags`).
 */
export function resumeCommands(
  threadId: string,
  interrupts: readonly PendingInterrupt[],
  flags: readonly string[],
): ResumeCommands | null {
  if (interrupts.length === 0) return null;
  const targets = interrupts.map(({ id, response_schema }) => (response_schema ? { id, response_schema } : { id }));
  const examples = targets.filter((t) => t.response_schema).length;
  return {
    durableGraph: durableGraphResumeCommands(threadId, targets, flags),
    temporal: temporalResumeCommand(threadId, targets, flags),
    values: examples === 0 ? 'placeholder' : examples === targets.length ? 'example' : 'both',
  };
}

/**
 * The commands that continue a thread without a value (`{}`, LangGraph's `invoke(null)`): past a static breakpoint,
 * or running again a node paused by NodeInterrupt (which takes no resume value).
 */
export function continueCommands(threadId: string, flags: readonly string[]): ResumeCommands {
  return {
    durableGraph: durableGraphResumeCommands(threadId, [], flags),
    temporal: temporalResumeCommand(threadId, [], flags),
  };
}

/** Human lines for NodeInterrupt pauses: node and value; they have no id. */
export function nodeInterruptLines(paused: readonly NodeInterruptPause[]): string {
  return paused
    .map((p) => `NodeInterrupt in node "${p.node}" (no id; takes no resume value):\n${indent(json(p.value), 2)}`)
    .join('\n');
}

/** Human lines for continue commands; `nodeInterrupt` says to change the state first (else the node pauses again). */
export function continueCommandLines(commands: ResumeCommands, nodeInterrupt: boolean): string {
  return [
    nodeInterrupt
      ? "Continue: change the state so the node's condition no longer holds (updateState(config, values) from code), then run the node again (as invoke(null); a resume value is refused):"
      : 'Continue past the breakpoint (as invoke(null)):',
    ...commands.durableGraph.map((c) => `  ${c}`),
    'or with the Temporal CLI (a plain Signal; works with no worker running):',
    `  ${commands.temporal}`,
  ].join('\n');
}

/**
 * Human lines for pending interrupts: id, node and the value (pretty when it spans lines), and the shape the answer
 * must have when the interrupt has a response schema.
 */
export function interruptLines(interrupts: readonly PendingInterrupt[]): string {
  return interrupts
    .map((i) => {
      const value = json(i.value);
      const expects = i.response_schema ? `\n  expects: ${summarizeSchema(i.response_schema)}` : '';
      return `interrupt ${i.id} in node "${i.node}":\n${indent(value, 2)}${expects}`;
    })
    .join('\n');
}

/** Human lines for resume commands, saying what the value in them is. */
export function resumeCommandLines(commands: ResumeCommands): string {
  const what = {
    placeholder: `replace ${VALUE_PLACEHOLDER} with the answer as JSON, e.g. '"text"' or '{"field": 1}'`,
    example: 'the value is an example built from the response schema: edit it',
    both: `replace ${VALUE_PLACEHOLDER} with the answer as JSON, and edit the examples built from response schemas`,
  }[commands.values ?? 'placeholder'];
  return [
    `Resume (${what}):`,
    ...commands.durableGraph.map((c) => `  ${c}`),
    'or with the Temporal CLI (a plain Signal; works with no worker running):',
    `  ${commands.temporal}`,
  ].join('\n');
}

/**
 * The summary and details a run is started with (Temporal's `staticSummary` / `staticDetails`): what the Web UI
 * shows in its workflow list and on the workflow page, so a person sees which graph and thread a run is and what it
 * was started with, without reading its input. Both are Markdown; values go in code (see markdown.ts).
 * Sandbox-safe: the client and the engine (for subgraph runs) build them from the run's input.
 */
import { codeBlock, codeSpan } from './markdown.js';
import type { RunInput } from './payloads.js';
import { previewJson } from './preview.js';

/** What Temporal stores with the run's start. */
export interface RunMetadata {
  /** One line: thread, graph, and what the run starts with (about 200 characters at most). */
  staticSummary: string;
  /** Several lines of Markdown: what the run started with, in a longer preview, and whose run it is when not the thread's own. */
  staticDetails: string;
}

/** Longest preview of the input in the summary, and in the details. */
const SUMMARY_PREVIEW = 100;
const DETAILS_PREVIEW = 600;

/** The summary and details of a run of `graph` on thread `threadId` that starts with `run`. */
export function runMetadata(graph: string, threadId: string, run: RunInput): RunMetadata {
  const start = startOf(run);
  const summary = `Thread ${codeSpan(threadId)} of graph ${codeSpan(graph)}: ${start.what}${
    start.value === undefined ? '' : ` ${codeSpan(previewJson(start.value, { max: SUMMARY_PREVIEW }))}`
  }`;
  // The summary sits right above the details on the workflow page, so graph and thread are not repeated here.
  const details = [
    `**Started with** ${start.what}${start.value === undefined ? '.' : ':'}`,
    ...(start.value === undefined
      ? []
      : ['', codeBlock(previewJson(start.value, { pretty: true, max: DETAILS_PREVIEW }), 'json')]),
    ...(run.previous ? ['', `It continues the thread from step ${run.previous.step}, where its last run ended.`] : []),
    ...(run.parent
      ? ['', `A subgraph run: node ${codeSpan(run.parent.node)} of thread ${codeSpan(run.parent.workflowId)}.`]
      : []),
  ];
  return { staticSummary: summary, staticDetails: details.join('\n') };
}

/** How the run starts, in words, and the value to preview (none when there is nothing to show). */
function startOf(run: RunInput): { what: string; value?: unknown } {
  const command = run.command;
  if (command?.rerun) return { what: 'a re-run of the failed step (`invoke(null)`)' };
  if (command?.updateState) {
    const as = command.asNode === undefined ? '' : ` as node ${codeSpan(command.asNode)}`;
    return { what: `an updateState${as}`, value: command.update ?? {} };
  }
  if (command) {
    const goto = command.goto?.length ? ` goto ${command.goto.map(codeSpan).join(', ')}` : '';
    return command.update
      ? { what: `a Command${goto} with the update`, value: command.update }
      : { what: `a Command${goto}` };
  }
  if (run.input && Object.keys(run.input).length > 0) return { what: 'the input', value: run.input };
  return { what: 'no input' };
}

/**
 * The commands an operator pastes to resume a paused thread: ours (`durable-graph resume …`) and the stock Temporal
 * CLI's (`temporal workflow signal … --name resume`). The engine writes the latter into the memo and the Web UI;
 * the CLI prints both. Sandbox-safe: pure string building.
 */
import { resumeSignal } from './messages.js';

/** POSIX single-quoting, unless the word is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins words into a command line, quoting each as needed. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * The resume Signal's input with `true` as the value to edit: `{"resume": true}` for one interrupt, the map form
 * `{"resume": {"<id>": true, …}}` for several, and `{}` (continue, as `invoke(null)`) for none.
 */
export function resumeInputTemplate(interruptIds: readonly string[]): string {
  if (interruptIds.length === 0) return '{}';
  if (interruptIds.length === 1) return '{"resume": true}';
  return `{"resume": {${interruptIds.map((id) => `"${id}": true`).join(', ')}}}`;
}

/**
 * `temporal workflow signal [flags] --workflow-id <thread> --name resume --input <input>` answering `interruptIds`
 * (see {@link resumeInputTemplate}). `flags` are connection flags to repeat (`--address`, `--namespace`). Works with
 * no worker running: the Signal is recorded and applied when a worker runs the thread.
 */
export function temporalResumeCommand(
  threadId: string,
  interruptIds: readonly string[],
  flags: readonly string[] = [],
): string {
  return commandLine([
    'temporal',
    'workflow',
    'signal',
    ...flags,
    '--workflow-id',
    threadId,
    '--name',
    resumeSignal.name,
    '--input',
    resumeInputTemplate(interruptIds),
  ]);
}

/**
 * `durable-graph resume <thread> true [flags]`: one command for one interrupt, one per interrupt (`--id`) for several,
 * and `--continue` (no value) for none.
 */
export function durableGraphResumeCommands(
  threadId: string,
  interruptIds: readonly string[],
  flags: readonly string[] = [],
): string[] {
  if (interruptIds.length === 0) return [commandLine(['durable-graph', 'resume', threadId, '--continue', ...flags])];
  if (interruptIds.length === 1) return [commandLine(['durable-graph', 'resume', threadId, 'true', ...flags])];
  return interruptIds.map((id) => commandLine(['durable-graph', 'resume', threadId, 'true', '--id', id, ...flags]));
}

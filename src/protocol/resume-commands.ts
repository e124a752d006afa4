/**
 * The commands an operator pastes to resume a paused thread: ours (`durable-graph resume …`) and the stock Temporal
 * CLI's (`temporal workflow signal … --name resume`). The engine writes the latter into the memo and the Web UI;
 * the CLI prints both. No value is ever guessed: an interrupt with a response schema gets an example built from it,
 * one without gets the placeholder `<value>`, which is not JSON, so a command pasted unedited fails at once (the
 * `temporal` CLI: "input #1 is not valid JSON"; ours: "must be JSON") instead of sending an answer nobody chose.
 * Sandbox-safe: pure string building.
 */
import { resumeSignal } from './messages.js';
import { exampleOf } from './schema-example.js';

/** A pending interrupt as a resume command answers it: its id, and its response schema when it has one. */
export interface ResumeTarget {
  id: string;
  response_schema?: Record<string, unknown>;
}

/** How a command names its interrupts: their ids alone (no schema known), or with their schemas. */
export type ResumeTargets = ReadonlyArray<string | ResumeTarget>;

/** Stands for the value to send where nothing says what it should be. Not JSON on purpose: it cannot be sent as is. */
export const VALUE_PLACEHOLDER = '<value>';

/** How a resume command is written. */
export interface ResumeCommandStyle {
  /**
   * The value's JSON text for one interrupt.
   * @default {@link resumeValueText}: an example from the response schema, else {@link VALUE_PLACEHOLDER}
   */
  value?: (target: ResumeTarget) => string;
  /**
   * `'posix'`: single quotes. `'json-safe'`: a word holding `"` is written `$'…'` (bash, zsh, ksh), which a shell
   * reads the same whether or not each `"` has a `\` in front; so the command still works when copied from a JSON
   * view that escapes it (the Web UI's Memo tab). A word that also holds `\` or `'` keeps single quotes.
   * @default 'posix'
   */
  quoting?: 'posix' | 'json-safe';
}

/** POSIX single-quoting, unless the word is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins words into a command line, quoting each as needed. */
export function commandLine(words: readonly string[], quoting: ResumeCommandStyle['quoting'] = 'posix'): string {
  return words.map(quoting === 'json-safe' ? jsonSafeQuote : shellQuote).join(' ');
}

/** `$'…'` for a word with `"` (and no `\` or `'`), else {@link shellQuote}. */
function jsonSafeQuote(word: string): string {
  return word.includes('"') && !/[\\']/.test(word) ? `$'${word}'` : shellQuote(word);
}

/** The value's JSON text for `target`: an example built from its response schema, else {@link VALUE_PLACEHOLDER}. */
export function resumeValueText(target: ResumeTarget): string {
  return target.response_schema ? oneLineJson(exampleOf(target.response_schema)) : VALUE_PLACEHOLDER;
}

/**
 * The resume Signal's input with a value to edit (see {@link ResumeCommandStyle.value}): `{"resume": <value>}` for
 * one interrupt, the map form `{"resume": {"<id>": <value>, …}}` for several, and `{}` (continue, as
 * `invoke(null)`) for none.
 */
export function resumeInputTemplate(targets: ResumeTargets, style: ResumeCommandStyle = {}): string {
  const list = targets.map(asTarget);
  const value = style.value ?? resumeValueText;
  if (list.length === 0) return '{}';
  if (list.length === 1) return `{"resume": ${value(list[0]!)}}`;
  return `{"resume": {${list.map((t) => `${JSON.stringify(t.id)}: ${value(t)}`).join(', ')}}}`;
}

/**
 * `temporal workflow signal [flags] --workflow-id <thread> --name resume --input <input>` answering `targets`
 * (see {@link resumeInputTemplate}). `flags` are connection flags to repeat (`--address`, `--namespace`). Works with
 * no worker running: the Signal is recorded and applied when a worker runs the thread.
 */
export function temporalResumeCommand(
  threadId: string,
  targets: ResumeTargets,
  flags: readonly string[] = [],
  style: ResumeCommandStyle = {},
): string {
  return commandLine(
    [
      'temporal',
      'workflow',
      'signal',
      ...flags,
      '--workflow-id',
      threadId,
      '--name',
      resumeSignal.name,
      '--input',
      resumeInputTemplate(targets, style),
    ],
    style.quoting,
  );
}

/**
 * `durable-graph resume <thread> <value> [flags]`: one command for one interrupt, one per interrupt (`--id`) for
 * several, and `--continue` (no value) for none.
 */
export function durableGraphResumeCommands(
  threadId: string,
  targets: ResumeTargets,
  flags: readonly string[] = [],
  style: ResumeCommandStyle = {},
): string[] {
  const list = targets.map(asTarget);
  const value = style.value ?? resumeValueText;
  if (list.length === 0) return [commandLine(['durable-graph', 'resume', threadId, '--continue', ...flags])];
  if (list.length === 1) return [commandLine(['durable-graph', 'resume', threadId, value(list[0]!), ...flags])];
  return list.map((t) => commandLine(['durable-graph', 'resume', threadId, value(t), '--id', t.id, ...flags]));
}

function asTarget(target: string | ResumeTarget): ResumeTarget {
  return typeof target === 'string' ? { id: target } : target;
}

/** JSON on one line with a space after `:` and `,`, as people write it: `{"action": "edit", "args": {…}}`. */
export function oneLineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLineJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

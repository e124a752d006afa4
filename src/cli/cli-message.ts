/**
 * Errors as a CLI user reads them. The library's messages give advice in code (`invoke(null, config)`,
 * `new Command({ resume })`, `getState(config)`), right for a caller of GraphClient and useless at a shell prompt.
 * Here the advice becomes the commands that do the same: the few errors a CLI command meets most get a message of
 * their own, built from the error's fields; in any other the code phrases are replaced, one table for all. The code
 * and its docs anchor stay at the end, so `docs/errors.md` still explains it.
 */
import { ErrorCode, isDurableGraphError, type DurableGraphError } from '../errors.js';
import { commandLine } from '../protocol/resume-commands.js';

/** The message of any thrown value, in CLI terms. */
export function cliMessageOf(error: unknown): string {
  if (!isDurableGraphError(error)) return error instanceof Error ? error.message : String(error);
  const thread = error.threadId ?? '<thread>';
  const { text, tail } = splitCode(error.message, error.code);
  switch (error.code) {
    case ErrorCode.NO_PENDING_INTERRUPT:
      return `${noPendingInterrupt(thread, statusOf(error))}${tail}`;
    case ErrorCode.THREAD_NOT_FOUND:
      return (
        `Thread ${quote(thread)} does not exist.${didYouMean(thread)} ` +
        `List the threads with \`durable-graph threads --status all\`.${tail}`
      );
    case ErrorCode.THREAD_FINISHED:
      return `${threadFinished(thread, statusOf(error))}${tail}`;
    default:
      return `${inCliTerms(text, thread)}${tail}`;
  }
}

/** THREAD_FINISHED: nothing to move; where its last run is shown, and what starts a new one. */
function threadFinished(thread: string, status: string): string {
  const show = `\`${commandLine(['durable-graph', 'show', thread])}\``;
  const again =
    status === 'failed'
      ? 'From code, invoke(null, config) runs the failed step again in a new run'
      : 'New input starts a new run of the thread (invoke(input, config) from code)';
  return (
    `Thread ${quote(thread)} has finished (status: ${status}): its last run ended, so it has no next step to move; ` +
    `nothing was changed. ${show} prints its final state and the build it ran on. ${again}, which runs on the ` +
    "deployment's current version."
  );
}

/**
 * The id without stray whitespace when it has some (a trailing space or newline pasted with it), as a "did you mean"
 * sentence; else ''.
 */
export function didYouMean(threadId: string): string {
  const trimmed = threadId.replace(STRAY, '');
  if (trimmed === threadId || trimmed === '') return '';
  return ` Did you mean ${quote(trimmed)}? The id given has stray whitespace (${JSON.stringify(threadId)}).`;
}

/** Leading or trailing whitespace, including the zero-width kinds a copy from a web page brings. */
const STRAY = /^[\s\u200b-\u200d\ufeff]+|[\s\u200b-\u200d\ufeff]+$/g;

/** A thread id in a sentence: quoted, with any invisible character shown escaped (JSON does both). */
function quote(threadId: string): string {
  return JSON.stringify(threadId);
}

function statusOf(error: DurableGraphError): string {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'string' ? status : 'unknown';
}

/** NO_PENDING_INTERRUPT: what to do instead, by the thread's status. */
function noPendingInterrupt(thread: string, status: string): string {
  const show = `\`${commandLine(['durable-graph', 'show', thread])}\``;
  const next: Record<string, string> = {
    'not started': `No thread has this id.${didYouMean(thread)} List the threads with \`durable-graph threads --status all\`.`,
    completed: `Its last run finished: ${show} prints its final state. New input starts a new run of the thread (invoke(input, config) from code).`,
    // An ended run: `retry` takes only a thread parked on a failed node (still open); code can run the step again.
    failed: `Its last run failed and ended: ${show} says why. From code, invoke(null, config) runs the failed step again in a new run; \`${commandLine(['durable-graph', 'rewind', thread])}\` goes back to its last answered pause.`,
    running: `It is running: ${show} lists its interrupts once it pauses.`,
    error: `It is parked on a failed node: ${show} says why and what to do.`,
  };
  const ended = `It was ended from outside: \`${commandLine(['durable-graph', 'audit', thread])}\` says by whom.`;
  return (
    `Thread ${quote(thread)} has no pending interrupt (status: ${status}); nothing was applied. ` +
    (next[status] ?? ended)
  );
}

/** Splits `message [CODE] docs/errors.md#code` into the text and its code suffix (kept as is). */
function splitCode(message: string, code: string): { text: string; tail: string } {
  const at = message.lastIndexOf(` [${code}]`);
  return at < 0 ? { text: message, tail: '' } : { text: message.slice(0, at), tail: message.slice(at) };
}

/**
 * The library's advice phrases, in the order they are tried, with the CLI command doing the same. `{thread}` stands for the thread id (shell-quoted) in the replacements.
 */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  // A thread parked on a failed node: the node runs again.
  [
    /Run (?:the node|it) again with invoke\(null(?:, config)?\)(?: \(the resume Signal \{\}\))? once the cause is fixed/g,
    'Run the node again with `durable-graph retry {thread}` once the cause is fixed',
  ],
  // NodeInterrupt and breakpoints: continue without a value.
  [/invoke\(null(?:, config)?\) \(the resume Signal \{\}\)/g, '`durable-graph resume {thread} --continue`'],
  [
    /change the state first: updateState\(config, values\) then invoke\(null(?:, config)?\),? or new Command\(\{ update \}\) without resume/g,
    'change the state first (updateState(config, values) from code), then `durable-graph resume {thread} --continue`',
  ],
  [/ \(change the state first with updateState\(config, values\) or new Command\(\{ update \}\) if needed\)/g, ''],
  [
    /Continue past the breakpoint with invoke\(null, config\)/g,
    'Continue past the breakpoint with `durable-graph resume {thread} --continue`',
  ],
  [/ again with invoke\(null, config\)/g, ' again with `durable-graph resume {thread} --continue`'],
  // Answers.
  [
    /invoke\(new Command\(\{ resume: \{ [^}]* \} \}\), config\)/g,
    "`durable-graph resume {thread} '<value>' --id <interrupt id>`, once per interrupt",
  ],
  [/invoke\(new Command\(\{ resume: <value> \}\), config\)/g, "`durable-graph resume {thread} '<value>'`"],
  [
    /Answer them by id: \{"resume": \{[^}]*\}\}\./g,
    "Answer them by id: `durable-graph resume {thread} '<value>' --id <interrupt id>`, once per interrupt.",
  ],
  [/Send a value, e\.g\. \{"resume": true\}\./g, "Send a value: `durable-graph resume {thread} '<value>'`."],
  [/,? or `Command\(\{ resume \}\)`/g, ''],
  // A run that failed and ended (an interrupt's deadline): no CLI command runs it again; say where the advice applies.
  [/invoke\(null, config\) (?=re-runs|runs)/g, 'invoke(null, config) from code '],
  // Reading the state.
  [/Inspect it with getState\(config\)\./g, 'Inspect it with `durable-graph show {thread}`.'],
  [/getState\(config\)/g, '`durable-graph show {thread}`'],
  [
    /change the state first with updateState\(config, values\)/g,
    'change the state first (updateState(config, values) from code)',
  ],
  [/Read the state \(getState\) and/g, 'Read the state (`durable-graph show {thread}`) and'],
];

/** The library's message with its code advice replaced by CLI commands for `thread`. */
export function inCliTerms(message: string, thread: string): string {
  const t = commandLine([thread]);
  return PHRASES.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, () => replacement.replaceAll('{thread}', t)),
    message,
  );
}

/**
 * `durable-graph resume <thread> [value]`: answers a paused thread. `--continue` sends no value (`{}`, LangGraph's
 * `invoke(null)`): it runs a node paused by NodeInterrupt again, or goes on past a static breakpoint. Without a value
 * and without `--continue` nothing is sent: the command says what the thread waits for (no value is ever guessed).
 *
 * By default it sends the validated `resume` Update through GraphClient (a value that does not fit
 * is refused before anything is written to history) and prints the state at the thread's next stop.
 * `--signal` sends the plain `resume` Signal instead: recorded at once, applied when a worker runs
 * the thread, so it works with no worker running (as `temporal workflow signal` does).
 */
import {
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcCancelledError,
  isGrpcDeadlineError,
} from '@temporalio/client';
import type { Command } from 'commander';
import type { GraphClient } from '../../client.js';
import { ErrorCode, InvalidResumeError, NoPendingInterruptError, isDurableGraphError } from '../../errors.js';
import { Command as GraphCommand } from '../../index.js';
import { DEFAULT_TASK_QUEUE, resumeSignal } from '../../protocol/messages.js';
import { matchCommand, type PauseView } from '../../protocol/resume.js';
import { commandLine, shellQuote } from '../../protocol/resume-commands.js';
import {
  CliError,
  ExitCode,
  connect,
  connectionFlags,
  note,
  parseSeconds,
  print,
  serverJustCameBack,
  type GlobalOptions,
} from '../context.js';
import {
  continueCommandLines,
  continueCommands,
  indent,
  interruptLines,
  json,
  nodeInterruptLines,
  resumeCommandLines,
  resumeCommands,
  type ResumeCommands,
} from '../format.js';
import { pendingOfTasks, splitPending } from '../../protocol/pending.js';
import { checkResponse, schemaRefusal } from '../../protocol/response-schema.js';
import { VALUE_PLACEHOLDER, durableGraphResumeCommands } from '../../protocol/resume-commands.js';
import { checkValueSize } from '../../protocol/payload-size.js';
import { summarizeSchema } from '../../protocol/schema-summary.js';
import { answeredByQueue, queuedAnswerLine, readQueuedAnswers, type QueuedAnswer } from '../queued-answers.js';
import {
  PROBE_QUERY_MS,
  WORKER_RETURN_MS,
  noWorkerReason,
  pinnedVersion,
  probeReturningWorker,
  probeWorker,
  type PinnedVersion,
} from '../worker-probe.js';
import {
  describeThread,
  pausesUnpublished,
  type NodeInterruptPause,
  type PendingInterrupt,
  type ThreadSummary,
} from '../thread-summary.js';

export interface ResumeOptions extends GlobalOptions {
  id?: string;
  signal?: boolean;
  continue?: boolean;
  timeout: number;
  json?: boolean;
}

/** What `resume` did; also its `--json` output. */
export type ResumeOutcome =
  | {
      threadId: string;
      graph: string;
      via: 'update';
      /** The payload sent: `{"resume": <value>}`, `{"resume": {"<id>": <value>}}`, or `{}` (`--continue`). */
      payload: { resume?: unknown };
      /** The thread's state at its next stop. */
      status: 'completed' | 'interrupted';
      values: Record<string, unknown>;
      interrupts: PendingInterrupt[];
      /** Pauses raised by NodeInterrupt at the next stop (no id, no resume value). */
      nodeInterrupts: NodeInterruptPause[];
      resumeCommands: ResumeCommands | null;
      /** How to continue without a value (NodeInterrupt or breakpoint at the next stop), else null. */
      continueCommands: ResumeCommands | null;
    }
  | {
      threadId: string;
      graph: string;
      via: 'signal';
      payload: { resume?: unknown };
      /** The Signal is in the thread's history; a worker applies it (or records it as rejected). */
      sent: true;
      /** Set when nothing could be checked before sending (a graph compiled with `publishPauses: false`). */
      checked?: false;
    };

const INTERRUPT_ID = /^[0-9a-f]{32}$/;

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('Answer a paused thread and print the state at its next stop (pause or end).')
    .argument('<thread>', 'thread id (the Workflow Id)')
    .argument(
      '[value]',
      'the resume value as JSON, e.g. true, \'"text"\', \'{"action": "approve"}\', or - to read it from stdin ' +
        '(required unless --continue)',
    )
    .option(
      '--id <interruptId>',
      'answer this interrupt only (sends {"resume": {"<id>": value}}); needed when several are pending',
    )
    .option('--signal', 'send the plain resume Signal and return at once (works with no worker running)')
    .option(
      '--continue',
      'continue without a value (sends {}, as invoke(null)): runs a node paused by NodeInterrupt again, or goes on past a breakpoint',
    )
    .option('--timeout <seconds>', "how long to wait for the thread's next stop (Update only)", parseSeconds, 120)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 resumed (or the Signal recorded); 1 usage or operational error (no worker runs the thread, ' +
        'timeout, a node failed); 2 refused, nothing sent: nothing pending, a value that does not fit, or an answer already queued.',
    )
    .action(async (threadId: string, rawValue: string | undefined, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ResumeOptions>();
      if (options.continue && (command.args.length > 1 || options.id !== undefined)) {
        throw new CliError(
          `--continue sends no value; drop the value${options.id === undefined ? '' : ' and --id'}, or drop --continue to answer an interrupt.`,
        );
      }
      // A value that is not JSON is refused before any connection; a missing one is explained from the thread.
      // `-` reads it from stdin: a command-line argument cannot hold more than 128 KiB.
      const fromStdin = rawValue === '-';
      const text = fromStdin ? await readStdin() : rawValue;
      const payload: { resume?: unknown } | undefined = options.continue
        ? {}
        : text === undefined
          ? undefined
          : { resume: resumeValue(text, options.id, threadId, fromStdin) };
      const client = await connect(options, threadId);
      try {
        if (!payload) throw await missingValue(client, threadId, options);
        const outcome = options.signal
          ? await resumeBySignal(client, threadId, payload, options)
          : await resumeByUpdate(client, threadId, payload, { ...options, rawValue });
        print(options.json ? JSON.stringify(outcome, null, 2) : renderOutcome(outcome, options));
      } finally {
        await client.close();
      }
    });
}

/**
 * `resume <thread>` with no value: nothing is sent. The error lists what the thread waits for (from its memo, so no
 * worker is needed) and the command with a placeholder; a thread with nothing pending says so, as a resume would.
 */
async function missingValue(client: GraphClient, threadId: string, options: GlobalOptions): Promise<Error> {
  const summary = await resumableThread(client, threadId, {}, options).catch((error: unknown) => {
    // `{}` is refused where an interrupt waits for a value: that is the case to explain below.
    if (isDurableGraphError(error) && error.code === ErrorCode.INVALID_RESUME) return undefined;
    throw error;
  });
  if (summary?.status === 'error' && summary.interrupts.length === 0) {
    const nodes = summary.failures.map((f) => `node "${f.node}" (${f.error.name}: ${f.error.message})`).join(', ');
    return new CliError(
      `Thread "${threadId}" is parked on a failed node, ${nodes}, and waits for no answer: run it again with ` +
        `\`durable-graph retry ${threadId}\` once the cause is fixed. Nothing was sent.`,
    );
  }
  if (summary && summary.interrupts.length === 0 && summary.checked !== false) {
    return new CliError(
      `Thread "${threadId}" waits for no value (${summary.nodeInterrupts.length ? 'a NodeInterrupt' : 'a breakpoint'}): ` +
        `continue it with \`durable-graph resume ${threadId} --continue\`.`,
    );
  }
  const { summary: described } = await describeThread(client, threadId);
  const waiting = described.interrupts.flatMap((i) => [
    `  node "${i.node}" (interrupt ${i.id}) asks: ${JSON.stringify(i.value)}`,
    ...(i.response_schema ? [`    expects: ${summarizeSchema(i.response_schema)}`] : []),
  ]);
  const several = described.interrupts.length > 1;
  const withSchema = described.interrupts.filter((i) => i.response_schema);
  return new CliError(
    [
      `durable-graph resume needs the answer as JSON; nothing was sent to thread "${threadId}".`,
      ...(waiting.length ? ['It waits for:', ...waiting] : []),
      ...(withSchema.length
        ? [
            'Send it with (the value is an example built from the response schema: edit it):',
            ...durableGraphResumeCommands(threadId, described.interrupts).map((c) => `  ${c}`),
          ]
        : [
            `Send it with \`durable-graph resume ${threadId} '<value>'${several ? ' --id <interrupt>' : ''}\`, e.g. '"text"' or ` +
              `'{"field": "value"}'; \`durable-graph show ${threadId}\` shows what each interrupt expects.`,
          ]),
      ...(described.status === 'error'
        ? [`Or run the failed node again with the answer it had: \`durable-graph retry ${threadId}\`.`]
        : []),
    ].join('\n'),
  );
}

/** Everything on stdin, as UTF-8 text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the value (the argument, or stdin's text) and wraps it in the map form when `--id` is given. */
function resumeValue(raw: string, id: string | undefined, threadId: string, fromStdin = false): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    if (fromStdin) {
      const start = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
      throw new CliError(
        `The resume value read from stdin must be JSON, got ${JSON.stringify(start)} (${raw.length} characters). ` +
          `Nothing was sent. Pipe one JSON value, e.g. \`echo '{"approved": true}' | durable-graph resume ${threadId} -\`.`,
      );
    }
    // The placeholder of a printed command, sent unedited: say what to put there.
    const placeholder = raw.includes(VALUE_PLACEHOLDER)
      ? ` Replace ${VALUE_PLACEHOLDER} with the answer; \`durable-graph show ${threadId}\` shows what the thread asks.`
      : '';
    throw new CliError(
      `The resume value must be JSON, got ${raw}. Nothing was sent.${placeholder} Quote text as JSON inside shell ` +
        `quotes, e.g. '"looks good"', or pass a number, true or false, or an object such as '{"approved": true}'.`,
    );
  }
  // Without --id the value goes as given; an object keyed by interrupt ids is the map form already.
  if (id === undefined) return value;
  if (!INTERRUPT_ID.test(id)) {
    throw new InvalidResumeError(
      `--id "${id}" is not an interrupt id (32 hex characters) for thread "${threadId}". ` +
        `List the pending ones with \`durable-graph show ${threadId}\`.`,
      { threadId },
    );
  }
  return { [id]: value };
}

/**
 * Describes the thread and checks the resume against what it published (the same matchResume the
 * engine runs), so a refusal needs no worker and nothing is sent.
 */
async function resumableThread(
  client: GraphClient,
  threadId: string,
  payload: { resume?: unknown },
  options: GlobalOptions,
): Promise<ThreadSummary & { checked?: false }> {
  let summary: ThreadSummary;
  try {
    ({ summary } = await describeThread(client, threadId));
  } catch (error) {
    // Resuming a thread that never ran is "nothing pending" (exit 2), as GraphClient reports it.
    if (isDurableGraphError(error) && error.code === ErrorCode.THREAD_NOT_FOUND)
      throw new NoPendingInterruptError(threadId, 'not started');
    throw error;
  }
  if (summary.executionStatus !== 'running') throw new NoPendingInterruptError(summary.threadId, summary.status);
  // A graph compiled with publishPauses: false leaves nothing to check against: the engine checks (an Update is
  // validated before it is recorded; a refused Signal is listed in getState().rejectedResumes).
  if (await pausesUnpublished(client, summary)) return { ...summary, checked: false };
  const queued = await readQueuedAnswers(client, summary);
  const match = matchCommand(payload, pauseOf(summary, []), summary.threadId);
  if (match.ok) {
    // An interrupt that already has an answer waiting in history is not answered twice.
    if (queued.length && !matchCommand(payload, pauseOf(summary, queued), summary.threadId).ok)
      throw alreadyQueued(summary, queued, options);
    refuseAgainstSchema(summary, match.answers);
    return { ...summary, queuedResumes: queued };
  }
  if (match.reason === 'no_pending') throw new NoPendingInterruptError(summary.threadId, summary.status);
  // The engine's advice (invoke(null) and the like) is put in CLI terms where the error is printed (cli-message.ts).
  throw new InvalidResumeError(match.message, {
    threadId: summary.threadId,
    pendingIds: summary.interrupts.map((i) => i.id),
  });
}

/**
 * Checks each answer against its interrupt's response schema, as published in the memo (engine level 1 on), so a
 * value that does not fit is refused here, in the engine's words, before anything is sent; even a Signal.
 */
function refuseAgainstSchema(summary: ThreadSummary, answers: ReadonlyArray<{ id: string; value: unknown }>): void {
  for (const answer of answers) {
    const pending = summary.interrupts.find((i) => i.id === answer.id);
    const problem = pending?.response_schema ? checkResponse(pending.response_schema, answer.value) : undefined;
    if (problem) {
      throw new InvalidResumeError(
        `${schemaRefusal(answer.id, pending!.node, summary.threadId, problem)} Nothing was sent.`,
        { threadId: summary.threadId, node: pending!.node, pendingIds: summary.interrupts.map((i) => i.id) },
      );
    }
  }
}

/** The pause a thread published, less what the answers queued for it will answer or continue. */
function pauseOf(summary: ThreadSummary, queued: readonly QueuedAnswer[]): PauseView {
  // A queued continue ({}) ends the pause: what comes after it is not known until a worker runs the thread.
  if (queued.some((q) => q.continues && !q.refused)) return { pending: [], nodes: [] };
  const answered = answeredByQueue(queued);
  const pending = summary.interrupts.filter((i) => !answered.has(i.id));
  // Every interrupt answered by the queue: the run goes on when a worker handles it.
  if (answered.size && !pending.length && !summary.nodeInterrupts.length) return { pending: [], nodes: [] };
  const paused = pending.length > 0 || summary.nodeInterrupts.length > 0;
  const pausedAt =
    summary.status === 'error'
      ? ('error' as const)
      : (summary.breakpoint?.at ?? (paused ? ('interrupt' as const) : undefined));
  return {
    pending,
    nodes: [],
    nodeInterrupts: summary.nodeInterrupts,
    failed: summary.failures.map((f) => ({ node: f.node, message: f.error.message })),
    ...(pausedAt ? { pausedAt } : {}),
  };
}

/** The refusal of a resume whose interrupts already have an answer queued (exit code 2: nothing is left to answer). */
function alreadyQueued(summary: ThreadSummary, queued: readonly QueuedAnswer[], options: GlobalOptions): CliError {
  const lines = queued
    .filter((q) => !q.refused)
    .map((q) => `  ${queuedAnswerLine(q)} (Signal at ${q.at}${q.identity ? ` from ${q.identity}` : ''})`);
  return new CliError(
    [
      `Thread "${summary.threadId}" already has an answer queued for what it waits for; nothing was sent. Queued:`,
      ...lines,
      `It applies when a worker runs the thread (task queue "${summary.taskQueue}"): start one with ` +
        `\`${workerCommand(summary.taskQueue, options)}\`. Check with \`durable-graph show ${summary.threadId}\`; ` +
        "once it has applied, the thread's next pause can be answered.",
    ].join('\n'),
    { exitCode: ExitCode.NOT_RESUMABLE },
  );
}

export async function resumeBySignal(
  client: GraphClient,
  threadId: string,
  payload: { resume?: unknown },
  options: GlobalOptions,
): Promise<ResumeOutcome> {
  checkValueSize(threadId, 'the resume value', payload.resume);
  const summary = await resumableThread(client, threadId, payload, options);
  await client.temporal.workflow.getHandle(threadId).signal(resumeSignal, payload);
  return {
    threadId,
    graph: summary.graph,
    via: 'signal',
    payload,
    sent: true,
    ...(summary.checked === false ? { checked: false as const } : {}),
  };
}

export async function resumeByUpdate(
  client: GraphClient,
  threadId: string,
  payload: { resume?: unknown },
  options: ResumeOptions & WorkerCheckOptions,
): Promise<ResumeOutcome> {
  const summary = await resumableThread(client, threadId, payload, options);
  await requireWorker(client, summary, options);

  const config = { configurable: { thread_id: threadId } };
  const slow = setTimeout(
    () => note(`Waiting for thread "${threadId}" to reach its next stop (up to ${options.timeout} s)…`),
    5_000,
  );
  const deadline = Date.now() + options.timeout * 1000;
  let result: Record<string, unknown> & { __interrupt__?: { id: string; value: unknown }[] };
  try {
    result = await client.temporal.connection.withDeadline(deadline, () =>
      client
        .graph(summary.graph)
        .invoke('resume' in payload ? new GraphCommand({ resume: payload.resume }) : null, config),
    );
  } catch (error) {
    // At the deadline grpc reports DEADLINE_EXCEEDED or CANCELLED, depending on timing.
    const timedOut =
      error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
      isGrpcDeadlineError(error) ||
      isGrpcCancelledError(error) ||
      Date.now() >= deadline;
    if (timedOut && !isDurableGraphError(error)) {
      throw new CliError(
        `Thread "${threadId}" did not reach its next stop within ${options.timeout} s. Either no worker is running it ` +
          `(task queue "${summary.taskQueue}"; start one with \`${workerCommand(summary.taskQueue, options)}\`), ` +
          `or its nodes take longer (raise --timeout). The Update may still be applied when a worker picks the thread up ` +
          `(the server keeps it until then, unless it restarts); check with \`durable-graph show ${threadId}\` before resuming again.`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    clearTimeout(slow);
  }

  const { __interrupt__: pending, ...values } = result;
  if (!pending) {
    return {
      threadId,
      graph: summary.graph,
      via: 'update',
      payload,
      status: 'completed',
      values,
      interrupts: [],
      nodeInterrupts: [],
      resumeCommands: null,
      continueCommands: null,
    };
  }
  // The Update's answer has ids and values (a NodeInterrupt has no id); the memo, written at the same stop, adds the nodes.
  const after =
    summary.checked === false
      ? await pauseFromQuery(client, summary.graph, threadId)
      : await describeThread(client, threadId)
          .then(({ summary: s }) => s)
          .catch(() => undefined);
  const split = splitPending(pending);
  const interrupts = split.interrupts.map((p) => ({
    id: p.id,
    node: after?.interrupts.find((a) => a.id === p.id)?.node ?? '?',
    value: p.value,
  }));
  const nodeInterrupts = after?.nodeInterrupts ?? split.nodeInterrupts.map((p) => ({ node: '?', value: p.value }));
  return {
    threadId,
    graph: summary.graph,
    via: 'update',
    payload,
    status: 'interrupted',
    values,
    interrupts,
    nodeInterrupts,
    resumeCommands: resumeCommands(threadId, interrupts, connectionFlags(options)),
    continueCommands:
      nodeInterrupts.length || after?.breakpoint ? continueCommands(threadId, connectionFlags(options)) : null,
  };
}

/** The pause as the `getState` Query reports it (a graph that does not publish its pauses has no memo to read). */
async function pauseFromQuery(
  client: GraphClient,
  graph: string,
  threadId: string,
): Promise<Pick<ThreadSummary, 'interrupts' | 'nodeInterrupts' | 'breakpoint'> | undefined> {
  try {
    const state = await client.graph(graph).getState({ configurable: { thread_id: threadId } });
    return { ...pendingOfTasks(state.tasks), breakpoint: null };
  } catch {
    return undefined;
  }
}

/** What the no-worker refusal needs to print the Signal way of this command line. */
export interface WorkerCheckOptions {
  /** The value argument as typed, repeated in the `--signal` command printed when no worker runs the thread. */
  rawValue?: string | undefined;
  /** The `--signal` form of the command, without connection flags. @default `durable-graph resume <thread> <value> --signal` */
  signalCommand?: readonly string[];
}

/**
 * Refuses at once, with nothing sent, when no worker runs the thread: the Update would only wait, and the server would
 * keep it and apply it whenever a worker came back, long after this command gave up. The message offers the Signal,
 * which is recorded now and applied when a worker runs the thread, and how to start a worker.
 */
async function requireWorker(
  client: GraphClient,
  summary: ThreadSummary,
  options: ResumeOptions & WorkerCheckOptions,
): Promise<void> {
  const started = Date.now();
  // A pinned thread's tasks go to its version's workers only: workers of other builds do not count.
  const version = pinnedVersion(await client.threadVersion(summary.threadId).catch(() => undefined));
  const presence = serverJustCameBack(client)
    ? await probeReturningWorker(
        client,
        summary,
        () =>
          note(
            `The Temporal server has just come back: waiting up to ${WORKER_RETURN_MS / 1000} s for a worker of thread ` +
              `"${summary.threadId}" (task queue "${summary.taskQueue}") to poll it again…`,
          ),
        version,
      )
    : await probeWorker(client, summary, version);
  if (presence.present !== false) return; // present, or the probe could not tell: the Update (and --timeout) decide
  const why = noWorkerReason(
    presence,
    summary.taskQueue,
    PROBE_QUERY_MS / 1000,
    version && { pinned: version, named: true },
  );
  const signal = commandLine([
    ...(options.signalCommand ?? [
      'durable-graph',
      'resume',
      summary.threadId,
      ...(options.continue ? ['--continue'] : [options.rawValue ?? '<value>']),
      ...(options.id === undefined ? [] : ['--id', options.id]),
      '--signal',
    ]),
    ...connectionFlags(options),
  ]);
  throw new CliError(
    [
      `No worker is running thread "${summary.threadId}" (${why}), so the resume Update cannot be delivered; nothing was ` +
        `sent (checked in ${Date.now() - started} ms).`,
      'Either queue the answer as a Signal: it is recorded now and applied when a worker runs the thread',
      `  ${signal}`,
      'or start a worker for the thread, then run this command again:',
      `  ${workerCommand(summary.taskQueue, options, version)}`,
      ...(version
        ? ['or move the thread to a build that is running:', `  ${moveCommand(summary.threadId, options)}`]
        : []),
    ].join('\n'),
  );
}

/** `durable-graph move <thread> --build-id <build>`, with the connection flags of this command line. */
export function moveCommand(threadId: string, options: GlobalOptions): string {
  return [
    commandLine(['durable-graph', 'move', threadId]),
    '--build-id <build>',
    ...connectionFlags(options).map(shellQuote),
  ].join(' ');
}

/**
 * `durable-graph worker <module>` for a task queue (and a Worker Deployment version, for a pinned thread), with the
 * connection flags of this command line.
 */
export function workerCommand(taskQueue: string, options: GlobalOptions, version?: PinnedVersion): string {
  return [
    'durable-graph worker <module>',
    ...(taskQueue === DEFAULT_TASK_QUEUE ? [] : [commandLine(['--task-queue', taskQueue])]),
    ...(version ? [commandLine(['--deployment', version.deploymentName, '--build-id', version.buildId])] : []),
    ...connectionFlags(options).map(shellQuote),
  ].join(' ');
}

export function renderOutcome(outcome: ResumeOutcome, options: GlobalOptions): string {
  const sent = 'resume' in outcome.payload ? `{"resume": ${JSON.stringify(outcome.payload.resume)}}` : '{} (continue)';
  if (outcome.via === 'signal') {
    return [
      `Sent the resume Signal ${sent} to thread "${outcome.threadId}" (graph "${outcome.graph}").`,
      "It is in the thread's history now and is applied when a worker runs the thread; a value that does not fit is",
      `recorded as rejected and the thread stays paused. Check with: durable-graph show ${outcome.threadId}${connectionFlags(
        options,
      )
        .map((f) => ` ${f}`)
        .join('')}`,
      ...(outcome.checked === false
        ? [
            'Not checked before sending: the graph does not publish its pauses (compile({ publishPauses: false })), so only a worker knows what is pending.',
          ]
        : []),
    ].join('\n');
  }
  const out = [`Resumed thread "${outcome.threadId}" (graph "${outcome.graph}") with ${sent}.`];
  if (outcome.status === 'completed') {
    out.push('', 'Completed. Final values:', indent(json(outcome.values)));
  } else {
    const nodes = [...new Set([...outcome.interrupts, ...outcome.nodeInterrupts].map((i) => i.node))].join(', ');
    out.push(
      '',
      `Paused again${nodes ? ` at ${nodes}` : ''} with ${outcome.interrupts.length} pending interrupt(s)${outcome.interrupts.length ? ':' : '.'}`,
    );
    if (outcome.interrupts.length) out.push(indent(interruptLines(outcome.interrupts)));
    if (outcome.nodeInterrupts.length)
      out.push(
        '',
        `Paused by NodeInterrupt (${outcome.nodeInterrupts.length}):`,
        indent(nodeInterruptLines(outcome.nodeInterrupts)),
      );
    out.push('', 'Values:', indent(json(outcome.values)));
    if (outcome.resumeCommands) out.push('', resumeCommandLines(outcome.resumeCommands));
    if (outcome.continueCommands)
      out.push('', continueCommandLines(outcome.continueCommands, outcome.nodeInterrupts.length > 0));
  }
  return out.join('\n');
}

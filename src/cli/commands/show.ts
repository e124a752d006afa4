/**
 * `durable-graph show <thread>`: the thread's state, pending interrupts and the commands that resume
 * it. The full state comes from the `getState` Query, which a worker answers; with no worker it falls
 * back to what the engine published on the server (memo and search attributes) and says so.
 */
import type { Command } from 'commander';
import { isGrpcCancelledError, isGrpcDeadlineError } from '@temporalio/client';
import { rebuildError, type GraphClient, type ThreadVersion } from '../../client.js';
import type { RejectedResume } from '../../protocol/payloads.js';
import {
  connect,
  connectionFlags,
  messageOf,
  parseSeconds,
  print,
  resolveTarget,
  type GlobalOptions,
} from '../context.js';
import { cliMessageOf } from '../cli-message.js';
import { threadWebUiLink, webUiBase } from '../web-ui.js';
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
import { pendingOfTasks } from '../../protocol/pending.js';
import { commandLine } from '../../protocol/resume-commands.js';
import { answeredByQueue, queuedAnswerLine, readQueuedAnswers } from '../queued-answers.js';
import { describeThread, pausesUnpublished, type ThreadSummary } from '../thread-summary.js';
import { noWorkerReason, pinnedVersion, versionPollers } from '../worker-probe.js';
import { moveCommand, workerCommand } from './resume.js';

interface ShowOptions extends GlobalOptions {
  timeout: number;
  webUi?: string;
  json?: boolean;
}

/** Everything `show` knows about a thread; also its `--json` output. */
export interface ThreadView extends ThreadSummary {
  /** The thread's page in the Temporal Web UI (its latest run), or null when the UI's address is not known. */
  webUi: string | null;
  /**
   * Where the state came from: a worker's answer to the `getState` Query, the result of a completed
   * run (no worker needed), or the server's copy of the memo and search attributes.
   */
  source: 'getState' | 'result' | 'memo';
  /** Why the state is partial (no worker answered), else null. */
  note: string | null;
  /** The state values; null when no worker answered (the memo does not hold them). */
  values: Record<string, unknown> | null;
  /** Nodes that run next (from the Query, else the nodes holding a pending interrupt). */
  next: string[];
  /** Resumes the thread refused (nothing applied), newest last; only known from the Query. */
  rejectedResumes: RejectedResume[];
  /** The failure message of a failed thread. */
  failure: string | null;
  resumeCommands: ResumeCommands | null;
  /** The commands that continue without a value (`{}`): after a NodeInterrupt or at a breakpoint, else null. */
  continueCommands: ResumeCommands | null;
  /** While parked on failed nodes: `durable-graph retry <thread>`, which runs them again; else null. */
  retryCommand: string | null;
  /** The Worker Deployment version the thread runs on, when a versioned worker has run it (see docs/deploys.md). */
  version?: ThreadVersion;
  /**
   * Nodes being retried, with the last attempt's failure: a pending Activity's (its attempt), or a step waiting for a
   * worker that has its node (from the Query; no attempt number then).
   */
  retrying?: Array<{ node: string; attempt?: number; message: string }>;
  /**
   * Set while the thread is pinned to a version none of whose workers polls its task queue (no worker answered the
   * Query): the version, what waits for it (nodes being retried, answered or paused), and the commands that start
   * a worker of it or move the thread.
   */
  waitingForVersion?: {
    deploymentName: string;
    buildId: string;
    /** Why no worker of it runs the thread: none polls, or none answered. */
    why: string;
    nodes: string[];
    workerCommand: string;
    moveCommand: string;
  };
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('Show a thread: values, next nodes, pending interrupts and the exact commands to resume it.')
    .argument('<thread>', 'thread id (the Workflow Id)')
    .option('--timeout <seconds>', 'how long to wait for a worker to answer the getState Query', parseSeconds, 3)
    .option(
      '--web-ui <url>',
      "the Temporal Web UI, for the thread's link (default: TEMPORAL_UI, the dev server run in this folder, else http://localhost:8233 for localhost:7233)",
    )
    .option('--json', 'print JSON')
    .action(async (threadId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ShowOptions>();
      const client = await connect(options, threadId);
      try {
        const view = await loadThreadView(client, threadId, options);
        print(options.json ? JSON.stringify(view, null, 2) : renderThreadView(view));
      } finally {
        await client.close();
      }
    });
}

/** Reads a thread: the getState Query first (bounded by `options.timeout` seconds), else the published memo. */
export async function loadThreadView(
  client: GraphClient,
  threadId: string,
  options: GlobalOptions & { timeout: number; webUi?: string },
): Promise<ThreadView> {
  const { summary, description } = await describeThread(client, threadId);
  const target = resolveTarget(options);
  const running = summary.executionStatus === 'running';
  const view: ThreadView = {
    ...summary,
    webUi: threadWebUiLink(webUiBase(target.address, options.webUi), target.namespace, threadId),
    source: 'memo',
    note: null,
    values: null,
    next: summary.pendingNodes,
    rejectedResumes: [],
    failure: null,
    resumeCommands: null,
    continueCommands: null,
    retryCommand: null,
  };
  // Where it runs and what is being retried: the server knows both, no worker needed.
  if (description.raw.workflowExecutionInfo?.versioningInfo) {
    const version = await client.threadVersion(threadId);
    if (version.version || version.override) view.version = version;
  }
  const retrying = (description.raw.pendingActivities ?? []).flatMap((a) =>
    a.lastFailure?.message
      ? [{ node: a.activityType?.name ?? '?', attempt: a.attempt ?? 0, message: a.lastFailure.message }]
      : [],
  );
  if (retrying.length) view.retrying = retrying;

  const deadline = Date.now() + options.timeout * 1000;
  let queryTimedOut = false;
  try {
    const config = { configurable: { thread_id: threadId } };
    const state = await client.temporal.connection.withDeadline(deadline, () =>
      client.graph(summary.graph).getState(config),
    );
    view.source = summary.executionStatus === 'completed' ? 'result' : 'getState';
    view.values = state.values;
    view.next = state.next;
    view.rejectedResumes = state.rejectedResumes;
    if (state.metadata) view.step = state.metadata.step;
    if (running) {
      if (state.status) view.status = state.status;
      // A NodeInterrupt shows in tasks[].interrupts as { value } with no id: it takes no resume value.
      const { interrupts, nodeInterrupts } = pendingOfTasks(state.tasks);
      view.interrupts = interrupts;
      view.nodeInterrupts = nodeInterrupts;
      view.pendingNodes = [...new Set([...interrupts, ...nodeInterrupts].map((i) => i.node))];
      // A step waiting between rounds for a worker that has its node (no Activity pending at the moment).
      for (const t of state.tasks)
        if (t.error?.name === 'UNKNOWN_NODE' && !view.retrying?.some((r) => r.node === t.name))
          (view.retrying ??= []).push({ node: t.name, message: t.error.message });
      view.failures = (state.failures ?? []).map(({ node, error, interrupt }) => ({
        node,
        error,
        ...(interrupt ? { interrupt } : {}),
      }));
    }
  } catch (error) {
    // At the deadline grpc reports DEADLINE_EXCEEDED or CANCELLED, depending on timing.
    const timedOut = isGrpcDeadlineError(error) || isGrpcCancelledError(error) || Date.now() >= deadline;
    queryTimedOut = timedOut && running;
    view.note = timedOut
      ? `no worker answered the getState Query within ${options.timeout} s`
      : `the getState Query failed: ${messageOf(error)}${error instanceof Error && error.cause ? ` (${messageOf(error.cause)})` : ''}`;
    view.note += '; showing what the thread published on the server (values need a worker)';
    if (await pausesUnpublished(client, summary)) {
      // Nothing published is no evidence of "running": this graph keeps its pauses off the server.
      view.status = 'unknown';
      view.note +=
        '. Its graph does not publish pauses (compile({ publishPauses: false })): whether it is paused, and at what, only a worker can tell; start one';
    }
  }

  if (summary.executionStatus === 'failed') view.failure = await failureOf(client, threadId);
  // Read after the Query: a worker that answered it has handled the Signals recorded before.
  view.queuedResumes = await readQueuedAnswers(client, view);
  // No worker answered a pinned thread's Query: only its version's workers take it (its Queries too).
  const pinned = pinnedVersion(view.version);
  const listed = queryTimedOut && pinned ? await versionPollers(client, summary.taskQueue, pinned) : 'unknown';
  if (pinned && listed !== 'unknown')
    view.waitingForVersion = {
      ...pinned,
      why: noWorkerReason({ present: false, listed, queried: true }, summary.taskQueue, options.timeout, {
        pinned,
        named: false,
      }),
      nodes: waitingNodes(view),
      workerCommand: workerCommand(summary.taskQueue, options, pinned),
      moveCommand: moveCommand(threadId, options),
    };
  // An interrupt whose answer is queued is not offered to be answered again; nor is a pause a queued {} continues.
  const answered = answeredByQueue(view.queuedResumes);
  const continued = view.queuedResumes.some((q) => q.continues && !q.refused);
  const open = continued ? [] : view.interrupts.filter((i) => !answered.has(i.id));
  view.resumeCommands = resumeCommands(threadId, open, connectionFlags(options));
  if (!continued && (view.nodeInterrupts.length || view.breakpoint))
    view.continueCommands = continueCommands(threadId, connectionFlags(options));
  if (view.failures.length)
    view.retryCommand = commandLine(['durable-graph', 'retry', threadId, ...connectionFlags(options)]);
  return view;
}

/** The human rendering of a {@link ThreadView}. */
export function renderThreadView(view: ThreadView): string {
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${name.padEnd(11)}${value}`);
  field('Thread', view.threadId);
  field('Graph', view.graph);
  const queued = view.queuedResumes.length ? '; answer queued, applied when a worker runs the thread' : '';
  field('Status', `${view.status}${view.step === null ? '' : ` (step ${view.step})`}${queued}`);
  field('Task queue', view.taskQueue);
  if (view.version) field('Version', versionLine(view.version));
  if (view.webUi) field('Web UI', view.webUi);
  field('Next', view.next.length ? view.next.join(', ') : '-');
  const sources = {
    getState: 'getState Query (answered by a worker)',
    result: "the run's result",
    memo: `memo and search attributes (${view.note ?? 'no Query answer'})`,
  };
  field('Source', sources[view.source]);
  if (view.failure) out.push('', 'Failure:', indent(view.failure));
  if (view.waitingForVersion) out.push('', ...waitingLines(view, view.waitingForVersion));
  for (const r of view.retrying ?? [])
    out.push(
      '',
      `Retrying node "${r.node}"${r.attempt ? ` (attempt ${r.attempt})` : ''}; the last attempt failed:`,
      indent(r.message),
    );
  if (view.failures.length) out.push('', ...parkedLines(view));
  if (view.values) out.push('', 'Values:', indent(json(view.values)));
  if (view.interrupts.length) {
    out.push('', `Pending interrupts (${view.interrupts.length}):`, indent(interruptLines(view.interrupts)));
  }
  if (view.queuedResumes.length) {
    out.push(
      '',
      `Queued answers (${view.queuedResumes.length}): resume Signals in history that no worker has handled yet;`,
      `each applies when a worker runs the thread (task queue "${view.taskQueue}").`,
    );
    for (const q of view.queuedResumes)
      out.push(`  - ${q.at}${q.identity ? ` from ${q.identity}` : ''}: ${queuedAnswerLine(q)}`);
  }
  if (view.nodeInterrupts.length)
    out.push(
      '',
      `Paused by NodeInterrupt (${view.nodeInterrupts.length}):`,
      indent(nodeInterruptLines(view.nodeInterrupts)),
    );
  if (view.breakpoint)
    out.push(
      '',
      `Paused at a breakpoint ${view.breakpoint.at}${view.breakpoint.nodes.map((n) => ` "${n}"`).join(',')}.`,
    );
  if (
    !view.interrupts.length &&
    !view.nodeInterrupts.length &&
    !view.breakpoint &&
    view.executionStatus === 'running' &&
    view.status === 'interrupted'
  ) {
    out.push('', 'Pending interrupts: unknown (the memo lists none).');
  }
  if (view.rejectedResumes.length) {
    out.push('', 'Rejected resumes (nothing was applied):');
    for (const r of view.rejectedResumes.slice(-5)) out.push(`  - ${r.at} via ${r.via}: ${r.reason}`);
  }
  if (view.resumeCommands) out.push('', resumeCommandLines(view.resumeCommands));
  if (view.continueCommands) out.push('', continueCommandLines(view.continueCommands, view.nodeInterrupts.length > 0));
  return out.join('\n');
}

/** The nodes that run next once a worker takes the thread: retried ones, then answered or paused ones. */
function waitingNodes(view: ThreadView): string[] {
  const answered = view.queuedResumes.flatMap((q) => (q.refused ? [] : q.answers.map((a) => a.node)));
  return [...new Set([...(view.retrying ?? []).map((r) => r.node), ...answered, ...view.pendingNodes])];
}

/** A pinned thread whose version has no worker: which version, what waits, and the two ways on. */
function waitingLines(view: ThreadView, version: NonNullable<ThreadView['waitingForVersion']>): string[] {
  const nodes = version.nodes.map((n) => `"${n}"`).join(', ');
  const next =
    view.status === 'interrupted' && !view.queuedResumes.length
      ? `An answer is applied once one runs${nodes ? ` (paused at node ${nodes})` : ''}.`
      : `${nodes ? `Node ${nodes} runs` : 'Its next step runs'} once one does.`;
  return [
    `Waiting for a worker of its version: thread "${view.threadId}" runs on build "${version.buildId}" of deployment ` +
      `"${version.deploymentName}" only, and ${version.why}. ${next} Start one:`,
    `  ${version.workerCommand}`,
    'or move the thread to a build that is running:',
    `  ${version.moveCommand}`,
  ];
}

/** Where a thread runs: its build, deployment and versioning behaviour, and an operator's move. */
function versionLine(v: ThreadVersion): string {
  const on = v.version ? `build "${v.version.buildId}" of deployment "${v.version.deploymentName}"` : 'no build yet';
  const behavior = v.behavior ? ` (${v.behavior === 'PINNED' ? 'pinned' : 'auto-upgrade'})` : '';
  const moved =
    v.override === undefined || v.override === 'unset'
      ? ''
      : v.override === 'auto-upgrade'
        ? '; moved: auto-upgrade'
        : `; moved to build "${v.override.buildId}"`;
  return `${on}${behavior}${moved}`;
}

/** A thread parked on failed nodes: what failed, with which answer, and the two ways on. */
function parkedLines(view: ThreadView): string[] {
  const out = [
    `Parked on ${view.failures.length === 1 ? 'a failed node' : `${view.failures.length} failed nodes`} (the run is open; nothing is lost):`,
  ];
  for (const f of view.failures) {
    out.push(`  node "${f.node}" failed after its retries: ${f.error.name}: ${f.error.message}`);
    if (f.interrupt)
      out.push(`    it ran with the answer ${JSON.stringify(f.interrupt.answer)} to interrupt ${f.interrupt.id}`);
  }
  if (view.retryCommand) out.push('', 'Once the cause is fixed, run it again with:', `  ${view.retryCommand}`);
  if (view.failures.some((f) => f.interrupt))
    out.push('Or answer the interrupt again (the node runs with the new answer): the resume command below.');
  return out;
}

/** The message a failed thread ended with (read from its result; needs no worker). */
async function failureOf(client: GraphClient, threadId: string): Promise<string | null> {
  try {
    await client.temporal.workflow.getHandle(threadId).result();
    return null;
  } catch (error) {
    // In the CLI's words: the advice an ended run's failure carries is written for code.
    return cliMessageOf(rebuildError(error, threadId));
  }
}

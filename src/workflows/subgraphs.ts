/**
 * Subgraphs: a node that is a compiled graph runs as a child workflow of the subgraph's type; its pauses are the
 * parent's (reported by Signal, answered by forwarding), and `Command({ graph: Command.PARENT })` from one of its
 * nodes ends its run and hands the command to the parent.
 * Determinism: child workflow ids derive from the thread id, the node and the task id; Signals are commands.
 */
import { ChildWorkflowFailure, getExternalWorkflowHandle, startChild, workflowInfo } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { splitDestinations } from '../protocol/destinations.js';
import { failure } from '../protocol/failures.js';
import { childPausedSignal, resumeSignal } from '../protocol/messages.js';
import type { ChildPausedInput, NodeResult, RunInput, SendSpec, ThreadState } from '../protocol/payloads.js';
import type { StopState } from '../protocol/stop-state.js';
import { END, type GraphSpec } from '../protocol/spec.js';
import { runMetadata } from '../protocol/run-metadata.js';
import { withSpecToSend } from '../protocol/spec-header.js';
import { takesResumeValue } from '../protocol/pending.js';
import type { ChildCommand } from './resume.js';
import type { RunContext } from './run-context.js';
import type { Task } from './run-state.js';
import { pendingOf, toInterruptInfo } from './snapshot.js';

export class Subgraphs {
  readonly #run: RunContext;

  constructor(run: RunContext) {
    this.#run = run;
  }

  /** A subgraph node: a child workflow of the subgraph's type, given the parent's state; its final values are the node's update. */
  async runChild(task: Task, spec: GraphSpec): Promise<void> {
    const { state, stream } = this.#run;
    const workflowId = `${state.threadId}/${task.name}/${task.id.slice(0, 8)}`;
    task.child = { workflowId, interrupts: [], answers: {}, busy: true };
    // A Send's argument is the child's input (LangGraph); otherwise the parent state's shared fields.
    const arg = task.send?.arg;
    const source = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : state.values;
    const input = Object.fromEntries(Object.entries(source).filter(([key]) => key in spec.channels));
    const run: RunInput = {
      input,
      parent: { workflowId: state.threadId, runId: workflowInfo().runId, taskId: task.id, node: task.name },
    };
    let final: StopState;
    try {
      // startChild then result(): the same command as executeChild, and the run id once the child has started.
      const handle = await startChild<(run: RunInput) => Promise<StopState>>(spec.name, {
        workflowId,
        args: [withSpecToSend(run, spec)], // the spec goes as a header (spec-header.ts)
        // Summary and details for the Web UI. Not gated on the engine level: user metadata is not compared on replay
        // (every recorded history replays with it), and reading the level here would record it at every child start.
        ...runMetadata(spec.name, workflowId, run),
      });
      task.child.runId = handle.firstExecutionRunId;
      stream.subgraphRunning({ ns: `${task.name}:${task.id}`, workflowId, runId: handle.firstExecutionRunId, from: 0 });
      final = await handle.result();
    } catch (error) {
      task.status = { kind: 'failed', error: error instanceof ChildWorkflowFailure ? (error.cause ?? error) : error };
      return;
    }
    task.child.interrupts = [];
    delete task.child.nodeInterrupts;
    task.child.busy = false;
    if (final.parentCommand) return this.#applyParentCommand(task, spec, final.parentCommand);
    // The child's output is written to the parent fields it shares with the parent (LangGraph subgraph semantics).
    const parentSpec = this.#run.spec;
    const update = Object.fromEntries(Object.entries(final.values).filter(([key]) => key in parentSpec.channels));
    const node = parentSpec.nodes.find((n) => n.name === task.name)!;
    let routed: Array<string | SendSpec>;
    try {
      routed = await this.#run.routeFrom(node, [update]);
    } catch (error) {
      task.status = { kind: 'failed', error }; // ends the run with the node named, instead of an unhandled rejection
      return;
    }
    const result = { update: Object.keys(update).length ? update : null, ...splitDestinations(routed) };
    task.status = { kind: 'done', result };
    stream.taskFinished(task.name, { kind: 'update', update: result.update });
    this.#run.touch();
  }

  /** The `childPaused` Signal: a subgraph's child run paused (or paused again) with these interrupts. */
  childPaused(report: unknown): void {
    if (!isChildReport(report)) return; // not from a child run of ours (sent by hand): nothing to take from it
    const { taskId, interrupts, streamFrom, nodeInterrupts } = report;
    const task = this.#run.state.tasks.find((t) => t.id === taskId && t.child);
    if (!task) return; // a late report from a child of an earlier step
    task.child!.streamFrom = streamFrom;
    task.child!.interrupts = interrupts;
    if (nodeInterrupts?.length) task.child!.nodeInterrupts = nodeInterrupts;
    else delete task.child!.nodeInterrupts;
    task.child!.busy = false;
  }

  /** This run is a subgraph's and paused: report the pending interrupts to the parent, ids unchanged. */
  reportPause(): void {
    const parent = this.#run.input.parent;
    if (!parent) return;
    const pending = pendingOf(this.#run.state);
    const interrupts = pending.filter(takesResumeValue).map(toInterruptInfo);
    const nodeInterrupts = pending.filter((p) => !takesResumeValue(p)).map((p) => ({ value: p.value }));
    // If the parent is gone (terminated), nobody is waiting for the report: ignore the failure.
    getExternalWorkflowHandle(parent.workflowId, parent.runId)
      .signal(childPausedSignal, {
        taskId: parent.taskId,
        interrupts,
        streamFrom: this.#run.stream.end,
        ...(nodeInterrupts.length ? { nodeInterrupts } : {}),
      })
      .catch(() => undefined);
  }

  /**
   * Sends a command to a paused subgraph's child run (its task already counts as running: resume.ts's
   * takeCommands); the child reports again when it pauses, or ends.
   */
  async sendToChild({ task, command }: ChildCommand): Promise<void> {
    const { state, stream } = this.#run;
    const child = task.child!;
    // Its chunks after this resume start where its log stood at the pause (a child that reported it).
    if (child.runId !== undefined && child.streamFrom !== undefined) {
      stream.subgraphRunning({
        ns: `${task.name}:${task.id}`,
        workflowId: child.workflowId,
        runId: child.runId,
        from: child.streamFrom,
      });
    }
    try {
      await getExternalWorkflowHandle(child.workflowId).signal(resumeSignal, command);
    } catch (error) {
      throw failure(
        ErrorCode.NODE_FAILED,
        `Subgraph node "${task.name}" in thread "${state.threadId}": its child run ${child.workflowId} could not be resumed (${(error as Error).message}); it may have been terminated. Start a new run.`,
        { threadId: state.threadId, node: task.name },
      );
    }
  }

  /**
   * A node returned `Command({ graph: Command.PARENT })`. In a subgraph's run the task completes and the run ends
   * after this step ({@link endForParent}); a thread that is not a subgraph has no parent graph: its run fails.
   */
  takeParentCommand(task: Task, result: Extract<NodeResult, { kind: 'parent' }>): void {
    const { state } = this.#run;
    if (!this.#run.input.parent) {
      const error = failure(
        ErrorCode.NO_PARENT_GRAPH,
        `Node "${task.name}" in thread "${state.threadId}" returned Command({ graph: Command.PARENT }), but graph "${state.graph}" runs here on its own, not as a subgraph: there is no parent graph. ` +
          `Return Command({ goto, update }) without graph, or add "${state.graph}" to another graph with addNode().`,
        { threadId: state.threadId, node: task.name },
      );
      task.status = { kind: 'failed', error };
      return;
    }
    const parentCommand = {
      update: result.update,
      goto: result.goto,
      ...(result.sends ? { sends: result.sends } : {}),
    };
    task.status = { kind: 'done', result: { update: null, next: [] }, parentCommand };
    this.#run.touch();
  }

  /**
   * Ends a subgraph's run at the step where a node returned `Command({ graph: Command.PARENT })`, as LangGraph:
   * the step's other writes are not applied, and the run's result carries the command to the parent.
   */
  endForParent(): boolean {
    const { state } = this.#run;
    const senders = state.tasks.flatMap((t) =>
      t.status.kind === 'done' && t.status.parentCommand ? [{ name: t.name, command: t.status.parentCommand }] : [],
    );
    if (senders.length === 0) return false;
    if (senders.length > 1) {
      throw failure(
        ErrorCode.MULTIPLE_PARENT_COMMANDS,
        `Nodes ${senders.map((t) => `"${t.name}"`).join(', ')} in thread "${state.threadId}" each returned Command({ graph: Command.PARENT }) in the same step; the parent graph can take one. Return it from one node, or merge the updates first.`,
        { threadId: state.threadId, node: senders[1]!.name },
      );
    }
    state.parentCommand = { ...senders[0]!.command, node: senders[0]!.name };
    state.tasks = [];
    state.triggers = [];
    state.sends = [];
    return true;
  }

  /**
   * The child run ended with `Command({ graph: Command.PARENT })` from its node `command.node` (LangGraph): the
   * command's update is this subgraph node's output (the child's other writes are not), and its goto runs in the
   * next step beside the node's own edges. A goto or field the parent graph does not have fails the step.
   */
  async #applyParentCommand(
    task: Task,
    child: GraphSpec,
    command: NonNullable<ThreadState['parentCommand']>,
  ): Promise<void> {
    const { state, spec } = this.#run;
    const where = `Node "${command.node}" of subgraph "${child.name}" (node "${task.name}" of thread "${state.threadId}") returned Command({ graph: Command.PARENT })`;
    const known = new Set(spec.nodes.map((n) => n.name));
    const missing = [...command.goto, ...(command.sends ?? []).map((s) => s.node)].filter(
      (g) => g !== END && !known.has(g),
    );
    const fields = Object.keys(command.update ?? {}).filter((key) => !(key in spec.channels));
    if (missing.length || fields.length) {
      const problem = missing.length
        ? `with goto ${missing.map((m) => `"${m}"`).join(', ')}, but parent graph "${state.graph}" has no such node (nodes: ${[...known].join(', ')}). Fix the goto, or add the node to the parent graph.`
        : `with an update of field(s) ${fields.map((f) => `"${f}"`).join(', ')}, which parent graph "${state.graph}" does not have (fields: ${Object.keys(spec.channels).join(', ')}). Update only fields of the parent's state.`;
      const error = failure(ErrorCode.INVALID_PARENT_COMMAND, `${where} ${problem}`, {
        threadId: state.threadId,
        node: task.name,
      });
      task.status = { kind: 'failed', error };
      return;
    }
    const node = spec.nodes.find((n) => n.name === task.name)!;
    let routed: Array<string | SendSpec>;
    try {
      routed = await this.#run.routeFrom(node, command.update ? [command.update] : []);
    } catch (error) {
      task.status = { kind: 'failed', error };
      return;
    }
    task.status = {
      kind: 'done',
      result: { update: command.update, ...splitDestinations([...routed, ...command.goto, ...(command.sends ?? [])]) },
    };
    this.#run.stream.taskFinished(task.name, { kind: 'update', update: command.update });
    this.#run.touch();
  }
}

/** Whether a `childPaused` Signal's input has the shape a child run sends. */
function isChildReport(value: unknown): value is ChildPausedInput {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<ChildPausedInput>;
  return (
    typeof report.taskId === 'string' &&
    Array.isArray(report.interrupts) &&
    (report.nodeInterrupts === undefined || Array.isArray(report.nodeInterrupts)) &&
    (report.streamFrom === undefined || typeof report.streamFrom === 'number')
  );
}

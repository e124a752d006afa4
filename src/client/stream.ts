/**
 * `stream()` on the client: the run is driven exactly as `invoke()` drives it (same Updates, same errors), given a
 * {@link StreamTap}: the Updates that start or resume the run then wait only until they are accepted, while the tap
 * reads the run's chunk log (src/workflows/stream-log.ts) with `pollStream` Updates that wait on the workflow side,
 * so the caller never polls in a loop. The tail keeps its offset: a worker restart replays the same log, and the
 * next read continues where the last one ended (no chunk lost or repeated).
 */
import { CLOSING_RUN_RETRY_MS, isClosedRunError, isClosingRunError } from './closed-run.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import {
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WithStartWorkflowOperation,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
  type WorkflowUpdateOptions,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition, type Workflow } from '@temporalio/common';
import { ErrorCode, InvalidInputError, describe } from '../errors.js';
import { reviveStateMessages } from '../graph/message-codec.js';
import {
  INTERRUPT_KEY,
  STREAM_MODES,
  StreamMode,
  pollStreamUpdate,
  readStreamQuery,
  type StreamReadInput,
  type StreamReadResult,
  type SubgraphStream,
} from '../protocol/stream.js';
import type { StreamConfig } from './types.js';
import type { ContinuedStop } from '../protocol/continue-as-new.js';
import type { StopState } from '../protocol/stop-state.js';
import { nextRunId, settleStop } from './continued-runs.js';

/** Anything with the state fields of a graph, to turn wire messages back into message objects. */
type Revivable = Parameters<typeof reviveStateMessages>[0];

/**
 * Runs `run` (what `invoke()` runs for the same input, given the tap) while tailing the chunks of the run it starts
 * or resumes; yields them in LangGraph's shapes. The run starts when iteration starts; errors of the run are thrown
 * after the chunks before them. Breaking out of the loop stops reading; the run itself goes on, as it would
 * after `invoke()`.
 */
export async function* streamRun(
  temporal: Client,
  config: StreamConfig,
  graph: Revivable,
  run: (tap: StreamTap) => Promise<Record<string, unknown>>,
): AsyncGenerator<unknown, void, undefined> {
  const asTuples = Array.isArray(config.streamMode);
  const modes = streamModes(config.streamMode);
  const subgraphs = config.subgraphs === true;
  const shape = (ns: string[], mode: StreamMode, chunk: unknown) => {
    const tuple = asTuples ? [mode, chunk] : [chunk];
    return subgraphs ? [ns, ...tuple] : asTuples ? tuple : chunk;
  };
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  const tap = new StreamTap(temporal, modes, subgraphs, ({ ns, mode, chunk }) => {
    // A subgraph's state may have fields the parent does not know: those stay JSON.
    queue.push(shape(ns, mode, reviveChunk(graph, mode, chunk)));
    wake?.();
  });
  let outcome: { ok: true; result: Record<string, unknown> } | { ok: false; error: unknown } | undefined;
  void run(tap)
    .then(
      (result) => (outcome = { ok: true, result }),
      (error: unknown) => (outcome = { ok: false, error }),
    )
    .finally(() => wake?.());
  try {
    for (;;) {
      while (queue.length) yield queue.shift();
      if (outcome) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (!outcome.ok) throw outcome.error;
    // No run was started or resumed (invoke(null) on a finished thread): LangGraph still emits the state.
    if (!tap.engaged && modes.includes('values')) yield shape([], 'values', outcome.result);
  } finally {
    tap.close();
  }
}

/**
 * The SDK's `executeUpdateWithStart`; given a tap (`stream()`), it waits only for the Update to be accepted, then
 * tails the new run's chunks from the start until the Update's result is in.
 */
export async function executeUpdateWithStart<T extends Workflow, Args extends unknown[]>(
  temporal: Client,
  def: UpdateDefinition<StopState | ContinuedStop, Args>,
  options: WorkflowUpdateOptions & { args: Args; startWorkflowOperation: WithStartWorkflowOperation<T> },
  tap: StreamTap | undefined,
): Promise<StopState> {
  if (!tap) {
    const result = await temporal.workflow.executeUpdateWithStart(def, options);
    return settleStop(temporal, options.startWorkflowOperation.options.workflowId, result);
  }
  return tap.follow(await temporal.workflow.startUpdateWithStart(def, { ...options, waitForStage: 'ACCEPTED' }), {
    from: 0,
  });
}

/**
 * The SDK's `handle.executeUpdate` for the `resume` Update; given a tap (`stream()`), it waits only for the resume
 * to be accepted, then tails the chunks that resume produces until the Update's result is in.
 */
export async function executeResumeUpdate<Args extends [unknown, ...unknown[]]>(
  temporal: Client,
  handle: WorkflowHandle,
  def: UpdateDefinition<StopState | ContinuedStop, Args>,
  options: WorkflowUpdateOptions & { args: Args },
  tap: StreamTap | undefined,
): Promise<StopState> {
  if (!tap) return settleStop(temporal, handle.workflowId, await handle.executeUpdate(def, options));
  // The engine files the resume's first chunk offset under its Update Id (StreamLog.noteResume).
  const updateId = options.updateId ?? randomUUID();
  return tap.follow(await handle.startUpdate(def, { ...options, updateId, waitForStage: 'ACCEPTED' }), {
    afterResume: updateId,
  });
}

/** One chunk as the tap delivers it: with the namespace of the (sub)graph run it comes from. */
interface TappedChunk {
  ns: string[];
  mode: StreamMode;
  chunk: unknown;
}

/** One `stream()` call's reader of the chunks of the runs its Updates start or resume. */
export class StreamTap {
  /** True once a run was started or resumed for this stream. */
  engaged = false;
  #closed = false;
  readonly #temporal: Client;
  readonly #modes: StreamMode[];
  /** Modes read from subgraph runs: all of them with `subgraphs: true`, else only "custom" (as LangGraph). */
  readonly #childModes: StreamMode[];
  readonly #emit: (chunk: TappedChunk) => void;

  constructor(temporal: Client, modes: StreamMode[], subgraphs: boolean, emit: (chunk: TappedChunk) => void) {
    this.#temporal = temporal;
    this.#modes = modes;
    this.#childModes = subgraphs ? modes : modes.filter((m) => m === StreamMode.CUSTOM);
    this.#emit = emit;
  }

  /** The consumer stopped reading: issue no more reads. */
  close(): void {
    this.#closed = true;
  }

  /**
   * Tails the run the accepted `update` targets while the update runs; the update's outcome wins over a tail error.
   * Both follow the thread's chain of runs when the run continues as new.
   */
  async follow(
    update: WorkflowUpdateHandle<StopState | ContinuedStop>,
    start: Pick<StreamReadInput, 'from' | 'afterResume'>,
  ): Promise<StopState> {
    this.engaged = true;
    const run = { workflowId: update.workflowId, runId: update.workflowRunId };
    const [tailed, outcome] = await Promise.allSettled([
      this.#tail(run, { modes: this.#modes, ...start }, []),
      update.result().then((result) => settleStop(this.#temporal, update.workflowId, result)),
    ]);
    if (outcome.status === 'rejected') throw outcome.reason;
    if (tailed.status === 'rejected') throw tailed.reason;
    return outcome.value;
  }

  /**
   * Reads segment by segment until the stop that ends it (a pause or the end of the run). Where the log says a
   * subgraph's child run streams, its chunks are read from the child's own log, up to its next stop, before the
   * rest of this log: a child's segment always ends before its parent's (the parent waits for it).
   */
  async #tail(at: RunRef, input: StreamReadInput, ns: string[]): Promise<void> {
    // The thread's own runs are read through the Workflow Id, so a read the server took as the run continued as new
    // goes on in the next run (one sent to the old Run Id would be refused as long as its retries last); a
    // subgraph's child run, which never continues as new, through its Run Id.
    const own = ns.length === 0;
    const reader = own ? this.#temporal.workflow.getHandle(at.workflowId) : undefined;
    let runId = at.runId ?? (await this.#temporal.workflow.getHandle(at.workflowId).describe()).runId;
    let run = this.#temporal.workflow.getHandle(at.workflowId, runId);
    const modes = input.modes;
    const subgraphs = this.#childModes.length > 0;
    if (subgraphs) input = { ...input, subgraphs };
    let closedRun = false;
    while (!this.#closed) {
      let read = closedRun ? undefined : await this.#poll(reader ?? run, input, run);
      if (!read) {
        // Updates need an open run; once it has closed, a Query reads the rest of the log (replayed by a worker):
        // of the run this reader was reading, or of the runs it continued into.
        closedRun = true;
        for (;;) {
          try {
            read = await run.query(readStreamQuery, input);
            break;
          } catch (error) {
            const next = own && runId ? await nextRunId(this.#temporal, at.workflowId, runId) : undefined;
            if (next === undefined) throw error;
            [run, runId] = [this.#temporal.workflow.getHandle(at.workflowId, next), next];
          }
        }
      }
      for (const entry of read.chunks) {
        if ('subgraph' in entry) await this.#tailChild(entry.subgraph, ns);
        else this.#emit({ ns, mode: entry.mode, chunk: entry.chunk });
      }
      if (read.continuedAsNew) {
        // The run handed over to a new run of the thread (named by its close event): the log goes on there.
        const next = await nextRunId(this.#temporal, at.workflowId, runId);
        if (next === undefined) return;
        [run, runId] = [this.#temporal.workflow.getHandle(at.workflowId, next), next];
        closedRun = false;
      } else if (read.stopped !== undefined || (closedRun && !read.more)) return;
      input = { modes, from: read.next, ...(subgraphs ? { subgraphs } : {}) };
    }
  }

  /** A subgraph's child run, from where the parent's log says its chunks begin to its next stop. */
  #tailChild({ ns, workflowId, runId, from }: SubgraphStream['subgraph'], parentNs: string[]): Promise<void> {
    // After a pause (from > 0) the child may not have taken the parent's resume yet: wait for it there.
    return this.#tail(
      { workflowId, runId },
      { modes: this.#childModes, from, ...(from > 0 ? { resuming: true } : {}) },
      [...parentNs, ns],
    );
  }

  /**
   * One long poll; undefined when the run has closed. Retries with the same Update Id, which the server dedups. A
   * read refused because the run continued as new while this reader was behind (the next run's log begins after
   * it) reads the rest from `last`, the run it was reading, with a Query.
   */
  async #poll(
    run: WorkflowHandle,
    input: StreamReadInput,
    last: WorkflowHandle,
  ): Promise<StreamReadResult | undefined> {
    let updateId = randomUUID();
    for (;;) {
      try {
        return await run.executeUpdate(pollStreamUpdate, { args: [input], updateId });
      } catch (error) {
        if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) continue;
        if (error instanceof WorkflowNotFoundError || isClosedRunError(error)) return undefined;
        if (isClosingRunError(error)) {
          // The run is continuing as new: sent again (a new Id: the closing run keeps refusing this one), the read
          // reaches the next run, or finds the run closed.
          updateId = randomUUID();
          await sleep(CLOSING_RUN_RETRY_MS);
          continue;
        }
        if (run !== last && isStreamReadRefusal(error)) {
          const rest = await last.query(readStreamQuery, input).catch(() => undefined);
          if (rest?.continuedAsNew) return rest;
        }
        throw error;
      }
    }
  }
}

/** A read the engine refused (STREAM_READ): e.g. an offset outside the log of the run it reached. */
function isStreamReadRefusal(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === ErrorCode.STREAM_READ;
}

/** A run whose log a tap reads (no Run Id: the current run of the Workflow Id). */
interface RunRef {
  workflowId: string;
  runId?: string | undefined;
}

/** The stream modes asked for, checked. */
function streamModes(streamMode: StreamConfig['streamMode']): StreamMode[] {
  const modes =
    streamMode === undefined
      ? [StreamMode.UPDATES]
      : Array.isArray(streamMode)
        ? [...streamMode]
        : [streamMode as StreamMode];
  const unknown = modes.filter((m) => !STREAM_MODES.includes(m));
  if (modes.length === 0 || unknown.length) {
    throw new InvalidInputError(
      `streamMode ${describe(streamMode)} is not supported: use ${STREAM_MODES.map((m) => `"${m}"`).join(', ')}, or a non-empty list of them (LangGraph's "messages", "tasks", "checkpoints" and "debug" are not available).`,
    );
  }
  return modes;
}

/** Chat messages in state chunks become message objects again, as in invoke()'s result. */
function reviveChunk(graph: Revivable, mode: StreamMode, chunk: unknown): unknown {
  if (mode === 'custom' || typeof chunk !== 'object' || chunk === null || INTERRUPT_KEY in chunk) return chunk;
  if (mode === 'values') return reviveStateMessages(graph, chunk as Record<string, unknown>);
  return Object.fromEntries(
    Object.entries(chunk).map(([node, update]) => [
      node,
      reviveStateMessages(graph, update as Record<string, unknown>),
    ]),
  );
}

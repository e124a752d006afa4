/**
 * `GraphHandle`: what callers do with one graph's threads. Each method is a short entry into the file that does the
 * job: runs (runs.ts), Commands and edits (commands.ts), streaming (stream.ts), state reads (state.ts) and the
 * history readers (history/).
 */
import type { WorkflowHandleWithStartDetails } from '@temporalio/client';
import { isCommand, type Command } from '../graph/command.js';
import type { AnyCompiledGraph } from '../graph/compiled-graph.js';
import { reviveThreadState } from '../graph/message-codec.js';
import type { WritesOf } from '../graph/types.js';
import type { ThreadState } from '../protocol/payloads.js';
import type { StreamMode } from '../protocol/stream.js';
import { continueThread, runCommand, updateThreadState } from './commands.js';
import { readAuditTrail } from './history/audit-history.js';
import type { AuditEntry } from './history/audit.js';
import { readStateHistory } from './history/fetch.js';
import type { StateHistoryOptions, StateHistorySnapshot } from './history/state-history.js';
import { rebuildError } from './errors.js';
import { runInputOf, threadIdOf, type HandleContext } from './run-config.js';
import { rewindThread, type RewindOptions, type RewindResult } from './rewind.js';
import { abandonPausedRun, startAndWait, startRun } from './runs.js';
import { readSnapshot, toInvokeResult } from './state.js';
import { streamRun, type StreamTap } from './stream.js';
import type {
  InvokeResult,
  InvokeStreamResult,
  RunConfig,
  StateSnapshot,
  StreamConfig,
  StreamOutput,
  SubgraphStreamOutput,
} from './types.js';

/** Runs and inspects threads of one graph. */
export class GraphHandle<State extends Record<string, unknown>> {
  readonly name: string;
  readonly #ctx: HandleContext;

  /** @internal Use {@link GraphClient.graph}. */
  constructor(client: Pick<HandleContext, 'temporal' | 'taskQueue' | 'address'>, graph: AnyCompiledGraph | string) {
    this.name = typeof graph === 'string' ? graph : graph.name;
    this.#ctx = {
      temporal: client.temporal,
      taskQueue: client.taskQueue,
      address: client.address,
      name: this.name,
      compiled: typeof graph === 'string' ? undefined : graph,
    };
  }

  /**
   * Runs the thread until it reaches END or pauses. Resolves (never throws) on a pause, with the
   * pending interrupts in `__interrupt__`; pass `new Command({ resume })` to answer them.
   *
   * New input on a thread whose last run finished continues from its final state (a new run of the
   * same Workflow Id). New input on a running or paused thread is refused.
   *
   * @throws {@link MissingThreadIdError} before anything starts when the thread id is missing.
   * @throws {@link NoPendingInterruptError} when resuming a thread that is not paused.
   * @throws {@link InvalidResumeError} when the resume value does not fit the pending interrupts.
   * @throws {@link ThreadBusyError} when new input is sent to a running or paused thread.
   * @throws {@link NodeFailedError} when a node failed after its retries.
   *
   * With `streamMode` (and `subgraphs`), as in LangGraph: it resolves to the array of the chunks {@link stream}
   * yields for that config (`"updates"`, `"custom"`, a list of modes), and `"values"` (the default) to the state
   * as without it; with `subgraphs: true` and `"values"`, to the last `[namespace, chunk]`.
   * @example
   * ```ts
   * const updates = await app.invoke(input, { ...config, streamMode: 'updates' }); // [{ review: {...} }, ...]
   * ```
   */
  invoke<const Mode extends StreamMode | readonly StreamMode[], const Subgraphs extends boolean = false>(
    input: WritesOf<State> | Command | null | undefined,
    config: StreamConfig<Mode> & { streamMode: Mode; subgraphs?: Subgraphs },
  ): Promise<InvokeStreamResult<State, Mode, Subgraphs>>;
  invoke(input: WritesOf<State> | Command | null | undefined, config: RunConfig): Promise<InvokeResult<State>>;
  async invoke(
    input: WritesOf<State> | Command | null | undefined,
    config: RunConfig & Pick<StreamConfig, 'streamMode' | 'subgraphs'>,
  ): Promise<unknown> {
    // A config may be missing altogether (JavaScript callers): #run reports the missing thread_id.
    const mode = config?.streamMode ?? 'values';
    if (mode === 'values' && config?.subgraphs !== true)
      return this.#typed(config, () => this.#run(input, config, undefined));
    // LangGraph's invoke() is its stream(), collected: every chunk, or in "values" mode the last one.
    const chunks: unknown[] = [];
    for await (const chunk of this.stream(input, { ...config, streamMode: mode })) chunks.push(chunk);
    return mode === 'values' ? chunks.at(-1) : chunks;
  }

  /**
   * Runs the thread to its next stop: what `invoke()` does, and `stream()` with its tap, which reads the chunks of
   * the run the Updates start or resume (they then wait only to be accepted). The one path for both.
   */
  async #run(
    input: WritesOf<State> | Command | null | undefined,
    config: RunConfig,
    tap: StreamTap | undefined,
  ): Promise<InvokeResult<State>> {
    const ctx = this.#ctx;
    const threadId = threadIdOf(config);
    let state: ThreadState;
    if (isCommand(input)) state = await runCommand(ctx, input, config, threadId, tap);
    else if (input === null || input === undefined) state = await continueThread(ctx, threadId, config, tap);
    else {
      const run = runInputOf(ctx, input, config, threadId);
      if (config.abandonPendingInterrupts) await abandonPausedRun(ctx, threadId);
      state = await startAndWait(ctx, run, threadId, tap);
    }
    return toInvokeResult<State>(reviveThreadState(ctx.compiled, state));
  }

  /**
   * Runs the thread like {@link invoke} (same input, same errors) and yields LangGraph's stream chunks while it
   * runs, until it reaches END or pauses. `"updates"` (the default) yields `{ [node]: update }` per finished node,
   * `"values"` the state after each step that wrote something, `"custom"` what nodes pass to `config.writer`;
   * a list of modes yields `[mode, chunk]` tuples; `subgraphs: true` adds the namespace in front (`[namespace, chunk]`)
   * and streams subgraph nodes' "updates" and "values" too. A pause ends the stream with `{ __interrupt__: [...] }` in
   * "updates" and "values" mode; streaming `new Command({ resume })` starts by re-emitting the paused state in
   * "values" mode.
   *
   * Chunks come from the running Workflow through `pollStream` Updates that wait there, and are derived from what
   * Temporal records, so a Worker restart neither loses nor repeats one. A node's custom chunks arrive when its
   * Activity finishes (or pauses), not while it runs. The run starts when iteration starts; breaking out of the
   * loop stops reading, and the run goes on. Each read costs the run about 5 history events and one of its
   * 2000 Updates (see the README, "Streaming").
   *
   * @throws the errors of {@link invoke}, after the chunks that came before them.
   * @example
   * ```ts
   * for await (const chunk of approval.stream({ request: 'Q3 report' }, { ...config, streamMode: 'updates' })) console.log(chunk);
   * ```
   */
  stream<const Mode extends StreamMode | readonly StreamMode[] = 'updates', const Subgraphs extends boolean = false>(
    input: WritesOf<State> | Command | null | undefined,
    config: StreamConfig<Mode> & { subgraphs?: Subgraphs },
  ): AsyncGenerator<Subgraphs extends true ? SubgraphStreamOutput<Mode> : StreamOutput<State, Mode>, void, undefined> {
    return this.#typedStream(
      config,
      streamRun(this.#ctx.temporal, config, this.#ctx.compiled, (tap) => this.#run(input, config, tap)),
    ) as AsyncGenerator<
      Subgraphs extends true ? SubgraphStreamOutput<Mode> : StreamOutput<State, Mode>,
      void,
      undefined
    >;
  }

  /**
   * Starts a run and returns at once with the Temporal handle (fire and forget). Use {@link getState} to watch it
   * and read its final state; `handle.result()` resolves to the run's recorded stop (a `StopState`, the lean form
   * history keeps: `unpackStop(stop, { threadId, graph })` from `durable-graph/client` expands it). On a client that shares the
   * `NativeConnection` of a running worker of this graph's task queue, the run starts eagerly on that worker
   * (`handle.eagerlyStarted`).
   * @throws {@link MissingThreadIdError}, {@link ThreadBusyError} (a run is in progress).
   */
  async start(input: WritesOf<State> | null | undefined, config: RunConfig): Promise<WorkflowHandleWithStartDetails> {
    return this.#typed(config, () => startRun(this.#ctx, input, config));
  }

  /**
   * The thread's current state, as LangGraph's `getState`. A thread that never ran gives empty values
   * (as in LangGraph). Needs a worker for a running or paused thread (it is a Query).
   */
  async getState(config: RunConfig, options: { subgraphs?: boolean } = {}): Promise<StateSnapshot<State>> {
    return this.#typed(config, () => readSnapshot<State>(this.#ctx, threadIdOf(config), options));
  }

  /**
   * The thread's past states, newest first, as LangGraph's `getStateHistory`: one snapshot per superstep
   * (plus the input and final ones) across every run of the thread, rebuilt from Temporal history (no worker
   * needed). A paused superstep shows its interrupt and, once resumed, the task's result. Iterate with
   * `for await`; `limit`, `before` and `filter: { source }` narrow it.
   * @throws {@link MissingThreadIdError} when the thread id is missing.
   */
  getStateHistory(
    config: RunConfig,
    options: StateHistoryOptions = {},
  ): AsyncGenerator<StateHistorySnapshot<State>, void, undefined> {
    return this.#typedStream(
      config,
      readStateHistory(this.#ctx.temporal, threadIdOf(config), options, this.#ctx.compiled),
    ) as AsyncGenerator<StateHistorySnapshot<State>, void, undefined>;
  }

  /**
   * Every human action on the thread, oldest first, across all its runs: run starts, `resume` Signals and
   * Updates, `updateState` edits, rewinds (with the answers they undid) and terminations, each with the sender's
   * Temporal identity, the time, the
   * value, the interrupts it answered (ids and nodes) and whether it was applied or rejected. Rebuilt from
   * Temporal history alone (no worker needed); `[]` for a thread that never ran. A resume Update the engine
   * refused is not listed: Temporal records nothing for it.
   * @throws {@link MissingThreadIdError} when the thread id is missing.
   */
  async getAuditTrail(config: RunConfig): Promise<AuditEntry[]> {
    return this.#typed(config, () => readAuditTrail(this.#ctx.temporal, threadIdOf(config)));
  }

  /**
   * Takes the thread back to one of its pauses, undoing the answer it got and every action after it, so the
   * interrupt is pending again: answer it anew with `invoke(new Command({ resume }), config)`. Use it when an
   * answer was wrong and a node has already run with it (the run may have gone on, failed or finished).
   *
   * It is Temporal's reset of the thread's latest run, to the last workflow task before the answer: the new run
   * replays the thread's history up to there, so no node runs again (nodes after the pause did run; what they did
   * outside the thread is not undone). Signals and Updates recorded after that point are not applied again. The
   * interrupt keeps its id, except in the cases {@link RewindResult.keepsInterruptId} names. The reason recorded with the reset names the pause and this client's
   * identity, and {@link getAuditTrail} lists the rewind and the answers it undid. A Worker of the thread's graph
   * must run the new run (with no Worker it waits, as any run does).
   *
   * @param options.toPause the interrupt id of the pause to go back to; by default, the pause answered last.
   * @throws {@link RewindRefusedError} (nothing changed) when the interrupt id is not an answered pause of the
   * thread's latest run, or there is none; the error lists the pauses it can go back to.
   * @throws {@link ThreadNotFoundError} when the thread never ran.
   * @example
   * ```ts
   * const { pending } = await app.rewind(config, { toPause: interruptId, reason: 'wrong amount' });
   * await app.invoke(new Command({ resume: { amount: 120 } }), config);
   * ```
   */
  async rewind(config: RunConfig, options: RewindOptions = {}): Promise<RewindResult> {
    return this.#typed(config, () => rewindThread(this.#ctx.temporal, threadIdOf(config), options));
  }

  /**
   * Writes state values on a paused or finished thread, as LangGraph's `updateState`. With `asNode`, the
   * values count as that node's output: a paused node completes without running again, and the thread
   * stays paused before the node's successors until `invoke(null)`.
   *
   * Unlike LangGraph, an edit never drops a pending interrupt: without `asNode`, every pending interrupt
   * stays pending with its id (the node sees the new values when resumed); with `asNode`, other paused
   * nodes stay paused.
   * @throws {@link UpdateStateRefusedError} when the thread is running, or `asNode` is not a paused node (or not a node).
   */
  async updateState(
    config: RunConfig,
    values: WritesOf<State>,
    asNode?: string,
  ): Promise<{ configurable: { thread_id: string } }> {
    return this.#typed(config, () => updateThreadState(this.#ctx, config, values, asNode));
  }

  /** Runs a call on the config's thread with its errors typed: ours rebuilt, the server's refusals as ours. */
  async #typed<T>(config: RunConfig | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw rebuildError(error, looseThreadId(config), this.#ctx.address);
    }
  }

  /** {@link #typed} for what a generator throws while it is read. */
  async *#typedStream<T>(
    config: RunConfig | undefined,
    chunks: AsyncGenerator<T, void, undefined>,
  ): AsyncGenerator<T, void, undefined> {
    try {
      yield* chunks;
    } catch (error) {
      throw rebuildError(error, looseThreadId(config), this.#ctx.address);
    }
  }
}

/** The config's thread id if it has one (errors name it), without refusing a config that lacks it. */
function looseThreadId(config: RunConfig | undefined): string | undefined {
  const threadId = (config as { configurable?: { thread_id?: unknown } } | undefined)?.configurable?.thread_id;
  return typeof threadId === 'string' ? threadId : undefined;
}

/**
 * durable-graph/client: start, resume and inspect graph threads from any Node service.
 *
 * @module
 * @example
 * ```ts
 * import { GraphClient } from 'durable-graph/client';
 * import { Command } from 'durable-graph';
 *
 * const client = await GraphClient.connect(); // TEMPORAL_ADDRESS or localhost:7233
 * const approval = client.graph(approvalGraph);
 * const config = { configurable: { thread_id: 'order-42' } };
 * const paused = await approval.invoke({ request: 'refund order 42' }, config);
 * console.log(paused.__interrupt__); // [{ id, value: { question, proposed_action } }]
 * const done = await approval.invoke(new Command({ resume: true }), config);
 * ```
 */
import { isClosedRunError } from './client/closed-run.js';
import {
  Client,
  Connection,
  type ConnectionLike,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithStartDetails,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import {
  DurableGraphError,
  ErrorCode,
  InvalidInputError,
  InvalidResumeError,
  InvalidUpdateError,
  MissingThreadIdError,
  NoPendingInterruptError,
  NodeFailedError,
  RecursionLimitError,
  ThreadBusyError,
  ServerUnreachableError,
  UnknownGraphError,
  InterruptOutsideNodeError,
  isDurableGraphError,
  describe,
} from './errors.js';
import { Command, isCommand } from './graph/command.js';
import type { AnyCompiledGraph, CompiledGraph } from './graph/compiled-graph.js';
import type { StateOf, WritesOf } from './graph/types.js';
import { encodeMessagesDeep, reviveMessagesDeep, reviveThreadState } from './graph/message-codec.js';
import { readStateHistory } from './client/history/fetch.js';
import { readAuditTrail } from './client/history/audit-history.js';
import type { AuditEntry } from './client/history/audit.js';
import { supportsEagerStart } from './client/eager-start.js';
import { executeResumeUpdate, executeUpdateWithStart, streamRun, type StreamConfig, type StreamMode, type StreamOutput, type SubgraphStreamOutput } from './client/stream.js';
import type { StateHistoryOptions, StateHistorySnapshot } from './client/history/state-history.js';
import { isErrorCode } from './protocol/failures.js';
import { MEMO_KEY, type ThreadMemo } from './protocol/memo.js';
import { awaitStopUpdate, getStateQuery, resumeUpdate, updateStateUpdate } from './protocol/messages.js';
import type { InterruptInfo, ResumeInput, RunInput, TaskSnapshot, ThreadState } from './protocol/payloads.js';
import { findNonJsonValue } from './protocol/json.js';
import type { ThreadStatus } from './protocol/search-attributes.js';

const DEFAULT_TASK_QUEUE_NAME = 'durable-graph';

/** LangGraph's run config: `{ configurable: { thread_id } }`; the thread id is the Workflow Id. */
export interface RunConfig {
  configurable: { thread_id: string; [key: string]: unknown };
  /** Maximum supersteps for this run. @default 25 */
  recursionLimit?: number;
  /**
   * New input on a paused thread is refused (ThreadBusyError) unless this is true: then the paused run is
   * ended (a Temporal termination whose reason names the abandoned interrupts) and a new run starts from the
   * paused state with the new input, as LangGraph does (R24).
   * @default false
   */
  abandonPendingInterrupts?: boolean;
}

/**
 * A pending interrupt, as LangGraph returns it. A pause raised by `throw new NodeInterrupt(value)` is `{ value }`
 * with no `id` key, as in LangGraph (R6): it cannot be answered by id (`'id' in i` tells them apart).
 */
export type Interrupt<Value = unknown> = { id: string; value: Value; response_schema?: Record<string, unknown> };

/** What `invoke()` resolves to: the state, plus `__interrupt__` when the run paused (absent when it finished). */
export type InvokeResult<State> = State & { __interrupt__?: Interrupt[] };

/**
 * What `invoke(input, { streamMode, subgraphs })` resolves to, as in LangGraph: the chunks `stream()` yields for that
 * config, or for `"values"` the state ({@link InvokeResult}; the last `[namespace, chunk]` with `subgraphs: true`).
 */
export type InvokeStreamResult<State, Mode, Subgraphs extends boolean = false> = Mode extends 'values'
  ? Subgraphs extends true
    ? SubgraphStreamOutput<Mode>
    : InvokeResult<State>
  : Array<Subgraphs extends true ? SubgraphStreamOutput<Mode> : StreamOutput<State, Mode>>;

/** A LangGraph-style snapshot of a thread. */
export interface StateSnapshot<State> {
  values: State;
  /** Nodes that run next; `[]` when the run finished. Detect a pause with `tasks[].interrupts`, as in LangGraph. */
  next: string[];
  tasks: TaskSnapshot[];
  /** Absent for a thread that never ran (LangGraph R9). */
  /** `source` is `"update"` after an `updateState`, until the next step starts (as LangGraph's checkpoint). */
  metadata?: { source: 'input' | 'loop' | 'update'; step: number; thread_id: string };
  config: { configurable: { thread_id: string } };
  /** Absent for a thread that never ran (LangGraph R9). */
  createdAt?: string;
  /** durable-graph extra: `running` | `interrupted` | `completed` | `failed`; absent for a thread that never ran. */
  status?: ThreadStatus;
  /** durable-graph extra: resumes the thread refused (nothing was applied). */
  rejectedResumes: ThreadState['rejectedResumes'];
}

export type { CheckpointConfig, StateHistoryOptions, StateHistorySnapshot } from './client/history/state-history.js';
export type { AuditAction, AuditEntry, AuditInterrupt } from './client/history/audit.js';
export type { InterruptChunk, StreamConfig, StreamMode, StreamOutput, SubgraphStreamOutput, UpdatesChunk, ValuesChunk } from './client/stream.js';

/** Options of {@link GraphClient.connect}. */
export interface GraphClientOptions {
  /** @default process.env.TEMPORAL_ADDRESS ?? the Temporal config file's profile ?? "localhost:7233" */
  address?: string;
  /** @default process.env.TEMPORAL_NAMESPACE ?? "default" */
  namespace?: string;
  /** Task queue the graphs' workers poll. @default "durable-graph" */
  taskQueue?: string;
  /**
   * An existing connection to reuse (not closed by {@link GraphClient.close}): a client `Connection`, or the
   * `NativeConnection` a worker of this process runs on (`createWorker({ connection })`); then {@link GraphHandle.start}
   * starts runs eagerly on that worker (see the README, "Eager start").
   */
  connection?: ConnectionLike;
  /**
   * Who this client is, recorded by Temporal with every start, resume and edit it sends (shown by
   * {@link GraphHandle.getAuditTrail}), e.g. `"alice"` or `"billing-service@host-1"`.
   * @default Temporal's `<pid>@<hostname>`
   */
  identity?: string;
}

/** Entry point for services: connects to Temporal and hands out per-graph handles. */
export class GraphClient {
  /** The underlying Temporal client, for anything durable-graph does not wrap. */
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly #ownConnection?: Connection;

  private constructor(temporal: Client, taskQueue: string, ownConnection?: Connection) {
    this.temporal = temporal;
    this.taskQueue = taskQueue;
    this.#ownConnection = ownConnection;
  }

  /** Connects to Temporal (environment and Temporal config file are honoured, as the `temporal` CLI does). */
  static async connect(options: GraphClientOptions = {}): Promise<GraphClient> {
    let connection = options.connection;
    let namespace = options.namespace;
    let own: Connection | undefined;
    if (!connection) {
      const config = loadClientConnectConfig();
      config.connectionOptions.address = options.address ?? config.connectionOptions.address ?? 'localhost:7233';
      namespace ??= config.namespace;
      const address = config.connectionOptions.address;
      connection = own = await Connection.connect(config.connectionOptions).catch((error: unknown) => {
        throw new ServerUnreachableError(address, error);
      });
    }
    const client = new Client({ connection, namespace: namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default', ...(options.identity ? { identity: options.identity } : {}) });
    return new GraphClient(client, options.taskQueue ?? DEFAULT_TASK_QUEUE_NAME, own);
  }

  /**
   * A handle for one graph. Pass the compiled graph for typed state and client-side input
   * validation, or just its name (the worker then validates the input).
   */
  graph<G extends AnyCompiledGraph>(graph: G): GraphHandle<StateOf<G['schema']>>;
  graph(name: string): GraphHandle<Record<string, unknown>>;
  graph(graph: AnyCompiledGraph | string): GraphHandle<any> {
    return new GraphHandle(this, graph);
  }

  /** Closes the connection if this client opened it. */
  async close(): Promise<void> {
    await this.#ownConnection?.close();
  }
}

/** How long a refusal of new input waits for a worker to say whether a thread with no memo is paused. */
const BUSY_QUERY_MS = 3_000;

/** Runs and inspects threads of one graph. */
export class GraphHandle<State extends Record<string, unknown>> {
  readonly name: string;
  readonly #client: GraphClient;
  readonly #compiled?: CompiledGraph;

  /** @internal Use {@link GraphClient.graph}. */
  constructor(client: GraphClient, graph: AnyCompiledGraph | string) {
    this.#client = client;
    this.name = typeof graph === 'string' ? graph : graph.name;
    if (typeof graph !== 'string') this.#compiled = graph;
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
  async invoke(input: WritesOf<State> | Command | null | undefined, config: RunConfig & Pick<StreamConfig, 'streamMode' | 'subgraphs'>): Promise<unknown> {
    // A config may be missing altogether (JavaScript callers): #invokeState reports the missing thread_id.
    const mode = config?.streamMode ?? 'values';
    if (mode === 'values' && config?.subgraphs !== true) return this.#invokeState(input, config);
    // LangGraph's invoke() is its stream(), collected: every chunk, or in "values" mode the last one.
    const chunks: unknown[] = [];
    for await (const chunk of this.stream(input, { ...config, streamMode: mode })) chunks.push(chunk);
    return mode === 'values' ? chunks.at(-1) : chunks;
  }

  async #invokeState(input: WritesOf<State> | Command | null | undefined, config: RunConfig): Promise<InvokeResult<State>> {
    const threadId = threadIdOf(config);
    if (isCommand(input)) return toInvokeResult<State>(reviveThreadState(this.#compiled, await this.#command(input, config, threadId)));
    if (input === null || input === undefined) return toInvokeResult<State>(reviveThreadState(this.#compiled, await this.#continue(threadId, config)));
    const run = this.#runInput(input, config, threadId);
    if (config.abandonPendingInterrupts) await this.#abandon(threadId);
    return toInvokeResult<State>(reviveThreadState(this.#compiled, await this.#startAndWait(run, threadId)));
  }

  /**
   * Runs the thread like {@link invoke} (same input, same errors) and yields LangGraph's stream chunks while it
   * runs, until it reaches END or pauses. `"updates"` (the default) yields `{ [node]: update }` per finished node,
   * `"values"` the state after each step that wrote something, `"custom"` what nodes pass to `config.writer`;
   * a list of modes yields `[mode, chunk]` tuples; `subgraphs: true` adds the namespace in front (`[namespace, chunk]`)
   * and streams subgraph nodes' "updates" and "values" too. A pause ends the stream with `{ __interrupt__: [...] }` in
   * "updates" and "values" mode; streaming `new Command({ resume })` starts by re-emitting the paused state in
   * "values" mode (LangGraph R49).
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
    return streamRun(this.#client.temporal, config, this.#compiled, () => this.#invokeState(input, config)) as AsyncGenerator<
      Subgraphs extends true ? SubgraphStreamOutput<Mode> : StreamOutput<State, Mode>,
      void,
      undefined
    >;
  }

  /**
   * Starts a run and returns at once with the Temporal handle (fire and forget). Await
   * `handle.result()` for the final state, or use {@link getState} to watch it. On a client that shares the
   * `NativeConnection` of a running worker of this graph's task queue, the run starts eagerly on that worker
   * (`handle.eagerlyStarted`).
   * @throws {@link MissingThreadIdError}, {@link ThreadBusyError} (a run is in progress).
   */
  async start(input: WritesOf<State> | null | undefined, config: RunConfig): Promise<WorkflowHandleWithStartDetails> {
    const threadId = threadIdOf(config);
    const run = this.#runInput(input ?? {}, config, threadId);
    // Update-with-Start (invoke, stream) cannot start eagerly (the server refuses it); a plain start can.
    const eager = supportsEagerStart(this.#client.temporal.connection) ? { requestEagerStart: true } : {};
    try {
      return await this.#client.temporal.workflow.start(this.name, {
        workflowId: threadId,
        taskQueue: this.#client.taskQueue,
        args: [run],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...eager,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const previous = await this.#previousRun(threadId);
      return this.#client.temporal.workflow.start(this.name, {
        workflowId: threadId,
        taskQueue: this.#client.taskQueue,
        args: [{ ...run, previous }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        ...eager,
      });
    }
  }

  /**
   * The thread's current state, as LangGraph's `getState`. A thread that never ran gives empty values
   * (as in LangGraph). Needs a worker for a running or paused thread (it is a Query).
   */
  async getState(config: RunConfig, options: { subgraphs?: boolean } = {}): Promise<StateSnapshot<State>> {
    const threadId = threadIdOf(config);
    const handle = this.#client.temporal.workflow.getHandle(threadId);
    let state: ThreadState;
    try {
      state = await readThreadState(handle, (await handle.describe()).status.name);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // As LangGraph (R9): no metadata, createdAt or status keys at all, not keys holding undefined.
        return { values: {} as State, next: [], tasks: [], config: { configurable: { thread_id: threadId } }, rejectedResumes: [] };
      }
      throw error;
    }
    state = reviveThreadState(this.#compiled, state);
    // Chat messages in interrupt payloads come back as messages, as invoke()'s __interrupt__ gives them.
    let tasks = state.tasks.map((task) => (task.interrupts.length ? { ...task, interrupts: task.interrupts.map(reviveInterrupt) } : task));
    if (options.subgraphs) {
      // R11: a subgraph task's `state` becomes the child thread's own snapshot (recursively).
      tasks = await Promise.all(
        tasks.map(async (task) => {
          const child = (task.state as { configurable?: { thread_id?: string } } | undefined)?.configurable?.thread_id;
          if (!child) return task;
          const name = (await this.#client.temporal.workflow.getHandle(child).describe()).type;
          const snapshot = await new GraphHandle(this.#client, name).getState({ configurable: { thread_id: child } }, options);
          return { ...task, state: snapshot as unknown as Record<string, unknown> };
        }),
      );
    }
    return {
      values: state.values as State,
      next: state.next,
      tasks,
      metadata: { source: state.metadata.source, step: state.metadata.step, thread_id: threadId },
      config: { configurable: { thread_id: threadId } },
      createdAt: state.createdAt,
      status: state.status,
      rejectedResumes: state.rejectedResumes,
    };
  }

  /**
   * The thread's past states, newest first, as LangGraph's `getStateHistory`: one snapshot per superstep
   * (plus the input and final ones) across every run of the thread, rebuilt from Temporal history (no worker
   * needed). A paused superstep shows its interrupt and, once resumed, the task's result. Iterate with
   * `for await`; `limit`, `before` and `filter: { source }` narrow it (R51, R52).
   * @throws {@link MissingThreadIdError} when the thread id is missing.
   */
  getStateHistory(config: RunConfig, options: StateHistoryOptions = {}): AsyncGenerator<StateHistorySnapshot<State>, void, undefined> {
    return readStateHistory(this.#client.temporal, threadIdOf(config), options, this.#compiled) as AsyncGenerator<StateHistorySnapshot<State>, void, undefined>;
  }

  /**
   * Every human action on the thread, oldest first, across all its runs: run starts, `resume` Signals and
   * Updates, `updateState` edits and terminations, each with the sender's Temporal identity, the time, the
   * value, the interrupts it answered (ids and nodes) and whether it was applied or rejected. Rebuilt from
   * Temporal history alone (no worker needed); `[]` for a thread that never ran. A resume Update the engine
   * refused is not listed: Temporal records nothing for it.
   * @throws {@link MissingThreadIdError} when the thread id is missing.
   */
  async getAuditTrail(config: RunConfig): Promise<AuditEntry[]> {
    return readAuditTrail(this.#client.temporal, threadIdOf(config));
  }

  /**
   * Writes state values on a paused or finished thread, as LangGraph's `updateState`. With `asNode`, the
   * values count as that node's output: a paused node completes without running again, and the thread
   * stays paused before the node's successors until `invoke(null)`.
   *
   * Unlike LangGraph, an edit never drops a pending interrupt: without `asNode`, every pending interrupt
   * stays pending with its id (the node sees the new values when resumed); with `asNode`, other paused
   * nodes stay paused.
   * @throws {@link InvalidUpdateError} when the thread is running, or `asNode` is not a paused node (or not a node).
   */
  async updateState(config: RunConfig, values: WritesOf<State>, asNode?: string): Promise<{ configurable: { thread_id: string } }> {
    const threadId = threadIdOf(config);
    const parsed = this.#compiled ? this.#compiled.parseInput(values, threadId) : (values as Record<string, unknown>);
    const handle = this.#client.temporal.workflow.getHandle(threadId);
    try {
      await handle.executeUpdate(updateStateUpdate, { args: [asNode === undefined ? { values: parsed } : { values: parsed, asNode }] });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError || isClosedRunError(error))) throw rebuildError(error, threadId);
      if (asNode !== undefined && this.#compiled && !this.#compiled.nodes.has(asNode)) {
        throw new InvalidUpdateError(`updateState(..., "${asNode}") on thread "${threadId}": node "${asNode}" does not exist.`, { threadId });
      }
      // Finished (or never started): a run that writes the values, and with asNode pauses before its successors.
      const run: RunInput = { ...this.#runInput({}, config, threadId), input: null, command: { update: parsed, goto: [], ...(asNode !== undefined ? { asNode } : {}), updateState: true } };
      await this.#startAndWait(run, threadId);
    }
    return { configurable: { thread_id: threadId } };
  }

  #runInput(input: unknown, config: RunConfig, threadId: string): RunInput {
    const run: RunInput = {};
    if (this.#compiled) {
      const parsed = this.#compiled.parseInput(input, threadId);
      run.input = Object.keys(parsed).length ? parsed : null;
      run.spec = this.#compiled.spec;
    } else {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new InvalidInputError(`Input for thread "${threadId}" must be an object of state fields, got ${describe(input)}.`, { threadId });
      }
      run.input = input as Record<string, unknown>;
    }
    if (config.recursionLimit !== undefined) run.recursionLimit = config.recursionLimit;
    const configurable = extraConfigurable(config, threadId);
    if (configurable) run.configurable = configurable;
    return run;
  }

  async #startAndWait(run: RunInput, threadId: string): Promise<ThreadState> {
    const attempt = (input: RunInput, reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE') =>
      executeUpdateWithStart(this.#client.temporal, awaitStopUpdate, {
        args: [{ afterStop: 0 }],
        startWorkflowOperation: new WithStartWorkflowOperation(this.name, {
          workflowId: threadId,
          taskQueue: this.#client.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: reuse,
        }),
      });
    try {
      try {
        return await attempt(run, 'REJECT_DUPLICATE');
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        // The thread exists: continue from its last state if its last run has ended.
        const previous = await this.#previousRun(threadId);
        try {
          return await attempt({ ...run, previous: run.previous ?? previous }, 'ALLOW_DUPLICATE');
        } catch (raced) {
          // Another caller started the next run between our look and our start.
          if (raced instanceof WorkflowExecutionAlreadyStartedError) throw new ThreadBusyError(threadId, 'running');
          throw raced;
        }
      }
    } catch (error) {
      throw rebuildError(error, threadId);
    }
  }

  /** Final state of the thread's last run; refuses when a run is still in progress. */
  async #previousRun(threadId: string): Promise<{ values: Record<string, unknown>; step: number }> {
    const handle = this.#client.temporal.workflow.getHandle(threadId);
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') {
      const memo = description.memo?.[MEMO_KEY] as Partial<ThreadMemo> | undefined;
      // The memo names what a paused thread waits for, so the error can say how to answer it.
      if (memo) {
        const pending = memo.status === 'interrupted' && memo.interrupts ? { interrupts: memo.interrupts, nodeInterrupts: memo.nodeInterrupts, breakpoint: memo.breakpoint } : undefined;
        throw new ThreadBusyError(threadId, memo.status ?? 'running', pending);
      }
      // No memo: running, or paused in a graph compiled with publishPauses: false; a worker's answer tells which.
      const state = await this.#client.temporal.connection.withDeadline(Date.now() + BUSY_QUERY_MS, () => readThreadState(handle, 'RUNNING')).catch(() => undefined);
      if (state?.status !== 'interrupted') throw new ThreadBusyError(threadId, 'running');
      throw new ThreadBusyError(threadId, 'interrupted', {
        interrupts: state.tasks.flatMap((t) => t.interrupts.filter((i) => typeof i.id === 'string').map((i) => ({ id: i.id, node: t.name }))),
        nodeInterrupts: state.tasks.flatMap((t) => t.interrupts.filter((i) => typeof i.id !== 'string').map(() => ({ node: t.name }))),
        ...(state.pausedAt === 'before' || state.pausedAt === 'after' ? { breakpoint: { at: state.pausedAt, nodes: state.next } } : {}),
      });
    }
    const state = await readThreadState(handle, description.status.name);
    // A paused run that was abandoned stopped mid-step: the next run starts from the step it paused in.
    return { values: state.values, step: state.status === 'interrupted' ? state.metadata.step - 1 : state.metadata.step };
  }

  /**
   * A Command as input. On a paused thread it goes to the `resume` Update (validated before anything is
   * recorded). On a thread that is not running, a Command without resume starts a run whose goto replaces
   * START's edges (LangGraph R22); a resume there has nothing to answer and is refused.
   */
  async #command(command: Command, config: RunConfig, threadId: string): Promise<ThreadState> {
    if ((command as { graph?: unknown }).graph === Command.PARENT) {
      throw new InvalidUpdateError(`Command({ graph: Command.PARENT }) was passed to invoke() for thread "${threadId}": there is no parent graph (LangGraph R30).`, { threadId });
    }
    const payload: ResumeInput = {};
    // LangGraph's own Command has no hasResume() and always carries the key; there, undefined means absent.
    const hasResume = typeof command.hasResume === 'function' ? command.hasResume() : command.resume !== undefined;
    if (hasResume) {
      if (command.resume === undefined || command.resume === null) {
        // LangGraph's EmptyInputError (R15): refused before anything is sent.
        throw new InvalidResumeError(`Command({ resume: ${String(command.resume)} }) for thread "${threadId}" is empty: pass a value, e.g. new Command({ resume: true }). false, 0 and "" are valid values.`, { threadId });
      }
      const resume = encodeMessagesDeep(command.resume); // chat messages travel as their JSON form
      const problem = findNonJsonValue(resume);
      if (problem) throw new InvalidResumeError(`The resume value for thread "${threadId}" would not survive serialization unchanged: ${problem}. Send plain JSON.`, { threadId });
      payload.resume = resume;
    } else if (command.update === undefined && (command.goto?.length ?? 0) === 0) {
      throw new InvalidResumeError(`Received an empty Command for thread "${threadId}": pass resume, update or goto (LangGraph's EmptyInputError).`, { threadId });
    }
    if (command.update !== undefined) {
      const update = this.#compiled ? this.#compiled.parseInput(command.update, threadId) : (command.update as Record<string, unknown>);
      payload.update = update;
    }
    const gotoList = (Array.isArray(command.goto) ? command.goto : command.goto === undefined ? [] : [command.goto]) as unknown[];
    if (gotoList.length) {
      if (gotoList.some((g) => typeof g !== 'string')) {
        throw new InvalidInputError(`Command({ goto: Send }) is only valid when returned from a node, not as invoke() input (thread "${threadId}"); pass node names.`, { threadId });
      }
      const goto = gotoList as string[];
      const unknown = this.#compiled ? goto.filter((g) => !this.#compiled!.nodes.has(g)) : [];
      if (unknown.length) throw new InvalidInputError(`Command({ goto }) for thread "${threadId}" names unknown node(s) ${unknown.map((u) => `"${u}"`).join(', ')}.`, { threadId });
      payload.goto = goto;
    }
    const configurable = extraConfigurable(config, threadId);
    if (configurable) payload.configurable = configurable;
    try {
      const state = await this.#sendCommand(payload, threadId);
      // The node refused an answer its schema's JSON form could not check (a refine(), a regex flag): the
      // interrupt is still pending and its task says why; report it as LangGraph does (R45).
      const refused = state.tasks.find((t) => t.error && t.interrupts.length > 0 && payload.resume !== undefined);
      if (refused) throw new InvalidResumeError(`The resume for node "${refused.name}" of thread "${threadId}" was refused: ${refused.error!.message}. The interrupt is still pending; answer it again.`, { threadId, node: refused.name, pendingIds: state.interrupts.map((i) => i.id) });
      return state;
    } catch (error) {
      if (!(error instanceof NoPendingInterruptError) || hasResume) throw error;
      // Not paused: update/goto start a run of their own.
      const run: RunInput = { ...this.#runInput({}, config, threadId), input: null, command: { ...(payload.update ? { update: payload.update } : {}), goto: payload.goto ?? [] } };
      return this.#startAndWait(run, threadId);
    }
  }

  /** `invoke(null)`: continue a thread paused at a breakpoint, re-run a paused node, or return a finished thread's values. */
  async #continue(threadId: string, config: RunConfig): Promise<ThreadState> {
    const configurable = extraConfigurable(config, threadId);
    try {
      return await this.#sendCommand(configurable ? { configurable } : {}, threadId);
    } catch (error) {
      if (!(error instanceof NoPendingInterruptError)) throw error;
      if (error.status === 'not started') {
        throw new InvalidInputError(`invoke(null) on thread "${threadId}", which never ran: there is nothing to continue. Pass input to start it (LangGraph's EmptyInputError).`, { threadId });
      }
      if (error.status === 'completed') return (await this.#client.temporal.workflow.getHandle(threadId).result()) as ThreadState;
      if (error.status !== 'failed') throw error;
      // The last run failed in a step: as LangGraph, run that step's unfinished nodes again, keeping the writes of
      // the nodes that completed (the failed run's state shows them). A new run of the thread.
      const failed = await this.#client.temporal.workflow.getHandle(threadId).query(getStateQuery);
      const retry = failed.tasks.filter((t) => t.result === undefined).map((t) => t.name);
      if (retry.length === 0) throw error;
      const done = failed.tasks.filter((t) => t.result !== undefined).map((t) => t.name);
      const run: RunInput = { ...this.#runInput({}, config, threadId), input: null, command: { goto: retry, ...(done.length ? { done } : {}) } };
      // The failed step's tasks themselves (Send arguments, answers, completed writes), from a worker that reports them;
      // its writes then apply in task order onto the values the step started from, as LangGraph's pending writes.
      const step = failed.failedStep;
      if (step) [run.command!.rerun, run.previous] = [step.tasks, { values: step.values, step: failed.metadata.step }];
      return this.#startAndWait(run, threadId);
    }
  }

  async #sendCommand(payload: ResumeInput, threadId: string): Promise<ThreadState> {
    const handle = this.#client.temporal.workflow.getHandle(threadId);
    try {
      return await executeResumeUpdate(handle, resumeUpdate, { args: [payload] });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isClosedRunError(error)) {
        const status = await handle
          .describe()
          .then((d) => d.status.name.toLowerCase())
          .catch(() => 'not started');
        throw new NoPendingInterruptError(threadId, status);
      }
      throw rebuildError(error, threadId);
    }
  }

  /** Ends the paused run of a thread on purpose (recorded as a termination with the reason), keeping its state for the next run. */
  async #abandon(threadId: string): Promise<void> {
    const handle = this.#client.temporal.workflow.getHandle(threadId);
    const description = await handle.describe().catch(() => undefined);
    if (!description || description.status.name !== 'RUNNING') return;
    const state = await handle.query(getStateQuery);
    if (state.status !== 'interrupted') throw new ThreadBusyError(threadId, state.status);
    // Name what was pending: interrupt ids, NodeInterrupts (no id, R6) by node, else the breakpoint.
    const held = (state.nodeInterrupts ?? []).map((i) => `NodeInterrupt in node "${i.node}"`);
    const ids = [...state.interrupts.map((i) => i.id), ...held].join(', ') || `a breakpoint (next: ${state.next.map((n) => `"${n}"`).join(', ')})`;
    await handle.terminate(`durable-graph: new input abandoned the pending interrupt(s) ${ids} (abandonPendingInterrupts)`);
  }
}

/** A run's state: a completed run's result (no worker needed), else the `getState` Query. */
async function readThreadState(handle: WorkflowHandle, status: string): Promise<ThreadState> {
  return status === 'COMPLETED' ? ((await handle.result()) as ThreadState) : handle.query(getStateQuery);
}

function threadIdOf(config: RunConfig | undefined): string {
  const threadId = (config as { configurable?: { thread_id?: unknown } } | undefined)?.configurable?.thread_id;
  if (typeof threadId !== 'string' || threadId.trim() === '') throw new MissingThreadIdError(threadId);
  return threadId;
}

/**
 * The `configurable` keys other than `thread_id`, checked to be plain JSON (they are recorded in history with the
 * run and handed to every node); undefined when there are none. A key holding `undefined` is left out, as JSON would.
 */
function extraConfigurable(config: RunConfig, threadId: string): Record<string, unknown> | undefined {
  const extra = Object.entries(config.configurable).filter(([key, value]) => key !== 'thread_id' && value !== undefined);
  for (const [key, value] of extra) {
    const problem = findNonJsonValue(value, `configurable.${key}`);
    if (problem) {
      throw new InvalidInputError(
        `config.configurable.${key} for thread "${threadId}" would not survive serialization unchanged: ${problem}. ` +
          `Configurable values are recorded with the run and passed to nodes as JSON: pass plain JSON (ids, names, settings), and create clients or callbacks in the worker's code instead. Nothing was started.`,
        { threadId },
      );
    }
  }
  return extra.length ? Object.fromEntries(extra) : undefined;
}

/** An interrupt with the chat messages of its payload revived (its keys and their order unchanged). */
function reviveInterrupt<I extends { value?: unknown }>(interrupt: I): I {
  return 'value' in interrupt ? { ...interrupt, value: reviveMessagesDeep(interrupt.value) } : interrupt;
}

function toInvokeResult<State>(state: ThreadState): InvokeResult<State> {
  const result = { ...state.values } as InvokeResult<State>;
  // Keys in LangGraph's order, and `value` present even when undefined (R1, R4): JSON drops undefined on the way.
  if (state.status === 'interrupted') result.__interrupt__ = state.interrupts.map((i: InterruptInfo) => ({ id: i.id, value: reviveMessagesDeep(i.value), ...(i.response_schema ? { response_schema: i.response_schema } : {}) }));
  // NodeInterrupts (R6) are `{ value }` with no id, listed with the others in task order, as LangGraph does.
  if (state.status === 'interrupted' && state.nodeInterrupts?.length) {
    const listed: Array<Partial<InterruptInfo>> = state.tasks.flatMap((t) => t.interrupts);
    result.__interrupt__ = listed.map((i) => (i.id !== undefined ? { id: i.id, value: reviveMessagesDeep(i.value), ...(i.response_schema ? { response_schema: i.response_schema } : {}) } : ({ value: reviveMessagesDeep(i.value) } as Interrupt)));
  }
  return result;
}

const classByCode: Partial<Record<ErrorCode, new (...args: any[]) => DurableGraphError>> = {
  [ErrorCode.UNKNOWN_GRAPH]: UnknownGraphError,
  [ErrorCode.INVALID_INPUT]: InvalidInputError,
  [ErrorCode.INVALID_UPDATE]: InvalidUpdateError,
  [ErrorCode.NO_PENDING_INTERRUPT]: NoPendingInterruptError,
  [ErrorCode.INVALID_RESUME]: InvalidResumeError,
  [ErrorCode.NODE_FAILED]: NodeFailedError,
  [ErrorCode.RECURSION_LIMIT]: RecursionLimitError,
  [ErrorCode.INTERRUPT_OUTSIDE_NODE]: InterruptOutsideNodeError,
};

/** Rebuilds our error class from a Temporal failure (Update or Workflow failure); other errors pass through. */
export function rebuildError(error: unknown, threadId: string): unknown {
  if (isDurableGraphError(error)) return error;
  const cause = error instanceof WorkflowUpdateFailedError || error instanceof WorkflowFailedError ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !isErrorCode(cause.type)) return error;
  const details = (cause.details?.[0] ?? {}) as { threadId?: string; node?: string };
  const rebuilt = new DurableGraphError(cause.type, cause.message, {
    threadId: details.threadId ?? threadId,
    ...(details.node ? { node: details.node } : {}),
    cause: cause.cause ?? cause,
  });
  const cls = classByCode[cause.type];
  if (cls) {
    Object.setPrototypeOf(rebuilt, cls.prototype);
    rebuilt.name = cls.name;
  }
  return rebuilt;
}

/**
 * Wire payloads between client, engine and activities: plain JSON only, so any Temporal client in
 * any language (and the `temporal` CLI) can start a thread or read its state.
 */
import type { WireSpec } from './spec-wire.js';
import type { GraphSpec } from './spec.js';
import type { ThreadStatus } from './search-attributes.js';

/**
 * Input of the graph workflow. The smallest valid input is `{}` (no state input);
 * `temporal workflow start --type <graph> --input '{"input": {"request": "..."}}'` starts a thread by name.
 */
export interface RunInput {
  /** State input, written by START through the reducers. */
  input?: Record<string, unknown> | null;
  /**
   * The graph's shape (`compiled.spec`, or its recorded form), for a starter without durable-graph's client; ours
   * send it as a header instead (spec-header.ts). When neither is there the run asks a worker for it
   * (`describeGraph`) and records it.
   */
  spec?: GraphSpec | WireSpec;
  /** State carried over from the thread's previous run (a thread continues where it ended). */
  previous?: { values: Record<string, unknown>; step: number };
  /**
   * Set by the engine on a run that continues the thread's previous run as new (its history had grown long): where
   * that run stood. Other starters never send it.
   */
  continued?: ContinuedRun;
  /** Maximum supersteps in this run. @default 25 */
  recursionLimit?: number;
  /**
   * The `configurable` keys of the call that started this run, other than `thread_id` (e.g. `user_id`), plain
   * JSON; nodes and their routers read them in `config.configurable`. Absent when there are none.
   */
  configurable?: Record<string, unknown>;
  /** Set when this run is a subgraph node of a parent thread: it reports its pauses to the parent. */
  parent?: { workflowId: string; runId: string; taskId: string; node: string };
  /**
   * `'fail'`: a node that fails ends this run even where the graph parks (set for graphs a node calls with
   * `invoke()`, and implied for subgraph runs: the calling thread parks on the failure instead).
   */
  onNodeFailure?: 'fail';
  /**
   * A Command sent as input to a thread that is not paused: `update` is written as the input,
   * and `goto` names the nodes that run first instead of START's edges (no goto: nothing runs).
   */
  command?: {
    update?: Record<string, unknown> | null;
    goto?: string[];
    /** updateState(..., asNode) on a finished thread: the update counts as this node's output; the run pauses before its successors. */
    asNode?: string;
    /** Set by updateState on a finished thread (with or without asNode): the run's state shows `source: "update"` until a step starts. */
    updateState?: true;
    /**
     * invoke(null) after a failed step: that step's tasks, in the failed run's order. A task with a `result`
     * completed (it is not run again; its writes apply in task order, as LangGraph's pending writes); the others
     * run again with their `Send` argument, resume values and `step()` results.
     */
    rerun?: RerunTask[];
  };
}

/** One task of a failed step, as the failed run left it (see `RunInput.command.rerun`). */
export interface RerunTask {
  node: string;
  /** The `Send` argument of a task created by a Send (absent for a task triggered by an edge). */
  arg?: unknown;
  /** Resume values it had received (a re-run's `interrupt()` calls return them again, as in LangGraph). */
  resume?: unknown[];
  steps?: StepRecord[];
  /** Set when the task completed before the step failed. */
  result?: { update: Record<string, unknown> | null; next: string[]; sends?: SendSpec[] };
}

/** A `Send`: run `node` once with `arg` as its input instead of the thread state (map-reduce fan-out). */
export interface SendSpec {
  node: string;
  arg: unknown;
}

/** A memoised `step()` result, recorded in history and handed back when the same task runs again. */
export interface StepRecord {
  name: string;
  value: unknown;
}

/**
 * One node execution, the input of the node's Activity. What the Activity's own info says is not repeated: the
 * graph and the thread are its workflow type and id, the node its Activity Type, and the task id its Activity Id
 * (a local Activity's id is the SDK's, so a local run carries `taskId`).
 */
export interface NodeTask {
  /** Set for a local run only. */
  taskId?: string;
  step: number;
  /** Thread state at the start of the superstep. */
  state: Record<string, unknown>;
  /** Resume values for this task's interrupts so far; the k-th `interrupt()` returns the k-th. Absent when none. */
  resume?: unknown[];
  /** Set for a task created by a `Send`: the node receives this instead of the thread state. */
  input?: unknown;
  /** Results of `step()` calls made by earlier executions of this task, in call order. */
  steps?: StepRecord[];
  /** The run's extra `configurable` keys ({@link RunInput.configurable}), merged into the node's `config.configurable`; absent when none. */
  configurable?: Record<string, unknown>;
  /**
   * Answers for the pending interrupts of graphs this node called with `invoke()` (by interrupt id): the node
   * runs again from its top and each answer goes to the child thread that raised it.
   */
  childAnswers?: Record<string, unknown>;
  /**
   * Set when a `Command({ update })` reached the node while it waited on a graph it called: the
   * node's `invoke()` calls run as new child threads of this generation, from the input they pass now.
   */
  childEpoch?: number;
  /** Set on a re-run after `invoke(null)` while the node waited on a graph it called: the paused child gets the plain continue and keeps its interrupt ids. */
  childContinue?: true;
  /**
   * Set by the engine on a local run whose input state history has not recorded yet (a local Activity's input is
   * not in history): the result's {@link LocalRunReceipt} then carries `state`, for getStateHistory.
   */
  recordState?: true;
}

/**
 * What a node run as a local Activity adds to its result: the history marker of a local Activity holds only the
 * result, so the task it ran (and, when asked, the state it started from) travel in it for getStateHistory.
 */
export interface LocalRunReceipt {
  taskId: string;
  /** Set in a local segment's result; a local run of one node has it as the marker's Activity Type. */
  node?: string;
  step: number;
  state?: Record<string, unknown>;
}

/**
 * What a node execution produced. An interrupt is data, never an exception, so it is never retried.
 * A local run adds its {@link LocalRunReceipt} (`receipt`).
 */
export type NodeResult = NodeOutcome & { receipt?: LocalRunReceipt };

/** The kinds of node outcome. */
export type NodeOutcome =
  | {
      kind: 'update';
      /** The node's state update (null when it returned nothing). */
      update: Record<string, unknown> | null;
      /** Destinations chosen by the node's conditional edges (on its own fresh state) and by a returned Command's goto. */
      next: string[];
      /** `Send`s from the node's conditional edges or Command goto: one new task each in the next superstep. */
      sends?: SendSpec[];
      /** Chunks the node passed to `config.writer()`, when it wrote any (the "custom" stream mode). */
      custom?: unknown[];
    }
  | {
      kind: 'interrupt';
      /** Position of the `interrupt()` call within this execution of the node (0-based). */
      index: number;
      value: unknown;
      /** JSON Schema of the expected resume value, when `interrupt(value, { responseSchema })` was used. */
      responseSchema?: Record<string, unknown>;
      /** Every `step()` result of this execution, so the next execution does not repeat them. */
      steps?: StepRecord[];
      /** Set when the resume value given to this interrupt failed its response schema; it stays pending. */
      rejected?: string;
      /** `interrupt(value, { timeout, onTimeout })`: the engine waits at most this long, then applies onTimeout. */
      deadline?: { timeoutMs: number; onTimeout: 'fail' | { resume: unknown } };
      /** Chunks the node passed to `config.writer()` before it paused, when it wrote any. */
      custom?: unknown[];
      /**
       * Set when the pause comes from a graph the node called with `invoke()`: that child thread and its pending
       * interrupts, ids unchanged (`index` and `value` then describe the first of them).
       */
      child?: { workflowId: string; interrupts: InterruptInfo[] };
      /**
       * Set when the node threw `NodeInterrupt`: the pause has no id and takes no resume value;
       * the node runs again on `invoke(null)`. `value` is the NodeInterrupt's message or value.
       */
      nodeInterrupt?: true;
    }
  | {
      /**
       * A subgraph's node returned `Command({ graph: Command.PARENT })`: the child run ends here, and the parent
       * applies `update` as the subgraph node's output and also runs `goto` (nodes of the parent graph).
       */
      kind: 'parent';
      update: Record<string, unknown> | null;
      /** Parent node names (or END), unchecked: only the parent's engine knows its nodes. */
      goto: string[];
      sends?: SendSpec[];
      custom?: unknown[];
    };

/** A pending interrupt, as LangGraph shows it. */
export interface InterruptInfo {
  id: string;
  value: unknown;
  /** JSON Schema the resume value must match. */
  response_schema?: Record<string, unknown>;
}

/** A pause raised by `throw new NodeInterrupt(value)`: shown as `{ value }`, with no id, as it takes no resume value. */
export interface NodeInterruptInfo {
  value: unknown;
}

export interface TaskSnapshot {
  id: string;
  name: string;
  /**
   * Its pending interrupt (or the child's, for a subgraph node). A NodeInterrupt shows here as LangGraph shows it,
   * `{ value }` with no `id` key: test `'id' in i` before answering by id.
   */
  interrupts: InterruptInfo[];
  /** The node's update once it has completed. */
  result?: Record<string, unknown> | null;
  /** The last resume this task refused (e.g. a value that does not match its response schema). */
  error?: { name: string; message: string };
  /** For a subgraph node: the child thread's config (its state with `getState(config, { subgraphs: true })`). */
  state?: { configurable: { thread_id: string } } | Record<string, unknown>;
}

/** A node the thread is parked on: it failed after its retries (see `compile({ onNodeFailure })`). */
export interface ParkedFailure {
  taskId: string;
  node: string;
  /** As the task shows it: the error's name (our error code, or the user's error class) and message. */
  error: { name: string; message: string };
  /** The interrupt whose answer the node ran with, and that answer: answer it again to run the node with a new one. */
  interrupt?: { id: string; answer: unknown };
}

/** A resume the engine refused; kept so `getState` and the Web UI can say why nothing happened. */
export interface RejectedResume {
  at: string;
  via: 'signal' | 'update';
  reason: string;
}

/** The `getState` Query's result, a LangGraph-style state snapshot (history records it as a `StopState`). */
export interface ThreadState {
  threadId: string;
  graph: string;
  status: ThreadStatus;
  values: Record<string, unknown>;
  /** Nodes that will run (or re-run) next; empty when the run is complete. */
  next: string[];
  tasks: TaskSnapshot[];
  /** Every pending interrupt, in task order (what `invoke` returns as `__interrupt__`), except NodeInterrupts. */
  interrupts: InterruptInfo[];
  /**
   * Pauses raised by `NodeInterrupt`, with their node, in task order. They take no resume value, so they are
   * not in `interrupts`; `invoke()` lists them in `__interrupt__` as `{ value }`, in task order. Absent when none.
   */
  nodeInterrupts?: Array<NodeInterruptInfo & { node: string }>;
  /** `source` is `"update"` after an `updateState`, until the next step starts (LangGraph's checkpoint source). */
  metadata: { source: 'input' | 'loop' | 'update'; step: number };
  createdAt: string;
  /** Why the thread is paused: an `interrupt()` call, or a static breakpoint before/after a node. */
  pausedAt?: 'interrupt' | 'before' | 'after';
  /**
   * Set while the thread is parked on failed nodes (status `error`): what failed and how. `interrupts` then also
   * lists the interrupts those nodes ran with the answers to: answering one again runs its node with the new value.
   */
  failures?: ParkedFailure[];
  /** Count of stops (pauses and ends) in this run; lets a waiter know a stop is new. */
  stops: number;
  rejectedResumes: RejectedResume[];
  /**
   * Set on the result of a subgraph's run that a node ended with `Command({ graph: Command.PARENT })`: what the
   * parent applies as the subgraph node's output (the child's own values are not written back).
   */
  parentCommand?: { update: Record<string, unknown> | null; goto: string[]; sends?: SendSpec[]; node: string };
  /**
   * Set while a run that failed in a step is read: the values the step started from and its tasks, which
   * `invoke(null)` carries into the next run (`RunInput.command.rerun`). Not part of `getState()`'s result.
   */
  failedStep?: { values: Record<string, unknown>; tasks: RerunTask[] };
}

/**
 * Input of the `resume` Signal and Update, LangGraph's Command as JSON: `{"resume": <value>}`,
 * `{"resume": {"<interruptId>": <value>}}`, optionally with `"update": {...}` (applied before the node
 * re-runs) and `"goto": [...]`; `{}` continues a thread paused at a breakpoint (LangGraph's `invoke(null)`).
 */
export interface ResumeInput {
  resume?: unknown;
  update?: Record<string, unknown>;
  goto?: string[];
  /**
   * The resuming call's `configurable` keys other than `thread_id` (LangGraph applies each call's config): from here
   * on, nodes see these instead of the run's. Absent: nodes keep the keys the run started with.
   */
  configurable?: Record<string, unknown>;
}

/** Input of the `awaitStop` Update. */
export interface AwaitStopInput {
  /** Return at the first stop whose count exceeds this; omit to return at once if stopped now. */
  afterStop?: number;
}

/** Input of the `updateState` Update. */
export interface UpdateStateInput {
  /** State values, written through the reducers. */
  values: Record<string, unknown>;
  /** Write them as this paused node's output: its task completes without running again. */
  asNode?: string;
}

/** Sent by a subgraph's run to its parent each time it pauses: its pending interrupts, ids unchanged. */
export interface ChildPausedInput {
  taskId: string;
  interrupts: InterruptInfo[];
  /** The child's pauses raised by NodeInterrupt; absent when none. */
  nodeInterrupts?: NodeInterruptInfo[];
  /** Where the child's stream log stands after its pause: its chunks after a resume start there (absent from older engines). */
  streamFrom?: number;
}

/**
 * Where a run stood when it continued as new (`RunInput.continued`): everything the next run needs to go on as if
 * nothing happened. Written by the engine only; not an input for other starters.
 */
export interface ContinuedRun {
  values: Record<string, unknown>;
  step: number;
  source: 'input' | 'loop' | 'update';
  /** How many times the thread stopped so far: a caller waiting for stop N keeps waiting for it in the next run. */
  stops: number;
  /** Supersteps run since the last stop, counted against the recursion limit (per invoke, as in LangGraph). */
  supersteps: number;
  /** The next step's nodes and Sends (between supersteps). */
  triggers: string[];
  sends: SendSpec[];
  /** Waiting edges' arrivals (plan.ts `JoinState`). */
  joins: Record<string, string[]>;
  /** The stream log's end: the next run's first chunk gets this offset, so readers go on without a gap. */
  streamOffset: number;
  /**
   * The superstep's tasks while paused on interrupts (the engine's own task records, src/workflows/run-state.ts):
   * ids, interrupt ids, answers received, deadlines and `step()` results unchanged. Absent between supersteps.
   */
  tasks?: Array<Record<string, unknown>>;
  /** Accepted commands not applied yet (they arrived while the run was continuing). */
  commands?: Array<Record<string, unknown>>;
  configurable?: Record<string, unknown>;
  everPaused: boolean;
  accepted: number;
  rejected: RejectedResume[];
  /** How many runs of this chain came before this one (1 for the first continuation). */
  generation: number;
  /**
   * What the run had published (memo and search attributes, which Temporal carries into the next run as they are),
   * so the next run takes back a pause it did not see begin. From engine level 6; absent before.
   */
  published?: PublishedVisibility;
}

/** What a run's status publisher last wrote (workflows/visibility.ts), as JSON texts; '' for never written. */
export interface PublishedVisibility {
  /** The status and pending nodes, as the search attributes hold them. */
  search: string;
  /** The pending nodes alone. */
  nodes: string;
  /** The memo; `removed` once taken away. */
  memo: string;
  /** Whether the search attributes claim a pause (status `interrupted` or `error`, or pending nodes). */
  claimsPause: boolean;
}

/**
 * The client's public types: LangGraph's run config, what `invoke()`, `stream()` and `getState()` give back.
 */
import type { WritesOf } from '../graph/types.js';
import type { ParkedFailure, TaskSnapshot, ThreadState } from '../protocol/payloads.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import type { StreamMode } from '../protocol/stream.js';

/** LangGraph's run config: `{ configurable: { thread_id } }`; the thread id is the Workflow Id. */
export interface RunConfig {
  configurable: { thread_id: string; [key: string]: unknown };
  /** Maximum supersteps for this run. @default 25 */
  recursionLimit?: number;
  /**
   * New input on a paused thread is refused (ThreadBusyError) unless this is true: then the paused run is
   * ended (a Temporal termination whose reason names the abandoned interrupts) and a new run starts from the
   * paused state with the new input, as LangGraph does.
   * @default false
   */
  abandonPendingInterrupts?: boolean;
}

/**
 * A pending interrupt, as LangGraph returns it. A pause raised by `throw new NodeInterrupt(value)` is `{ value }`
 * with no `id` key, as in LangGraph: it cannot be answered by id (`'id' in i` tells them apart).
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
  /** Absent for a thread that never ran. */
  /** `source` is `"update"` after an `updateState`, until the next step starts (as LangGraph's checkpoint). */
  metadata?: { source: 'input' | 'loop' | 'update'; step: number; thread_id: string };
  config: { configurable: { thread_id: string } };
  /** Absent for a thread that never ran. */
  createdAt?: string;
  /**
   * durable-graph extra: `running` | `interrupted` | `completed` | `failed`, or `error` while parked on a node that
   * failed after its retries (the run is open; see `failures`); absent for a thread that never ran.
   */
  status?: ThreadStatus;
  /**
   * durable-graph extra, set while parked (`status: "error"`): each failed node, its error, and the interrupt it ran
   * with the answer to. `invoke(null)` runs them again; `invoke(new Command({ resume }))` answers that interrupt
   * again (it is listed in the task's `interrupts`) and runs the node with the new answer.
   */
  failures?: ParkedFailure[];
  /** durable-graph extra: resumes the thread refused (nothing was applied). */
  rejectedResumes: ThreadState['rejectedResumes'];
}

/** `stream()`'s config: LangGraph's run config plus `streamMode`. */
export interface StreamConfig<
  Mode extends StreamMode | readonly StreamMode[] = StreamMode | readonly StreamMode[],
> extends RunConfig {
  /**
   * What to stream: `"updates"` (`{ [node]: update }` per finished node), `"values"` (the state after each step),
   * `"custom"` (what nodes pass to `config.writer`), or several modes, which yields `[mode, chunk]` tuples.
   * @default "updates"
   */
  streamMode?: Mode;
  /**
   * Also stream what subgraph nodes (child runs) produce, as LangGraph's `subgraphs: true`: every chunk becomes
   * `[namespace, chunk]` (`[namespace, mode, chunk]` for a list of modes), where `namespace` is `[]` for this
   * graph and `["<node>:<task id>", …]` inside a subgraph. Without it, a subgraph's "custom" chunks are still
   * streamed (as LangGraph does), its "updates" and "values" are not.
   * @default false
   */
  subgraphs?: boolean;
}

/**
 * A chunk with the namespace of the (sub)graph it comes from, as `subgraphs: true` yields it: `[]` for the graph
 * streamed (its chunk is a {@link StreamOutput}), `["<node>:<task id>", …]` for a subgraph (its own state's shape).
 */
export type SubgraphStreamOutput<Mode> = Mode extends readonly StreamMode[]
  ? { [M in Mode[number]]: [namespace: string[], mode: M, chunk: unknown] }[Mode[number]]
  : [namespace: string[], chunk: unknown];

/** LangGraph's pause chunk, the last chunk of a stream that paused ("updates" and "values" modes). */
export type InterruptChunk = { __interrupt__: Interrupt[] };
/** A "values" chunk: the whole state, or the pause chunk. */
export type ValuesChunk<State> = State | InterruptChunk;
/** An "updates" chunk: one node's update under its name, or the pause chunk. */
export type UpdatesChunk<State> = { [node: string]: WritesOf<State> } | InterruptChunk;

/** What `stream()` yields for a stream mode, or `[mode, chunk]` tuples for a list of modes. */
export type StreamOutput<State, Mode> = Mode extends readonly StreamMode[]
  ? { [M in Mode[number]]: [M, StreamOutput<State, M>] }[Mode[number]]
  : Mode extends 'values'
    ? ValuesChunk<State>
    : Mode extends 'custom'
      ? unknown
      : UpdatesChunk<State>;

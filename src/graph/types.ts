/**
 * Public types of the definition API.
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { z } from 'zod';
import type { Messages } from './messages.js';
import type { StateSchema } from './state.js';
import type { Command } from './command.js';
import type { Send } from './send.js';
import type { END, START } from '../protocol/spec.js';

/** The state type of a graph built on the zod object `S` (or on a LangGraph `Annotation.Root`, from its `State` type). */
export type StateOf<S extends StateSchema> = S extends z.ZodObject
  ? z.infer<S>
  : S extends { State: infer T }
    ? T
    : Record<string, unknown>;

/** A partial state update: any subset of the state's fields. */
export type UpdateOf<S extends StateSchema> = WritesOf<StateOf<S>>;

/**
 * What may be written to a state: any subset of its fields, where a field holding chat messages also
 * takes message-likes (`{ role, content }`, strings, one message), as LangGraph's messages reducer does.
 */
export type WritesOf<State> = { [K in keyof State]?: State[K] extends BaseMessage[] ? Messages : State[K] };

/** What a node receives besides the state (LangGraph's RunnableConfig, reduced to what is true here). */
export interface NodeConfig {
  /**
   * The thread id, plus the other `configurable` keys (plain JSON) of the `invoke()`/`stream()`/`start()` call that
   * started the run, e.g. `config.configurable.user_id`, as in LangGraph.
   */
  configurable: { thread_id: string; [key: string]: unknown };
  metadata: { thread_id: string; langgraph_node: string; langgraph_step: number; graph: string; task_id: string };
  /** Aborted when Temporal cancels the node's Activity. */
  signal: AbortSignal;
  /**
   * Emits a chunk to `stream(..., { streamMode: "custom" })`, as LangGraph's `config.writer`. Chunks must be
   * plain JSON; they travel with the node's Activity result, so a consumer receives them when the node
   * finishes (or pauses at `interrupt()`), never from an attempt that failed. In a conditional edge from
   * START they are dropped.
   */
  writer: (chunk: unknown) => void;
}

/** A node: sync or async; returns a partial update, a {@link Command}, or nothing. */
export type NodeFn<State, Update, Nodes extends string = string> = (
  state: State,
  config: NodeConfig,
) => Update | Command<Update, Nodes> | void | null | Promise<Update | Command<Update, Nodes> | void | null>;

/** What a router may return: node names or path-map keys, and `Send`s for a fan-out. */
export type RouterResult = string | Send | Array<string | Send>;

/** A conditional edge's router: returns the next node name(s), key(s) of the path map, or Sends. */
export type Router<State> = (state: State, config: NodeConfig) => RouterResult | Promise<RouterResult>;

/** Retry policy in LangGraph's vocabulary; every attempt is a Temporal Activity attempt. */
export interface RetryPolicy {
  /** Total attempts including the first. @default 3 */
  maxAttempts?: number;
  /** Milliseconds before the first retry. @default 500 */
  initialInterval?: number;
  /** Multiplier between retries. @default 2 */
  backoffFactor?: number;
  /** Upper bound in milliseconds between retries. @default 128000 */
  maxInterval?: number;
  /** `error.name` values that are never retried. @default [] */
  nonRetryableErrors?: string[];
}

/** Options of `addNode()`. */
export interface NodeOptions<Nodes extends string = string> {
  /** Retry policy of the node's Activity. @default { maxAttempts: 3, initialInterval: 500, backoffFactor: 2, maxInterval: 128000 } */
  retryPolicy?: RetryPolicy;
  /** Start-to-close timeout of one attempt: milliseconds or a duration like `"30s"`, `"5m"`. @default "10m" */
  timeout?: number | string;
  /**
   * Heartbeat timeout: the worker heartbeats while the node runs, so a crashed worker's node is retried
   * elsewhere after this long instead of after the whole `timeout`. A node that blocks its event loop longer than
   * this (synchronous CPU work) is timed out falsely: raise it for such a node. @default "10s"
   */
  heartbeatTimeout?: number | string;
  /**
   * Run the node as a Temporal local Activity: in the worker that runs the workflow, recorded as one marker
   * event, with no extra workflow task. For cheap, fast nodes (formatting, routing, small computations);
   * keep model and tool calls as regular Activities (visible while pending, heartbeats, cancellation).
   * By default a node is a regular Activity, but its re-execution after a pause (resume, `invoke(null)`) runs as
   * a local Activity: the re-run replays `step()` results and returns the answer, so it costs no extra workflow
   * task. `false` keeps every execution a regular Activity (for nodes doing long work after `interrupt()`).
   * @default undefined (regular; local when re-executed after a pause)
   */
  local?: boolean;
  /** Nodes this node may reach through `Command({ goto })`. @default [] */
  ends?: ReadonlyArray<Nodes | typeof END>;
}

/** Where an edge may start. */
export type EdgeSource<Nodes extends string> = Nodes | typeof START;
/** Where an edge may end. */
export type EdgeTarget<Nodes extends string> = Nodes | typeof END;

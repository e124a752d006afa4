/**
 * The Activities a durable-graph worker registers, as types only: the engine calls them through
 * `proxyActivities` and never imports their code. Inputs and results are plain JSON.
 */
import type { NodeTask, SendSpec } from './payloads.js';
import type { WireNodeResult } from './node-result-wire.js';
import type { GraphSpec } from './spec.js';
import type { WireSpec } from './spec-wire.js';
import type { JoinState } from './triggers.js';

export interface DescribeGraphInput {
  graph: string;
  threadId: string;
  /** Raw state input, validated against the graph's schema on the worker. */
  input: unknown;
}

export interface DescribeGraphResult {
  spec: WireSpec;
  input: Record<string, unknown> | null;
}

export interface RouteStartInput {
  graph: string;
  threadId: string;
  state: Record<string, unknown>;
  /** Evaluate the conditional edges of this node instead of START's (used by updateState(..., asNode)). */
  source?: string;
}

export interface ApplyWritesInput {
  graph: string;
  threadId: string;
  values: Record<string, unknown>;
  writes: Record<string, unknown>[];
}

/**
 * A segment of supersteps whose nodes are all `local: true`, run in one local Activity: the
 * current step's tasks, and what the engine knows that decides the steps after it.
 */
export interface LocalStepsInput {
  graph: string;
  threadId: string;
  /** The spec the thread runs on: its edges, joins and breakpoints decide where the segment stops. */
  spec: GraphSpec;
  /** The engine's step number of the first step. */
  step: number;
  /** Thread state at the start of the first step. */
  state: Record<string, unknown>;
  /** The first step's tasks, with the ids the engine gave them. */
  tasks: Array<{ id: string; name: string }>;
  /** Progress of the join edges before the first step. */
  joins: JoinState;
  /** The most supersteps the segment may run (at least 1): no more than the recursion limit or its timeout allow. */
  maxSteps: number;
  /** Set when history has not recorded the first step's input state yet (see `NodeTask.recordState`). */
  recordState?: true;
  /** The run's extra `configurable` keys, handed to every node as `NodeTask.configurable`; absent when none. */
  configurable?: Record<string, unknown>;
}

/** One task of a segment's step: its result (a local run's, with its receipt), or `failed` (the engine runs it alone). */
export interface LocalStepTask {
  id: string;
  name: string;
  result?: WireNodeResult;
  /** The node's first attempt failed: the engine runs this task again on its own, with the node's retry policy. */
  failed?: { message: string };
}

/**
 * What a segment ran, step by step, in the engine's order: every step but the last completed with updates only;
 * the last may hold an interrupt, a failed task, a Send, a Command.PARENT or END. Task ids of the steps after the
 * first were made here and are recorded in history with this result, so replay gives the same ids.
 */
export interface LocalStepsResult {
  steps: Array<{ tasks: LocalStepTask[] }>;
}

/**
 * Every node runs as an Activity whose type is the node's name (what the Web UI lists); the worker serves them all
 * with its default Activity. The engine's own Activities are named with this prefix, which node names cannot take.
 */
export const OWN_ACTIVITY_PREFIX = 'durableGraph.';

/** The engine's own Activities (all local), by their Activity Type. */
export const OwnActivity = {
  runLocalSteps: `${OWN_ACTIVITY_PREFIX}runLocalSteps`,
  routeStart: `${OWN_ACTIVITY_PREFIX}routeStart`,
  describeGraph: `${OWN_ACTIVITY_PREFIX}describeGraph`,
  applyWrites: `${OWN_ACTIVITY_PREFIX}applyWrites`,
} as const;

/** Whether an Activity Type is a node's (any type that is not one of the engine's own). */
export function isNodeActivity(activityType: string | null | undefined): activityType is string {
  return !!activityType && !activityType.startsWith(OWN_ACTIVITY_PREFIX);
}

/** A node's Activity: one attempt of the node; an interrupt comes back as data. */
export type NodeActivity = (task: NodeTask) => Promise<WireNodeResult>;

/** The engine's own Activities' signatures; the worker's implementation lives in `src/activities`. */
export interface GraphActivities {
  /** Runs consecutive supersteps of `local: true` nodes in one local Activity. */
  [OwnActivity.runLocalSteps](input: LocalStepsInput): Promise<LocalStepsResult>;
  /** Evaluates the conditional edges leaving START on the thread's input state: node names and Sends. */
  [OwnActivity.routeStart](input: RouteStartInput): Promise<Array<string | SendSpec>>;
  /** Returns the spec of a graph this worker hosts, for threads started by name (e.g. from the CLI). */
  [OwnActivity.describeGraph](input: DescribeGraphInput): Promise<DescribeGraphResult>;
  /** Merges writes through the graph's custom reducers (user code, so never in the sandbox). */
  [OwnActivity.applyWrites](input: ApplyWritesInput): Promise<Record<string, unknown>>;
}

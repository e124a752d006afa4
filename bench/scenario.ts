/**
 * What every scenario implements, whatever system runs the graph: one cycle on a fresh thread, and (for Temporal)
 * the history a cycle leaves behind.
 */
import type { MemorySample } from './worker-protocol.js';

/** A = durable-graph, B = hand-written Temporal workflow, C = LangGraph.js in process. */
export type System = 'A' | 'B' | 'C';

/** approval = propose → human_review (interrupt) → execute, resumed once; chain10 = 10 nodes, no interrupt. */
export type GraphKind = 'approval' | 'chain10';

/** Durations of one cycle's client calls, in ms (approval: [to the pause, resume to END]; chain: [to END]). */
export type CycleTiming = number[];

/** Per-cycle Temporal history of one workflow execution. */
export interface HistorySample {
  events: number;
  bytes: number;
  /** Event type → count, e.g. `{ ActivityTaskScheduled: 4, … }`. */
  eventTypes: Record<string, number>;
  /** Event type → bytes of payloads (data + metadata) carried by events of that type. */
  payloadBytesByType: Record<string, number>;
  /** The events in order (type names), to compare runs event by event. */
  sequence: string[];
  /**
   * Server-side time of the cycle from event timestamps, in ms: first to last event (`total`, which includes the
   * human's think time between pause and resume = the client's round trip), and summed over the cycle: Workflow Tasks
   * waiting for a worker (`wftQueue`, Scheduled→Started) and running on it (`wftRun`, Started→Completed), Activities
   * waiting (`activityQueue`) and running (`activityRun`).
   */
  timingMs: { total: number; wftQueue: number; wftRun: number; activityQueue: number; activityRun: number };
}

export interface Scenario {
  /** Stable id, e.g. `A.approval`. */
  id: string;
  system: System;
  graph: GraphKind;
  /** Human label, e.g. `durable-graph`, `raw Temporal (Update-with-Start)`, `LangGraph.js + MemorySaver`. */
  label: string;
  /** Where the RSS column comes from. */
  memorySource: 'worker process' | 'bench process';
  /** Starts what the scenario needs (worker process, client, checkpointer). */
  setup(): Promise<void>;
  /** Runs one full cycle on thread `threadId` and checks the final state. */
  cycle(threadId: string): Promise<CycleTiming>;
  /** History of the thread's workflow (Temporal scenarios only). */
  history?(threadId: string): Promise<HistorySample>;
  /** Memory of the process running the graph. */
  memory(options?: { gc?: boolean; resetPeak?: boolean }): Promise<MemorySample>;
  /** Extra facts for the report (e.g. the worker's maxCachedWorkflows). */
  facts(): Record<string, unknown>;
  teardown(): Promise<void>;
}

/** Process memory of this process, as a {@link MemorySample}. */
export function ownMemory(): MemorySample {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { rss, heapUsed, peakRss: rss, cpuMs: (user + system) / 1000 };
}

/** Throws with a clear message when a cycle's final state is not what the graph computes. */
export function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected)
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

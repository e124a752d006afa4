/**
 * Messages between the benchmark (parent) and a worker process it forks (bench/worker-process.ts), over Node IPC.
 */

/** Which worker to run: durable-graph's (createWorker) or the hand-written one (Worker.create). */
export type WorkerKind = 'durable-graph' | 'raw';

/** Passed as the child's only argument (JSON). */
export interface WorkerProcessConfig {
  kind: WorkerKind;
  address: string;
  namespace: string;
  taskQueue: string;
  /** Temporal's `maxCachedWorkflows` (sticky cache size); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/** Memory of the worker process, in bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Highest RSS seen (sampled every 200 ms) since the previous sample that asked for a reset. */
  peakRss: number;
  /** CPU time (user + system) the process has used since it started, in ms. */
  cpuMs: number;
}

export type ParentMessage = { type: 'memory'; id: number; gc: boolean; resetPeak: boolean } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; maxCachedWorkflows: number; startupMs: number; memory: MemorySample }
  | { type: 'memory'; id: number; memory: MemorySample }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

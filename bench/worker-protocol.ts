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
  /** Other numeric Worker options (`maxConcurrentActivityTaskExecutions`, …); the SDK's defaults when absent. */
  workerOptions?: Record<string, number>;
}

/** The Worker options that bound its concurrency, as the SDK resolved them (for the report), e.g. `{ maxCachedWorkflows: 2310, activitySlots: 'fixed-size 100' }`. */
export type WorkerSettings = Record<string, string | number>;

/** Memory of the worker process, in bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Highest RSS seen (sampled every 200 ms) since the previous sample that asked for a reset. */
  peakRss: number;
  /** Highest V8 heap used seen, sampled and reset as `peakRss`. */
  peakHeapUsed?: number;
  /** CPU time (user + system) the process has used since it started, in ms. */
  cpuMs: number;
}

export type ParentMessage =
  { type: 'memory'; id: number; gc: boolean; resetPeak: boolean } | { type: 'counts'; id: number } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; maxCachedWorkflows: number; startupMs: number; memory: MemorySample; settings: WorkerSettings }
  | { type: 'memory'; id: number; memory: MemorySample }
  /** Node bodies of `bench_load` started in the worker, `<thread id> <node>` → count. */
  | { type: 'counts'; id: number; counts: Array<[string, number]> }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

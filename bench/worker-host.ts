/**
 * Parent side of a worker process: forks bench/worker-process.ts, waits until it polls, samples its memory, stops it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, MemorySample, WorkerProcessConfig, WorkerSettings } from './worker-protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A running worker process. */
export class WorkerProcess {
  readonly maxCachedWorkflows: number;
  readonly startupMs: number;
  /** Memory right after the worker started polling. */
  readonly initialMemory: MemorySample;
  /** The concurrency options the worker runs with. */
  readonly settings: WorkerSettings;
  readonly #child: ChildProcess;
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcess, ready: Extract<ChildMessage, { type: 'ready' }>) {
    this.#child = child;
    this.maxCachedWorkflows = ready.maxCachedWorkflows;
    this.startupMs = ready.startupMs;
    this.initialMemory = ready.memory;
    this.settings = ready.settings;
    child.once('exit', () => (this.#exited = true));
  }

  /** Forks a worker process and resolves once it polls its task queue. */
  static async start(config: WorkerProcessConfig): Promise<WorkerProcess> {
    const child = fork(WORKER_ENTRY, [JSON.stringify(config)], {
      cwd: REPO_ROOT,
      // Same loader flags as this process (tsx, source condition), plus gc() for memory samples after collection.
      execArgv: [
        ...process.execArgv.filter((a) => a !== '--expose-gc'),
        '--expose-gc',
        // BENCH_WORKER_CPU_PROF=<dir>: a V8 CPU profile of each worker process, written when it exits.
        ...(process.env.BENCH_WORKER_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`]
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'ready') {
          child.off('message', onMessage);
          resolve(message);
        } else if (message.type === 'error') reject(new Error(`worker process failed to start: ${message.message}`));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`worker process exited with code ${code} before it was ready`)));
    });
    return new WorkerProcess(child, ready);
  }

  /** The worker's memory now (after a full GC when `gc`); `resetPeak` starts a new peak window. */
  memory(options: { gc?: boolean; resetPeak?: boolean } = {}): Promise<MemorySample> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'memory' && message.id === id) {
          this.#child.off('message', onMessage);
          resolve(message.memory);
        }
      };
      this.#child.on('message', onMessage);
      if (this.#exited) reject(new Error('worker process has exited'));
      this.#child.send({ type: 'memory', id, gc: options.gc ?? false, resetPeak: options.resetPeak ?? false });
    });
  }

  /** Node bodies of `bench_load` the worker has started: `<thread id> <node>` → count. */
  bodyCounts(): Promise<Map<string, number>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'counts' && message.id === id) {
          this.#child.off('message', onMessage);
          resolve(new Map(message.counts));
        }
      };
      this.#child.on('message', onMessage);
      if (this.#exited) reject(new Error('worker process has exited'));
      this.#child.send({ type: 'counts', id });
    });
  }

  /** Shuts the worker down gracefully (SIGKILL after 30 s). */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ type: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Scenario A: the graphs on durable-graph, driven through `GraphClient` exactly as a user does: `invoke(input)` until
 * the interrupt comes back, then `invoke(new Command({ resume: true }))` until END. The worker (createWorker) runs in
 * its own process on its own task queue.
 */
import type { Connection } from '@temporalio/client';
import { Command } from 'durable-graph';
import { GraphClient } from 'durable-graph/client';
import { approvalGraph, approvalQuietGraph, chainGraph, chainLocalGraph } from '../graphs/durable-graph.js';
import { historySample } from '../history.js';
import { expectEqual, type GraphKind, type Scenario } from '../scenario.js';
import { WorkerProcess } from '../worker-host.js';
import type { MemorySample } from '../worker-protocol.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Client connection shared by the scenarios (the worker process has its own). */
  connection: Connection;
}

/** Options of {@link durableGraphScenario}. */
export interface DurableGraphScenarioOptions {
  /** The worker's `maxCachedWorkflows`; the SDK default when absent. */
  maxCachedWorkflows?: number;
  /** Suffix of the scenario id (e.g. `cache100`). */
  tag?: string;
  /** Run the chain's nodes as local Activities (`addNode(..., { local: true })`); id suffix `local`. */
  local?: boolean;
  /** The approval graph compiled with `publishPauses: false` (no search attributes or memo at the pause); id suffix `quiet`. */
  quiet?: boolean;
}

/** Scenario A for one graph. */
export function durableGraphScenario(
  graph: GraphKind,
  target: TemporalTarget,
  options: DurableGraphScenarioOptions = {},
): DurableGraphScenario {
  return new DurableGraphScenario(graph, target, options);
}

export class DurableGraphScenario implements Scenario {
  readonly id: string;
  readonly system = 'A' as const;
  readonly graph: GraphKind;
  readonly label = 'durable-graph';
  readonly memorySource = 'worker process' as const;
  readonly taskQueue: string;
  readonly #target: TemporalTarget;
  readonly #options: DurableGraphScenarioOptions;
  #worker?: WorkerProcess;
  #client?: GraphClient;

  constructor(graph: GraphKind, target: TemporalTarget, options: DurableGraphScenarioOptions) {
    this.graph = graph;
    this.id = `A.${graph}${options.local ? '.local' : ''}${options.quiet ? '.quiet' : ''}${options.tag ? `.${options.tag}` : ''}`;
    this.taskQueue = `bench-${this.id}-${process.pid}-${Date.now()}`;
    this.#target = target;
    this.#options = options;
  }

  async setup(): Promise<void> {
    const { address, namespace, connection } = this.#target;
    this.#worker = await WorkerProcess.start({
      kind: 'durable-graph',
      address,
      namespace,
      taskQueue: this.taskQueue,
      ...(this.#options.maxCachedWorkflows === undefined
        ? {}
        : { maxCachedWorkflows: this.#options.maxCachedWorkflows }),
    });
    this.#client = await GraphClient.connect({ connection, namespace, taskQueue: this.taskQueue });
  }

  get client(): GraphClient {
    if (!this.#client) throw new Error(`${this.id}: setup() was not called`);
    return this.#client;
  }

  async cycle(threadId: string): Promise<number[]> {
    return this.graph === 'approval' ? this.#approvalCycle(threadId) : this.#chainCycle(threadId);
  }

  /** First half of an approval cycle: runs until the interrupt is returned. */
  async pause(threadId: string): Promise<void> {
    const paused = await this.client
      .graph(this.#approval)
      .invoke({ request: 'Q3 report' }, { configurable: { thread_id: threadId } });
    expectEqual(`${threadId} paused`, paused.__interrupt__?.length, 1);
  }

  /** Second half of an approval cycle: resumes with `true` and runs to END. */
  async resume(threadId: string): Promise<void> {
    const done = await this.client
      .graph(this.#approval)
      .invoke(new Command({ resume: true }), { configurable: { thread_id: threadId } });
    expectEqual(`${threadId} result`, done.result, 'EXECUTED: send email about Q3 report');
  }

  get #approval() {
    return this.#options.quiet ? approvalQuietGraph : approvalGraph;
  }

  async #approvalCycle(threadId: string): Promise<number[]> {
    const t0 = performance.now();
    await this.pause(threadId);
    const t1 = performance.now();
    await this.resume(threadId);
    return [t1 - t0, performance.now() - t1];
  }

  async #chainCycle(threadId: string): Promise<number[]> {
    const t0 = performance.now();
    const graph = this.#options.local ? chainLocalGraph : chainGraph;
    const done = await this.client.graph(graph).invoke({ n: 0 }, { configurable: { thread_id: threadId } });
    expectEqual(`${threadId} n`, done.n, 10);
    return [performance.now() - t0];
  }

  history(threadId: string) {
    return historySample(this.client.temporal.workflow.getHandle(threadId));
  }

  memory(options?: { gc?: boolean; resetPeak?: boolean }): Promise<MemorySample> {
    if (!this.#worker) throw new Error(`${this.id}: setup() was not called`);
    return this.#worker.memory(options);
  }

  facts(): Record<string, unknown> {
    return {
      taskQueue: this.taskQueue,
      maxCachedWorkflows: this.#worker?.maxCachedWorkflows,
      workerStartupMs: Math.round(this.#worker?.startupMs ?? Number.NaN),
    };
  }

  async teardown(): Promise<void> {
    await this.#worker?.stop();
    // The client shares the bench's connection: nothing to close.
  }
}

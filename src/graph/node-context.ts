/**
 * The context of one node execution on a worker: which thread and task it is, the resume values
 * received so far, and how many `interrupt()` calls this execution has made. Node-only
 * (AsyncLocalStorage); never bundled into workflow code.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A compiled graph a node calls with `invoke()`, as this file sees it: typed by shape, so that node-context.ts does not
 * import compiled-graph.ts (which imports it). The worker's invoker takes the full `CompiledGraph`.
 */
export interface InvokedGraph {
  readonly name: string;
}

export interface NodeContext {
  threadId: string;
  graph: string;
  node: string;
  taskId: string;
  step: number;
  /** Resume values for this task, in order; the k-th `interrupt()` returns `resume[k]`. */
  resume: readonly unknown[];
  /** Number of `interrupt()` calls made so far in this execution. */
  interruptCount: number;
  /** `step()` results recorded by earlier executions of this task, in call order. */
  recordedSteps: readonly { name: string; value: unknown }[];
  /** `step()` results of this execution so far (reused and new), in call order. */
  steps: { name: string; value: unknown }[];
  /**
   * The most a `step()` result or an interrupt payload may have, in bytes of JSON (more with External Storage).
   * @default MAX_VALUE_BYTES
   */
  valueLimit?: number;
  /** Called after a new `step()` result is recorded, so a retry of this attempt can reuse it. */
  onStep?: (steps: readonly { name: string; value: unknown }[]) => void;
  /**
   * Runs a compiled graph as a child thread of this task and resolves to its final state (`CompiledGraph#invoke`);
   * set by the worker. The k-th call of an execution is the k-th child thread of the task.
   */
  invokeGraph?(
    graph: InvokedGraph,
    input: unknown,
    options: { recursionLimit?: number },
  ): Promise<Record<string, unknown>>;
}

// Shared through globalThis so a duplicate copy of the package still sees the same context.
const key = Symbol.for('durable-graph.node-context');
const store = globalThis as unknown as Record<symbol, AsyncLocalStorage<NodeContext> | undefined>;
const storage: AsyncLocalStorage<NodeContext> = (store[key] ??= new AsyncLocalStorage<NodeContext>());

/** Runs `fn` with `context` as the current node context. */
export function runInNodeContext<T>(context: NodeContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current node context, or undefined outside a node. */
export function currentNodeContext(): NodeContext | undefined {
  return storage.getStore();
}

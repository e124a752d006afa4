/**
 * Errors about the graph itself: a definition that cannot compile, or a graph or node that the worker does not have
 * (usually because the deployed code changed under a running thread).
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/** Thrown by `compile()`: lists every problem in the graph at once. Also thrown by `createWorker()` for its graph list. */
export class GraphDefinitionError extends DurableGraphError {
  /** The graph's name. */
  readonly graph: string;
  /** Every problem found, one sentence each. */
  readonly problems: readonly string[];
  /** @param message replaces the default one (for `createWorker()`, which compiles nothing). */
  constructor(graph: string, problems: readonly string[], message?: string) {
    super(
      ErrorCode.GRAPH_DEFINITION,
      message ??
        `Graph "${graph}" cannot be compiled:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the graph definition and compile again.`,
    );
    this.graph = graph;
    this.problems = problems;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), graph: this.graph, problems: [...this.problems] };
  }
}

/**
 * Thrown when a worker is asked for a graph it does not host (a thread's Workflow Type, or a graph a node calls with
 * `invoke()`); `message` replaces the default one where the caller can say more.
 */
export class UnknownGraphError extends DurableGraphError {
  /** The graph (Workflow Type) that was asked for. */
  readonly graph: string;
  /** The graphs the worker hosts (`[]` when the error was raised where they are not known). */
  readonly known: readonly string[];
  constructor(graph: string, known: readonly string[], context: ErrorContext & { message?: string } = {}) {
    super(
      ErrorCode.UNKNOWN_GRAPH,
      context.message ??
        `No graph named "${graph}" is registered${context.threadId ? ` (thread "${context.threadId}")` : ''}. ` +
          `Known graphs: ${known.length ? known.map((k) => `"${k}"`).join(', ') : '(none)'}. ` +
          `Pass the compiled graph to createWorker({ graphs: [...] }) on the worker polling this task queue.`,
      context,
    );
    this.graph = graph;
    this.known = known;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), graph: this.graph, known: [...this.known] };
  }
}

/**
 * Thrown when a running thread reaches a node that the worker's graph no longer has: the deployed code changed
 * under a thread started with the old graph.
 */
export class UnknownNodeError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UNKNOWN_NODE, message, context);
  }
}

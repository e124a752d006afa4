/** Errors that end a run or a read of it: a node that failed for good, a loop past its limit, a stream out of range. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/** Thrown when a node failed after its retries; `cause` holds the node's own error. */
export class NodeFailedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.NODE_FAILED, message, context);
  }
}

/** Thrown when a run takes more supersteps than its recursion limit. */
export class RecursionLimitError extends DurableGraphError {
  /** The recursion limit the run reached. */
  readonly limit: number;
  constructor(threadId: string, limit: number) {
    super(
      ErrorCode.RECURSION_LIMIT,
      `Thread "${threadId}" reached the recursion limit of ${limit} supersteps without hitting END. ` +
        `Check the graph for a loop with no exit, or raise it with { recursionLimit: <n> } in the config.`,
      { threadId },
    );
    this.limit = limit;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), limit: this.limit };
  }
}

/** Thrown when a read of a run's stream cannot be served (stream modes or offset out of range). */
export class StreamReadError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.STREAM_READ, message, context);
  }
}

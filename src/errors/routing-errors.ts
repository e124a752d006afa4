/**
 * Errors about where a run goes next: a conditional edge or `Command({ goto })` to a node that does not exist, and
 * the ways a `Command({ graph: Command.PARENT })` can fail to reach its parent graph.
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext } from './durable-graph-error.js';

/** Thrown when a conditional edge or a `Command({ goto })` leads to a node the graph does not have. */
export class InvalidDestinationError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_DESTINATION, message, context);
  }
}

/**
 * Thrown when `Command({ graph: Command.PARENT })` has no parent graph to go to: a node of a graph that runs on its
 * own returned it, or it was passed to `invoke()`.
 */
export class NoParentGraphError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.NO_PARENT_GRAPH, message, context);
  }
}

/** Thrown when several nodes of a subgraph return `Command({ graph: Command.PARENT })` in the same step. */
export class MultipleParentCommandsError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.MULTIPLE_PARENT_COMMANDS, message, context);
  }
}

/** Thrown when `Command({ graph: Command.PARENT })` names a node or a state field the parent graph does not have. */
export class InvalidParentCommandError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_PARENT_COMMAND, message, context);
  }
}

/**
 * Errors about values that do not fit a graph's state: bad input, a node's update, a value that would not survive
 * JSON, a reducer that threw, two writers of one field, or an `updateState()` edit that cannot apply.
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext } from './durable-graph-error.js';

/** Thrown when input does not match the graph's state schema, or a config value is not plain JSON. */
export class InvalidInputError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_INPUT, message, context);
  }
}

/**
 * Thrown when a node's output does not fit the state: an unknown field, a value of the wrong type, an update that
 * is not an object, a Command with `resume`, or a RemoveMessage of a message the state does not have.
 */
export class InvalidUpdateError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_UPDATE, message, context);
  }
}

/**
 * Thrown when a value a node hands over (an update, a Send's argument, an `interrupt()` payload or `onTimeout`
 * value, a `NodeInterrupt` value, a `step()` result, a `config.writer()` chunk) would not survive JSON unchanged.
 */
export class UnserializableValueError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UNSERIALIZABLE_VALUE, message, context);
  }
}

/** Thrown when a custom reducer throws; `cause` holds the reducer's error. */
export class ReducerFailedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.REDUCER_FAILED, message, context);
  }
}

/** Thrown when two nodes of one step write a state field that has no reducer (it takes one value per step). */
export class ConflictingWritesError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.CONFLICTING_WRITES, message, context);
  }
}

/**
 * Thrown by `updateState()` when the edit cannot apply: the thread is running, the values are not an object of
 * state fields, or `asNode` names a node that does not exist or is not paused. Nothing was written.
 */
export class UpdateStateRefusedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UPDATE_STATE_REFUSED, message, context);
  }
}

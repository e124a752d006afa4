/**
 * Errors across Temporal: our errors travel as ApplicationFailure with `type` = the error code and
 * `details[0]` = `{ threadId, node }`; the client rebuilds the matching class. Sandbox-safe.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode, isDurableGraphError, withCode } from '../errors.js';

/** Codes that describe a mistake retrying cannot fix. */
const NON_RETRYABLE: ReadonlySet<string> = new Set([
  ErrorCode.GRAPH_DEFINITION,
  ErrorCode.UNKNOWN_GRAPH,
  ErrorCode.UNKNOWN_NODE,
  ErrorCode.INVALID_INPUT,
  ErrorCode.INVALID_UPDATE,
  ErrorCode.INTERRUPT_OUTSIDE_NODE,
  ErrorCode.NODE_FAILED,
  ErrorCode.RECURSION_LIMIT,
  ErrorCode.NO_PENDING_INTERRUPT,
  ErrorCode.INVALID_RESUME,
]);

export interface FailureDetails {
  threadId?: string;
  node?: string;
}

/** Turns a durable-graph error into an ApplicationFailure; other values are returned unchanged. */
export function toFailure(error: unknown): unknown {
  if (!isDurableGraphError(error)) return error;
  const details: FailureDetails = {};
  if (error.threadId !== undefined) details.threadId = error.threadId;
  if (error.node !== undefined) details.node = error.node;
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: NON_RETRYABLE.has(error.code),
    details: [details],
    cause: error.cause instanceof Error ? error.cause : undefined,
  });
}

/** Creates the failure for one of our codes directly (in the engine, where classes are not needed). */
export function failure(code: ErrorCode, message: string, details: FailureDetails = {}, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: withCode(code, message), nonRetryable: true, details: [details], cause });
}

/** True when `type` is one of our error codes. */
export function isErrorCode(type: unknown): type is ErrorCode {
  return typeof type === 'string' && (Object.values(ErrorCode) as string[]).includes(type);
}

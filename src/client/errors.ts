/**
 * Our error classes rebuilt on the client side from the Temporal failures that carried them (a failed Update or a
 * failed Workflow), so callers can check `code` or `instanceof`.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  DurableGraphError,
  ErrorCode,
  InvalidInputError,
  InvalidResumeError,
  InvalidUpdateError,
  NoPendingInterruptError,
  NodeFailedError,
  RecursionLimitError,
  UnknownGraphError,
  InterruptOutsideNodeError,
  isDurableGraphError,
} from '../errors.js';
import { isErrorCode } from '../protocol/failures.js';

const classByCode: Partial<Record<ErrorCode, new (...args: any[]) => DurableGraphError>> = {
  [ErrorCode.UNKNOWN_GRAPH]: UnknownGraphError,
  [ErrorCode.INVALID_INPUT]: InvalidInputError,
  [ErrorCode.INVALID_UPDATE]: InvalidUpdateError,
  [ErrorCode.NO_PENDING_INTERRUPT]: NoPendingInterruptError,
  [ErrorCode.INVALID_RESUME]: InvalidResumeError,
  [ErrorCode.NODE_FAILED]: NodeFailedError,
  [ErrorCode.RECURSION_LIMIT]: RecursionLimitError,
  [ErrorCode.INTERRUPT_OUTSIDE_NODE]: InterruptOutsideNodeError,
};

/** Rebuilds our error class from a Temporal failure (Update or Workflow failure); other errors pass through. */
export function rebuildError(error: unknown, threadId: string): unknown {
  if (isDurableGraphError(error)) return error;
  const cause = error instanceof WorkflowUpdateFailedError || error instanceof WorkflowFailedError ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !isErrorCode(cause.type)) return error;
  const details = (cause.details?.[0] ?? {}) as { threadId?: string; node?: string };
  const rebuilt = new DurableGraphError(cause.type, cause.message, {
    threadId: details.threadId ?? threadId,
    ...(details.node ? { node: details.node } : {}),
    cause: cause.cause ?? cause,
  });
  const cls = classByCode[cause.type];
  if (cls) {
    Object.setPrototypeOf(rebuilt, cls.prototype);
    rebuilt.name = cls.name;
  }
  return rebuilt;
}

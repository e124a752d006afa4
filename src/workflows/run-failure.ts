/**
 * The failure that ends a run when a node, START's routing or a merge through custom reducers failed after its
 * retries: our code when it was already one of ours, else NODE_FAILED naming what failed and where.
 * Determinism: pure; builds an ApplicationFailure from the error the engine received.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { failure, isErrorCode } from '../protocol/failures.js';
import { START } from '../protocol/spec.js';

/**
 * @param node The node's name, START for the run's start (input, conditional edges from START), `merge:input` or
 *   `merge:<step>` for a merge through custom reducers.
 */
export function runFailure(threadId: string, step: number, node: string, error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
    // Already one of ours (unknown graph or node, invalid update...): keep its code and message.
    return ApplicationFailure.create({
      type: cause.type,
      message: cause.message,
      nonRetryable: true,
      details: cause.details as unknown[],
      cause,
    });
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  const kind = cause instanceof ApplicationFailure && cause.type ? ` (${cause.type})` : '';
  const what =
    node === START
      ? 'Starting the run (input and conditional edges from START)'
      : node === 'merge:input'
        ? 'Merging the input through the custom reducers'
        : node.startsWith('merge:')
          ? `Merging the writes of step ${node.slice(6)} through the custom reducers`
          : `Node "${node}"`;
  return failure(
    ErrorCode.NODE_FAILED,
    `${what} failed in thread "${threadId}" at step ${step}${kind}: ${message}. ` +
      `Its retries are exhausted and the run has ended; the state before this step is in the run's history ` +
      `(\`temporal workflow show --workflow-id ${threadId}\`).`,
    node === START || node.startsWith('merge:') ? { threadId } : { threadId, node },
    cause instanceof Error ? cause : undefined,
  );
}

/**
 * The workflow's own cancellation behind a cancelled Activity (node, local segment, reducer, router), rethrown so
 * that the run ends Canceled rather than as a failed node.
 */
export function cancellationOf(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause instanceof CancelledFailure ? error.cause : error;
}

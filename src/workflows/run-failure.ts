/**
 * The failure that ends a run when a node, START's routing or a merge through custom reducers failed after its
 * retries: our code when it was already one of ours, else NODE_FAILED naming what failed and where.
 * Determinism: pure; builds an ApplicationFailure from the error the engine received.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { failure, isErrorCode, withoutCode } from '../protocol/failures.js';
import { START } from '../protocol/spec.js';

/**
 * @param node The node's name, START for the run's start (input, conditional edges from START), `merge:input` or
 *   `merge:<step>` for a merge through custom reducers.
 */
export function runFailure(threadId: string, step: number, node: string, error: unknown): ApplicationFailure {
  const { cause, ours, message, kind } = failureCause(error);
  if (ours) {
    // Already one of ours (unknown graph or node, invalid update...): keep its code and message.
    return ApplicationFailure.create({
      type: ours,
      message: (cause as ApplicationFailure).message,
      nonRetryable: true,
      details: (cause as ApplicationFailure).details as unknown[],
      cause: cause as ApplicationFailure,
    });
  }
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
 * The failure an `invoke()` or resume caller gets when the run parks on a failed node: the node's own failure
 * (our code when it was one of ours, else NODE_FAILED), telling that the thread stays open and how to go on.
 */
export function parkedFailure(
  threadId: string,
  step: number,
  failed: ReadonlyArray<{ node: string; error: unknown; interruptId?: string }>,
): ApplicationFailure {
  const first = failed[0]!;
  const { cause, ours, message, kind } = failureCause(first.error);
  const nodes = failed.map((f) => `"${f.node}"`).join(', ');
  const again = failed.filter((f) => f.interruptId);
  const reanswer = again.length
    ? `, or answer ${again.map((f) => `interrupt "${f.interruptId}" (node "${f.node}")`).join(', ')} again with ` +
      `invoke(new Command({ resume: ${again.length > 1 ? '{ "<id>": <value> }' : '<value>'} }), config) to run it with a new answer`
    : '';
  return failure(
    ours ?? ErrorCode.NODE_FAILED,
    `Node ${nodes} failed in thread "${threadId}" at step ${step}${kind}: ${withoutCode(message)}. ` +
      `Its retries are exhausted; the thread is parked on it (status "error") with nothing lost. ` +
      `Run it again with invoke(null, config) once the cause is fixed${reanswer}; getState(config) shows the failure.`,
    {
      // One of ours keeps its fields (a reducer's failure names no node); the node's own error names its node.
      ...(ours
        ? ((cause as ApplicationFailure).details?.[0] as Record<string, unknown> | undefined)
        : { node: first.node }),
      threadId,
      parked: true,
      ...(first.interruptId ? { interruptId: first.interruptId } : {}),
    },
    cause instanceof Error ? cause : undefined,
  );
}

/**
 * What failed behind an Activity failure: the cause, its code when it is one of ours, its message, and its type in
 * brackets when it is someone else's (`" (TypeError)"`; empty for ours or none).
 */
function failureCause(error: unknown): { cause: unknown; ours?: ErrorCode; message: string; kind: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const ours = cause instanceof ApplicationFailure && isErrorCode(cause.type) ? (cause.type as ErrorCode) : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  const kind = !ours && cause instanceof ApplicationFailure && cause.type ? ` (${cause.type})` : '';
  return { cause, ...(ours ? { ours } : {}), message, kind };
}

/**
 * The workflow's own cancellation behind a cancelled Activity (node, local segment, reducer, router), rethrown so
 * that the run ends Canceled rather than as a failed node.
 */
export function cancellationOf(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause instanceof CancelledFailure ? error.cause : error;
}

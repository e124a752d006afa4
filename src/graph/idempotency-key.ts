/**
 * idempotencyKey(): the key a node gives an external API so that a side effect repeated by a re-execution is done
 * once (the API drops a request whose key it has seen).
 */
import { InterruptOutsideNodeError } from '../errors.js';
import { currentNodeContext } from './node-context.js';

/**
 * A key that is the same on every execution of this task and different for every other task: the same across the
 * task's attempts (a retry after a worker crash or an error), its re-executions after a resume, a retry of a thread
 * parked on it, and a rewind to before it; different for another node, another step, another thread. Pass it to an
 * API that takes an idempotency key (`Idempotency-Key` header, a request id), so a side effect that ran but was not
 * recorded before a crash is not done twice. `step()` covers the rest: a recorded result is never run again.
 *
 * Not stable across a new run of a failed step (`invoke(null)` after a run ended with `onNodeFailure: 'fail'`):
 * that run's tasks are new.
 *
 * @param name Tells apart several side effects of one task (`'email'`, `'charge'`).
 * @example
 * ```ts
 * await payments.charge({ amount }, { idempotencyKey: idempotencyKey('charge') });
 * ```
 * @throws {@link InterruptOutsideNodeError} outside a node.
 */
export function idempotencyKey(name?: string): string {
  const context = currentNodeContext();
  if (!context) {
    throw new InterruptOutsideNodeError(
      'idempotencyKey() was called outside a node; call it only inside a function passed to addNode(), while the graph runs on a durable-graph worker.',
    );
  }
  return `${context.graph}:${context.threadId}:${context.taskId}${name === undefined ? '' : `:${name}`}`;
}

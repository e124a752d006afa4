/**
 * Deadlines on pauses: `interrupt(value, { timeout, onTimeout })` waits on a durable Temporal timer beside the
 * human's answer; at the deadline the interrupt gets its default answer, or the run fails.
 * Determinism: Temporal's timer and clock (workflow time); no timer when no pending interrupt has a deadline.
 */
import { condition } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { failure } from '../protocol/failures.js';
import { openInterruptOf, type RunState } from './run-state.js';

/**
 * Waits for `ready`, or for the earliest deadline of a pending interrupt (a durable timer, only when one has a
 * deadline): then the expired interrupts get their onTimeout answer, or the run fails.
 */
export async function waitForHuman(state: RunState, ready: () => boolean): Promise<void> {
  for (;;) {
    const timed = state.tasks.filter((t) => t.deadline && openInterruptOf(t));
    if (timed.length === 0) return condition(ready);
    const next = Math.min(...timed.map((t) => t.deadline!.at));
    if (next > Date.now() && (await condition(ready, next - Date.now()))) return;
    for (const task of timed) {
      if (task.deadline!.at > Date.now()) continue;
      const { onTimeout } = task.deadline!;
      if (onTimeout === 'fail') {
        throw failure(
          ErrorCode.INTERRUPT_TIMEOUT,
          `Interrupt "${openInterruptOf(task)!.id}" in node "${task.name}" of thread "${state.threadId}" expired with no resume (interrupt(value, { timeout }) with onTimeout 'fail'). invoke(null, config) runs the node again and asks again; or give the interrupt a longer timeout or an onTimeout: { resume } default.`,
          { threadId: state.threadId, node: task.name },
        );
      }
      if (task.status.kind === 'interrupted') task.status.answer = { value: onTimeout.resume };
      delete task.deadline;
    }
    if (ready()) return;
  }
}

/**
 * step(): run a side effect once per task, even though the node re-executes on every resume.
 */
import { InterruptOutsideNodeError } from '../errors.js';
import { currentNodeContext } from './node-context.js';
import { findNonJsonValue } from '../protocol/json.js';
import { UnserializableValueError } from '../errors.js';
import { encodeMessagesDeep, reviveMessagesDeep } from './message-codec.js';
import { checkNodeValueSize } from '../protocol/payload-size.js';

/**
 * Runs `fn` the first time this task reaches the call, records its result in Temporal history, and
 * returns the recorded result on every later execution of the same task (after a resume, or a retry).
 *
 * A node re-executes from its first line when an `interrupt()` in it is resumed (as in LangGraph), so an
 * email sent or a model called before `interrupt()` would otherwise happen again. Calls are matched by
 * `name` and by order among calls with that name, so keep the sequence of `step()` calls deterministic.
 * The result must be plain JSON (it is stored in history), and no larger than a thread may carry (1 MiB of JSON, or
 * 64 MiB with External Storage): keep large data elsewhere and return its reference.
 *
 * @example
 * ```ts
 * const draft = await step('draft', () => llm.invoke(prompt).then((m) => m.content));
 * const approved = interrupt({ draft });
 * ```
 * @throws {@link InterruptOutsideNodeError} outside a node.
 * @throws {@link PayloadTooLargeError} when the result is too large to record; the node fails without retries.
 */
export async function step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const context = currentNodeContext();
  if (!context) throw new InterruptOutsideNodeError();
  const occurrence = context.steps.filter((s) => s.name === name).length;
  const recorded = context.recordedSteps.filter((s) => s.name === name)[occurrence];
  if (recorded) {
    context.steps.push(recorded);
    return reviveMessagesDeep(JSON.parse(JSON.stringify(recorded.value ?? null))) as T;
  }
  const value = await fn();
  // Chat messages (a model's reply) are recorded as their JSON form and come back as message objects.
  const encoded = encodeMessagesDeep(value);
  const problem = findNonJsonValue(encoded);
  if (problem) {
    throw new UnserializableValueError(
      `step("${name}") in node "${context.node}" (thread "${context.threadId}") returned a value that cannot be recorded in history: ${problem}. Return plain JSON.`,
      { threadId: context.threadId, node: context.node },
    );
  }
  // Checked before it is recorded: a retry's heartbeat would carry it, and Temporal refuses one over 2 MiB.
  checkNodeValueSize(
    { threadId: context.threadId, node: context.node },
    `The result of step("${name}") in node "${context.node}" (thread "${context.threadId}")`,
    `the result of step("${name}") in node "${context.node}"`,
    encoded,
    'return its reference from the step',
    context.valueLimit,
  );
  const record = { name, value: encoded === undefined ? null : encoded };
  context.steps.push(record);
  context.onStep?.(context.steps);
  return value;
}

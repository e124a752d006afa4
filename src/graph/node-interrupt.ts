/**
 * NodeInterrupt: LangGraph's legacy dynamic breakpoint. A node throws it to pause the thread with a
 * message; the pause has no id and takes no resume value.
 */

const NODE_INTERRUPT = Symbol.for('durable-graph.node-interrupt');

/**
 * Thrown by a node to pause the thread when a condition holds (LangGraph's legacy dynamic breakpoint).
 *
 * How it works: the node stops, nothing it would have written is kept, and the thread pauses with
 * `{ value }` (no `id`) in `__interrupt__` and in the task's `interrupts`, as in LangGraph. Unlike
 * {@link interrupt}, the pause cannot be answered with a value: `invoke(null)` (or the `resume` Signal `{}`)
 * runs the node again from its first line, and it throws again while its condition holds. The usual way
 * out is to change the state first, with `updateState(config, values)` or `Command({ update })`, then
 * `invoke(null)`; `updateState(config, values, node)` instead counts as the node's output, so it does not run.
 * A `Command({ resume })` aimed only at NodeInterrupt pauses is refused with {@link InvalidResumeError}
 * (LangGraph ignores the value and re-runs the node).
 *
 * Prefer {@link interrupt} in new code: it returns the human's answer to the node.
 *
 * @example
 * ```ts
 * .addNode('check', (s) => {
 *   if (s.amount > 1000) throw new NodeInterrupt(`amount ${s.amount} needs approval`);
 *   return { checked: true };
 * })
 * ```
 */
export class NodeInterrupt extends Error {
  /** What the pause shows as `{ value }`: the message, or any plain JSON value given to the constructor. */
  readonly value: unknown;

  /** @param value What the pause shows: a message, or any plain JSON value (as LangGraph, which keeps it as given). */
  constructor(value: unknown) {
    super(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
    this.name = 'NodeInterrupt';
    this.value = value;
    Object.defineProperty(this, NODE_INTERRUPT, { value: true });
  }
}

/**
 * True for a {@link NodeInterrupt} from any copy of the package, and for LangGraph's own (`name`
 * "NodeInterrupt" with `interrupts: [{ value }]`), so a node ported with its LangGraph import still pauses.
 */
export function isNodeInterrupt(value: unknown): value is { value: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[NODE_INTERRUPT] === true) return true;
  const foreign = value as { name?: unknown; interrupts?: unknown };
  return foreign.name === 'NodeInterrupt' && Array.isArray(foreign.interrupts);
}

/** The value a NodeInterrupt pauses with: ours carries it; LangGraph's keeps it as `interrupts[0].value`. */
export function nodeInterruptValue(error: { value?: unknown; interrupts?: Array<{ value?: unknown }> }): unknown {
  if ((error as Record<symbol, unknown>)[NODE_INTERRUPT] === true) return error.value;
  return error.interrupts?.[0]?.value;
}

/**
 * The two kinds of pause a task can hold, told apart in one place. An `interrupt()` call is pending with an `id` and
 * takes a resume value (answered by that id when several are pending). A `throw new NodeInterrupt(value)` is pending
 * as `{ value }` with no id, as in LangGraph: it takes no resume value, and the node runs again on `{}` (`invoke(null)`).
 * Sandbox-safe: pure functions over plain data.
 */

/** True for a pending `interrupt()` (it has an id and takes a resume value); false for a NodeInterrupt. */
export function takesResumeValue<Entry extends object>(entry: Entry): entry is Entry & { id: string } {
  return typeof (entry as { id?: unknown }).id === 'string';
}

/** Pending entries split, order kept: the interrupts that take a resume value, and the NodeInterrupts. */
export function splitPending<Entry extends object>(
  pending: readonly Entry[],
): { interrupts: Array<Entry & { id: string }>; nodeInterrupts: Entry[] } {
  const interrupts: Array<Entry & { id: string }> = [];
  const nodeInterrupts: Entry[] = [];
  for (const entry of pending) {
    if (takesResumeValue(entry)) interrupts.push(entry);
    else nodeInterrupts.push(entry);
  }
  return { interrupts, nodeInterrupts };
}

/** A pending interrupt with the node that raised it. */
export interface PendingInterrupt {
  id: string;
  node: string;
  value: unknown;
  /** The JSON Schema its answer must match, when `interrupt(value, { responseSchema })` gave one. */
  response_schema?: Record<string, unknown>;
}

/** A pause raised by NodeInterrupt with its node: no id, takes no resume value. */
export interface NodeInterruptPause {
  node: string;
  value: unknown;
}

/** The pending entries of snapshot tasks (`getState().tasks`), with their nodes, split in task order. */
export function pendingOfTasks(
  tasks: ReadonlyArray<{
    name: string;
    interrupts: ReadonlyArray<{ id?: string; value: unknown; response_schema?: Record<string, unknown> }>;
  }>,
): {
  interrupts: PendingInterrupt[];
  nodeInterrupts: NodeInterruptPause[];
} {
  const { interrupts, nodeInterrupts } = splitPending(
    tasks.flatMap((t) =>
      t.interrupts.map((i) => ({ id: i.id, node: t.name, value: i.value, response_schema: i.response_schema })),
    ),
  );
  return {
    interrupts: interrupts.map(({ id, node, value, response_schema }) => ({
      id,
      node,
      value,
      ...(response_schema ? { response_schema } : {}),
    })),
    nodeInterrupts: nodeInterrupts.map(({ node, value }) => ({ node, value })),
  };
}

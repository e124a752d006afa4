/**
 * The rules for a superstep's writes that the engine and a local segment (the `runLocalSteps` Activity) must apply
 * identically: the order writes apply in, and a field without a reducer taking one write per step.
 * Sandbox-safe: pure functions over plain data.
 */
import type { ChannelSpec } from './spec.js';

/** A task as far as its writes go: its node, whether a Send created it, and what it wrote. */
export interface TaskWrite {
  node: string;
  send: boolean;
  update: Record<string, unknown> | null;
}

/**
 * LangGraph's order for applying a superstep's writes (its tasks sorted by path): nodes triggered by edges or a goto
 * first, by node name, then `Send` tasks in the order they were sent. Stable, so it is the same on replay.
 */
export function inTaskPathOrder<T extends TaskWrite>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => {
    if (a.send !== b.send) return a.send ? 1 : -1;
    if (a.send) return 0;
    return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
  });
}

/**
 * The first field without a reducer that more than one task wrote (LangGraph's LastValue rule: one value per step),
 * with the nodes that wrote it in the order given; undefined when there is none.
 */
export function conflictingWrite(
  channels: Record<string, ChannelSpec>,
  tasks: readonly TaskWrite[],
): { field: string; nodes: string[] } | undefined {
  const writers = new Map<string, string[]>();
  for (const task of tasks) {
    for (const key of Object.keys(task.update ?? {})) {
      if ((channels[key]?.reducer ?? 'last') !== 'last') continue;
      writers.set(key, [...(writers.get(key) ?? []), task.node]);
    }
  }
  for (const [field, nodes] of writers) if (nodes.length > 1) return { field, nodes };
  return undefined;
}

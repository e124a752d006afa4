/**
 * Which nodes run next: pure functions of the spec and what the last superstep produced. Shared by the engine
 * (each superstep) and the `runLocalSteps` Activity (a segment of local supersteps), which must agree exactly.
 * Determinism: no Temporal API, no clock, no randomness; output order follows node declaration order,
 * so writes are applied in the same order on every replay.
 */
import { END, START, type GraphSpec } from './spec.js';

/** Progress of each join edge (`addEdge([a, b], c)`): the sources seen since `c` last fired. Keyed by edge index. */
export type JoinState = Record<number, string[]>;

export interface CompletedTask {
  name: string;
  /** Destinations chosen at run time: conditional edges and Command goto. */
  next: string[];
}

/** Nodes triggered by START's static edges plus START's routed destinations. */
export function startTriggers(spec: GraphSpec, routed: readonly string[]): string[] {
  const targets = spec.edges.filter((e) => e.from.length === 1 && e.from[0] === START).map((e) => e.to);
  return inDeclarationOrder(spec, [...targets, ...routed]);
}

/**
 * Nodes triggered by a finished superstep: static edges of each completed node, their run-time
 * destinations, and join edges whose every source has now completed. Updates `joins` in place.
 */
export function nextTriggers(spec: GraphSpec, completed: readonly CompletedTask[], joins: JoinState): string[] {
  const targets: string[] = [];
  const done = new Set(completed.map((t) => t.name));
  for (const task of completed) {
    for (const edge of spec.edges) if (edge.from.length === 1 && edge.from[0] === task.name) targets.push(edge.to);
    targets.push(...task.next);
  }
  spec.edges.forEach((edge, index) => {
    if (edge.from.length < 2) return;
    const seen = new Set(joins[index] ?? []);
    for (const from of edge.from) if (done.has(from)) seen.add(from);
    if (edge.from.every((f) => seen.has(f))) {
      targets.push(edge.to);
      delete joins[index];
    } else if (seen.size > 0) {
      joins[index] = edge.from.filter((f) => seen.has(f));
    }
  });
  return inDeclarationOrder(spec, targets);
}

/** Deduplicates, drops END, and orders by node declaration. */
export function inDeclarationOrder(spec: GraphSpec, names: readonly string[]): string[] {
  const wanted = new Set(names.filter((n) => n !== END));
  return spec.nodes.map((n) => n.name).filter((n) => wanted.has(n));
}

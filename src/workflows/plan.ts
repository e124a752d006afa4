/**
 * Planning a superstep: which nodes run next and with which ids, the order a step's writes apply in, what a step may
 * write, and how a failed step is carried into the next run. The trigger rules live in `src/protocol/triggers.ts`,
 * because the `runLocalSteps` Activity (a segment of local supersteps) applies them too and must agree exactly.
 * Determinism: pure functions; ids come from the caller's generator (the engine passes Temporal's `uuid4`).
 */
import { ErrorCode } from '../errors.js';
import type { RerunTask } from '../protocol/payloads.js';
import { END, type GraphSpec } from '../protocol/spec.js';
import { conflictingWrite, inTaskPathOrder, type TaskWrite } from '../protocol/writes.js';
import { inDeclarationOrder } from '../protocol/triggers.js';
import { readyTask, resultOf, type RunState, type Task } from './run-state.js';

export { inDeclarationOrder, nextTriggers, startTriggers, type JoinState } from '../protocol/triggers.js';

/** A planned task before it exists: its id and node, and whether a Send created it. */
export interface PlannedTask {
  id: string;
  name: string;
  send: boolean;
}

/**
 * Ids for the next step's tasks: Sends first, then triggered nodes (LangGraph's task order). Tasks already listed
 * while paused after the last step (`upcoming`) keep the ids shown; others (a node a goto added) get a new one.
 */
export function nextIds(state: Pick<RunState, 'sends' | 'triggers' | 'upcoming'>, newId: () => string): PlannedTask[] {
  const shown = state.upcoming ?? [];
  const sendIds = shown.filter((t) => t.send).map((t) => t.id);
  const nodeIds = new Map(shown.filter((t) => !t.send).map((t) => [t.name, t.id]));
  return [
    ...state.sends.map((send, i) => ({ id: sendIds[i] ?? newId(), name: send.node, send: true })),
    ...state.triggers.map((name) => ({ id: nodeIds.get(name) ?? newId(), name, send: false })),
  ];
}

/** The tasks of the step about to start, from {@link nextIds}: a Send's task carries the Send's argument. */
export function nextTasks(state: Pick<RunState, 'sends' | 'triggers' | 'upcoming'>, newId: () => string): Task[] {
  return nextIds(state, newId).map(({ id, name, send }, i) =>
    readyTask(id, name, send ? { arg: state.sends[i]!.arg } : undefined),
  );
}

/** A superstep's writes in the order they apply: task-path order (protocol/writes.ts), whatever order they completed in. */
export function stepWrites(tasks: readonly Task[]): Record<string, unknown>[] {
  return inTaskPathOrder(tasks.map(taskWrite)).flatMap((t) => (t.update ? [t.update] : []));
}

/** What a task wrote, as the write rules see it. */
function taskWrite(task: Task): TaskWrite {
  return { node: task.name, send: task.send !== undefined, update: resultOf(task)?.update ?? null };
}

/**
 * How many supersteps a local segment that starts with nodes `first` can take, at most `limit`: the segment goes on
 * only while the next step's nodes are all `local: true` (no subgraph, no breakpoint), so a chain of local nodes
 * bounds it by its length. The next step's nodes are those the spec lets a step's nodes lead to (static edges and
 * joins, conditional edges' destinations, or any node for a router without a path map, and Command gotos through
 * `ends`); a step that can come back to tasks it already had (a loop) leaves only `limit`. A goto to a node left out
 * of `ends` can make the real segment longer than this: it then stops here, and the engine starts another one.
 */
export function segmentSteps(spec: GraphSpec, first: readonly string[], limit: number): number {
  const nodes = new Map(spec.nodes.map((n) => [n.name, n]));
  const staysLocal = (name: string) => {
    const node = nodes.get(name);
    return node?.local === true && !node.subgraph && !spec.interruptBefore?.includes(name);
  };
  const after = (name: string): string[] => {
    if (spec.interruptAfter?.includes(name)) return [];
    const next = [...nodes.get(name)!.ends];
    for (const edge of spec.edges) if (edge.from.includes(name)) next.push(edge.to);
    for (const branch of spec.branches)
      if (branch.source === name) next.push(...(branch.destinations ?? spec.nodes.map((n) => n.name)));
    return next;
  };
  const seen = new Set<string>();
  let step = inDeclarationOrder(spec, first);
  for (let steps = 1; steps < limit; steps++) {
    const key = step.join('\u0000');
    if (seen.has(key)) return limit;
    seen.add(key);
    step = inDeclarationOrder(spec, step.flatMap(after)).filter(staysLocal);
    if (step.length === 0) return steps;
  }
  return limit;
}

/** Why a step's writes cannot apply, with the code and the node to name. */
export interface StepProblem {
  code: ErrorCode;
  node: string;
  message: string;
}

/**
 * Checks what a superstep's tasks produced against the recorded shape: every destination must be a node of the spec
 * the thread started with (router code comes from the deployed worker and may have changed), and a field without a
 * reducer takes at most one write per step (LangGraph's LastValue rule).
 */
export function checkStepWrites(spec: GraphSpec, tasks: readonly Task[], threadId: string): StepProblem | undefined {
  const known = new Set(spec.nodes.map((n) => n.name));
  for (const task of tasks) {
    const result = resultOf(task);
    const unknown = [...(result?.next ?? []), ...(result?.sends ?? []).map((s) => s.node)].filter(
      (d) => d !== END && !known.has(d),
    );
    if (unknown.length) {
      return {
        code: ErrorCode.UNKNOWN_NODE,
        node: task.name,
        message: `Node "${task.name}" in thread "${threadId}" routed to ${unknown.map((u) => `"${u}"`).join(', ')}, which the graph shape this thread started with does not have: the deployed router code has changed under a running thread. Deploy code whose routes match the recorded shape until the thread finishes, or start a new run.`,
      };
    }
  }
  const conflict = conflictingWrite(spec.channels, tasks.map(taskWrite));
  if (!conflict) return undefined;
  const { field, nodes } = conflict;
  return {
    code: ErrorCode.CONFLICTING_WRITES,
    node: nodes[1]!,
    message: `Nodes ${nodes.map((n) => `"${n}"`).join(', ')} wrote state field "${field}" in the same step of thread "${threadId}", but it has no reducer, so it can take one value per step. Give "${field}" a reducer (e.g. withReducer(schema, appendReducer)), or write it from one node.`,
  };
}

/** A task of a failed step as the next run needs it: its Send argument, answers and step() results, or its result. */
export function toRerunTask(task: Task): RerunTask {
  const rerun: RerunTask = { node: task.name };
  if (task.send) rerun.arg = task.send.arg;
  if (task.status.kind === 'done') return { ...rerun, result: task.status.result };
  if (task.resume.length) rerun.resume = task.resume;
  if (task.steps?.length) rerun.steps = task.steps;
  return rerun;
}

/**
 * The failed step's task in the new run: a completed one keeps its result, the others run again with what they had.
 * A Send's task is the one that has an `arg` (a Send always has one: routing refuses a Send without).
 */
export function fromRerunTask(rerun: RerunTask, id: string): Task {
  const task = readyTask(id, rerun.node, 'arg' in rerun ? { arg: rerun.arg } : undefined);
  if (rerun.resume?.length) task.resume = [...rerun.resume];
  if (rerun.steps?.length) task.steps = rerun.steps;
  if (rerun.result) task.status = { kind: 'done', result: rerun.result };
  return task;
}

/**
 * Local segments: consecutive supersteps whose nodes are all `local: true`, run in one local
 * Activity instead of one per node. Each task runs through `runNode()` (same context, receipt and step() memory as a
 * local node run on its own); each step's writes merge with the built-in reducers in LangGraph's task-path order,
 * and the next step's tasks follow the engine's rules (`protocol/triggers.ts`). The engine then replays the
 * recorded steps one by one, so results, stream chunks, state and history are those of the node-by-node run.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { AnyCompiledGraph, CompiledGraph } from '../graph/compiled-graph.js';
import type { LocalStepTask, LocalStepsInput, LocalStepsResult } from '../protocol/activities.js';
import { canMergeInEngine, mergeBuiltin, structuredCloneJson } from '../protocol/reducers.js';
import { conflictingWrite, inTaskPathOrder } from '../protocol/writes.js';
import { END, type GraphSpec } from '../protocol/spec.js';
import { nextTriggers, type JoinState } from '../protocol/triggers.js';
import { packNodeResult } from '../protocol/node-result-wire.js';
import type { NodeResult } from '../protocol/payloads.js';
import { nodeExecution, runUnobserved, type NodeObserver } from './node-execution.js';
import type { NodeRun } from './node-run.js';
import { runNode } from './run-node.js';

/** A task of a step as it ran here, before its result is written in its recorded form. */
type RanTask = Omit<LocalStepTask, 'result'> & { result?: NodeResult };

/**
 * A segment stops once its result passes about this many characters of JSON: the result is one history event (a
 * marker), and each step's receipt carries the state, so a long chain over a large state would otherwise outgrow
 * Temporal's payload limit. The engine starts a new segment where this one stopped.
 */
const MAX_RESULT_CHARS = 256 * 1024;

/**
 * Runs steps from `input.tasks` on, and stops after the first step that ends the segment (see {@link nextLocalStep}).
 * A node's failure is not thrown: the step comes back with that task marked `failed`, so the engine runs it alone
 * with its retry policy and no completed node runs twice.
 */
export async function runLocalSteps(
  graph: CompiledGraph,
  input: LocalStepsInput,
  hosted?: ReadonlyMap<string, AnyCompiledGraph>,
  observe: NodeObserver = runUnobserved,
): Promise<LocalStepsResult> {
  const activity = Context.current();
  const steps: LocalStepsResult['steps'] = [];
  const joins = structuredCloneJson(input.joins);
  let state = input.state;
  let tasks = input.tasks;
  let size = 0;
  for (let i = 0; ; i++) {
    const step = input.step + i;
    const stepState = state;
    const outcomes = await Promise.all(
      tasks.map(async ({ id, name }, k): Promise<RanTask> => {
        const task: NodeRun = {
          graph: input.graph,
          node: name,
          threadId: input.threadId,
          taskId: id,
          step,
          state: stepState,
          resume: [],
        };
        // History learns each step's input state from its first task's receipt (the engine's rule for local runs).
        if (k === 0 && (i > 0 || input.recordState)) task.recordState = true;
        if (input.configurable) task.configurable = input.configurable;
        const execution = nodeExecution(task, activity.info.attempt);
        try {
          const result = await observe(execution, false, () => runNode(graph, task, hosted));
          if (result.receipt) result.receipt.node = name; // the segment's marker names no node
          return { id, name, result };
        } catch (error) {
          const message = (error as Error)?.message ?? String(error);
          // Outside the node's context here: its attributes are given, so the line is found with the node's others.
          activity.log.warn(
            `Node "${name}" failed in a local segment of thread "${input.threadId}" (step ${step}): ${message}. The engine runs it again on its own, with its retry policy.`,
            { ...execution },
          );
          return { id, name, failed: { message } };
        }
      }),
    );
    const recorded = outcomes.map(({ result, ...task }): LocalStepTask =>
      result ? { ...task, result: packNodeResult(result) } : task,
    );
    steps.push({ tasks: recorded });
    size += JSON.stringify(recorded).length;
    const next =
      i + 1 < input.maxSteps && size < MAX_RESULT_CHARS ? nextLocalStep(input.spec, outcomes, joins) : undefined;
    if (!next) break;
    state = next.writes.length ? structuredCloneJson(mergeBuiltin(input.spec.channels, state, next.writes)) : state;
    tasks = next.triggers.map((name) => ({ id: randomUUID(), name }));
  }
  return { steps };
}

/**
 * The step after `outcomes` when it still belongs to the segment: every task completed with an update (no interrupt,
 * failure or Command.PARENT), no Send, destinations the spec knows, writes the engine merges itself and that a field
 * without a reducer takes once, no interruptAfter on these nodes, and a next step of `local: true` nodes only with no
 * interruptBefore. Anything else ends the segment: the engine takes over there (and reports what is wrong).
 */
function nextLocalStep(
  spec: GraphSpec,
  outcomes: RanTask[],
  joins: JoinState,
): { triggers: string[]; writes: Record<string, unknown>[] } | undefined {
  const known = new Set(spec.nodes.map((n) => n.name));
  const completed: Array<{ name: string; next: string[]; update: Record<string, unknown> | null }> = [];
  for (const { name, result } of outcomes) {
    if (result?.kind !== 'update' || result.sends?.length) return undefined;
    if (result.next.some((d) => d !== END && !known.has(d))) return undefined;
    completed.push({ name, next: result.next, update: result.update });
  }
  if (spec.interruptAfter?.some((n) => completed.some((t) => t.name === n))) return undefined;
  // The engine's rules for a step's writes (a step without Sends here).
  const taskWrites = completed.map((t) => ({ node: t.name, send: false, update: t.update }));
  const writes = inTaskPathOrder(taskWrites).flatMap((t) => (t.update ? [t.update] : []));
  if (!canMergeInEngine(spec.channels, writes) || conflictingWrite(spec.channels, taskWrites)) return undefined;
  const triggers = nextTriggers(spec, completed, joins);
  if (triggers.length === 0) return undefined;
  for (const name of triggers) {
    const node = spec.nodes.find((n) => n.name === name);
    if (node?.local !== true || node.subgraph || spec.interruptBefore?.includes(name)) return undefined;
  }
  return { triggers, writes };
}

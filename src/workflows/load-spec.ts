/**
 * The graph shape a run interprets: from its start input, or, for a thread started by name (the `temporal` CLI,
 * another SDK), asked of a worker once and recorded in history (a local Activity's result).
 * Determinism: the spec comes only from history; a spec newer than this worker fails the workflow task (retried).
 */
import { proxySinks, workflowInfo } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { failure } from '../protocol/failures.js';
import type { RunInput } from '../protocol/payloads.js';
import { SPEC_VERSION, type GraphSpec } from '../protocol/spec.js';
import { readSpec } from '../protocol/spec-wire.js';
import type { GraphSinks } from '../protocol/sinks.js';
import type { RunState } from './run-state.js';
import { coordination } from './coordination.js';

const sinks = proxySinks<GraphSinks>();

/** The run's spec and its input (a worker parses the input of a thread started by name). */
export async function loadSpec(
  state: RunState,
  run: RunInput,
): Promise<{ spec: GraphSpec; input: Record<string, unknown> | null }> {
  const { threadId, graph } = state;
  let recorded: unknown = run.spec;
  let input = run.input ?? null;
  if (recorded === undefined || recorded === null) {
    // Started by name (CLI, another SDK): ask a worker for the shape and record it in history.
    ({ spec: recorded, input } = await coordination.describeGraph({ graph, threadId, input }));
  }
  const spec = readSpec(recorded, graph);
  if (!spec)
    throw failure(
      ErrorCode.INVALID_INPUT,
      `Thread "${threadId}" was started with a "spec" in its input that is not a graph spec. Start it with {"input": {...}} alone: a worker supplies the shape of graph "${graph}".`,
      { threadId },
    );
  if (spec.specVersion > SPEC_VERSION) {
    // Not the run's failure: a newer worker can run it. The workflow task fails and retries until one does.
    throw new Error(
      `Thread "${threadId}" was started with graph spec version ${spec.specVersion}, newer than this worker understands (${SPEC_VERSION}). ` +
        `Its workflow task is retried: upgrade durable-graph on the workers of task queue "${workflowInfo().taskQueue}" and the thread continues.`,
    );
  }
  if (spec.name !== graph) {
    throw failure(
      ErrorCode.UNKNOWN_GRAPH,
      `Thread "${threadId}" has Workflow Type "${graph}" but its graph spec is named "${spec.name}". Start it with the graph's name as the Workflow Type.`,
      { threadId, graph, known: [] },
    );
  }
  // The worker warns when its own graph of this name has changed since the thread started (worker/spec-drift.ts).
  sinks.durableGraph.runsOnSpec(spec.hash);
  return { spec, input };
}

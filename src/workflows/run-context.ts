/**
 * What the parts of the engine (runner, subgraphs, local segments, values, updateState) need of the run they serve.
 * Determinism: types only.
 */
import type { ApplicationFailure } from '@temporalio/workflow';
import type { RunInput, SendSpec } from '../protocol/payloads.js';
import type { GraphSpec, NodeSpec } from '../protocol/spec.js';
import type { RunState } from './run-state.js';
import type { StreamLog } from './stream-log.js';
import type { ValuesQueue } from './values.js';

export interface RunContext {
  readonly state: RunState;
  /** The run's input (a subgraph's run has `parent`). */
  readonly input: RunInput;
  /** The recorded spec; only read once it is loaded. */
  readonly spec: GraphSpec;
  readonly stream: StreamLog;
  readonly values: ValuesQueue;
  /** Notes a change to the state (its `updatedAt`). */
  touch(): void;
  /** Writes the visibility of the current status (search attributes, memo, details). */
  publish(): void;
  /** The failure that ends the run when `node` (or START, or a merge) failed after its retries. */
  failureOf(node: string, error: unknown): ApplicationFailure;
  /**
   * The destinations of `node`'s conditional edges, evaluated on the thread state with `writes` applied, for a node
   * whose output did not come from its own Activity (updateState asNode, a subgraph).
   */
  routeFrom(node: NodeSpec, writes: Record<string, unknown>[]): Promise<Array<string | SendSpec>>;
}

/**
 * The workflow sinks the engine calls on its worker: fire-and-forget calls out of the sandbox that history does not
 * record. Sandbox-safe (types only).
 */
import type { Sinks } from '@temporalio/workflow';

export interface GraphSinks extends Sinks {
  durableGraph: {
    /** The run interprets the spec with this hash: the worker warns when its own graph of that name differs. */
    runsOnSpec(hash: string): void;
  };
}

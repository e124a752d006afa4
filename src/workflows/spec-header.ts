/**
 * The engine's workflow interceptors: a run reads the spec its starter sent as a header (protocol/spec-header.ts),
 * and a subgraph's child run (or the run a long run continues as new into) is started with its spec the same way, so
 * no run's input shows the graph's shape.
 * Determinism: headers are part of the recorded start event and of the start-child command.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { headersWithSpec, specFromHeader } from '../protocol/spec-header.js';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [{ execute: (input, next) => next({ ...input, args: specFromHeader(input.args, input.headers) }) }],
  outbound: [
    {
      startChildWorkflowExecution: (input, next) =>
        next({ ...input, headers: headersWithSpec(input.options.args ?? [], input.headers) }),
      // A run that continues as new sends its spec on the same way.
      continueAsNew: (input, next) => next({ ...input, headers: headersWithSpec(input.args, input.headers) }),
    },
  ],
});

/**
 * Passes the run's trace context on: the header Temporal's OpenTelemetry client interceptor sent with the start goes,
 * unchanged, to every Activity and child run the engine starts, so node spans on workers join the run's trace.
 * Determinism: copies a header of the recorded start event; no random, clock or sink; only command headers change,
 * and replay does not compare them. Bundled only when the worker's telemetry is on.
 */
import type { Headers } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The header Temporal's OpenTelemetry interceptors carry the trace context in (`TRACE_HEADER` in the package). */
export const TRACE_HEADER = '_tracer-data';

/**
 * Not the package's own Workflow interceptors: they make span ids with the sandbox's seeded Math.random, which
 * shifts every uuid4() the engine draws after them, and so its Activity ids. Threads started before a worker turned
 * them on (or after it turned them off) would then fail to replay.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let trace: Headers[string] | undefined;
  const withTrace = <I extends { headers: Headers }>(input: I): I =>
    trace === undefined || input.headers[TRACE_HEADER] !== undefined
      ? input
      : { ...input, headers: { ...input.headers, [TRACE_HEADER]: trace } };
  return {
    inbound: [
      {
        execute(input, next) {
          trace = input.headers[TRACE_HEADER];
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withTrace(input)),
        scheduleLocalActivity: (input, next) => next(withTrace(input)),
        startChildWorkflowExecution: (input, next) => next(withTrace(input)),
        continueAsNew: (input, next) => next(withTrace(input)),
      },
    ],
  };
};

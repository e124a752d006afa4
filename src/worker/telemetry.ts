/**
 * The worker's side of OpenTelemetry tracing, built from Temporal's interceptors package: each Activity runs in a
 * span (`RunActivity:<type>`) whose parent comes from the trace header the Workflow passes on (trace-context.ts in
 * the engine), and the node runs in that span. A node's Activity Type is its name, so its span is named after the
 * node; it gets the node's attributes here. Nodes of a local segment share one Activity: each gets a span of its
 * own under the segment's (`RunNode:<node>`). The package is imported only when telemetry is on.
 */
import type { Span } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { NodeObserver } from '../activities/node-execution.js';
import type { NodeResult } from '../protocol/payloads.js';
import { loadTelemetryPackages } from '../server/telemetry-packages.js';
import type { TelemetryOptions } from '../server/telemetry-options.js';

export interface WorkerTelemetry {
  /** Put first, so that the Activity's span encloses everything else that runs for it. */
  activity: ActivityInterceptorsFactory[];
  /** For the Worker's client: a graph a node calls with `invoke()` starts its child thread in the node's trace. */
  clientWorkflow: WorkflowClientInterceptor[];
  observe: NodeObserver;
}

/** The span name of a node run inside a local segment. */
export const SEGMENT_NODE_SPAN = 'RunNode';

export async function workerTelemetry(options: true | TelemetryOptions): Promise<WorkerTelemetry> {
  const { api, interceptors, tracer } = await loadTelemetryPackages(options, 'createWorker({ telemetry })');
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } = interceptors;

  const finish = (span: Span, result: NodeResult): NodeResult => {
    span.setAttribute('outcome', result.kind);
    return result;
  };
  const observe: NodeObserver = async (execution, ownActivity, run) => {
    const attributes = { ...execution };
    // The node's own Activity: its span is the node's (without a context manager there is none: make one).
    const activitySpan = ownActivity ? api.trace.getActiveSpan() : undefined;
    if (activitySpan) {
      activitySpan.setAttributes(attributes);
      return finish(activitySpan, await run());
    }
    return tracer.startActiveSpan(`${SEGMENT_NODE_SPAN}:${execution.node}`, { attributes }, async (span) => {
      try {
        const result = finish(span, await run());
        span.setStatus({ code: api.SpanStatusCode.OK });
        return result;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  };

  return {
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    clientWorkflow: [new interceptors.OpenTelemetryWorkflowClientInterceptor({ tracer })],
    observe,
  };
}

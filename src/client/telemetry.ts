/**
 * The client's side of OpenTelemetry tracing: Temporal's client interceptor starts each run in a span
 * (`StartWorkflow:<graph>`) and sends its context as a header; the engine hands it to every node's Activity, so the
 * run's node spans are in that trace. The package is imported only when telemetry is on.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { loadTelemetryPackages } from '../server/telemetry-packages.js';
import type { TelemetryOptions } from '../server/telemetry-options.js';

/** The client interceptors that trace what the client sends (starts, resumes, queries). */
export async function clientTelemetry(options: true | TelemetryOptions): Promise<WorkflowClientInterceptor[]> {
  const { interceptors, tracer } = await loadTelemetryPackages(options, 'GraphClient.connect({ telemetry })');
  return [new interceptors.OpenTelemetryWorkflowClientInterceptor({ tracer })];
}

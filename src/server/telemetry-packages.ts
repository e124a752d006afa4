/**
 * Loads the optional OpenTelemetry packages when telemetry is turned on, and only then: a user who never turns it on
 * needs neither installed, and neither is loaded.
 */
import type * as OtelApi from '@opentelemetry/api';
import type * as TemporalOtel from '@temporalio/interceptors-opentelemetry';
import type { TelemetryOptions } from './telemetry-options.js';

/** The name durable-graph's spans are recorded under (the instrumentation scope). */
export const TRACER_NAME = 'durable-graph';

export interface TelemetryPackages {
  api: typeof OtelApi;
  interceptors: typeof TemporalOtel;
  /** The tracer of the option's provider, else of the global one. */
  tracer: OtelApi.Tracer;
}

/**
 * Imports `@opentelemetry/api` and `@temporalio/interceptors-opentelemetry`.
 * @param caller how the user turned telemetry on, for the message when a package is missing.
 */
export async function loadTelemetryPackages(
  options: true | TelemetryOptions,
  caller: string,
): Promise<TelemetryPackages> {
  try {
    const api = await import('@opentelemetry/api');
    const interceptors = await import('@temporalio/interceptors-opentelemetry');
    const provider = options === true ? undefined : options.tracerProvider;
    const tracer = (provider ?? api.trace.getTracerProvider()).getTracer(TRACER_NAME) as OtelApi.Tracer;
    return { api, interceptors, tracer };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      `${caller} turns OpenTelemetry tracing on, but its packages are not installed (${(error as Error).message}). ` +
        'Install them beside durable-graph: npm install @temporalio/interceptors-opentelemetry @opentelemetry/api ' +
        '(the first at the version of your other @temporalio packages), or leave the telemetry option out.',
      { cause: error },
    );
  }
}

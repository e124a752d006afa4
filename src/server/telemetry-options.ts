/**
 * The `telemetry` option of createWorker() and GraphClient.connect(): OpenTelemetry tracing through Temporal's own
 * interceptors. Typed without OpenTelemetry's types, so that users who never turn it on need none of its packages.
 */

/** An OpenTelemetry `TracerProvider` (from `@opentelemetry/api`, or an SDK's provider), as durable-graph uses it. */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): object;
}

/** Where spans go when telemetry is on. */
export interface TelemetryOptions {
  /**
   * The provider whose tracer records the spans. The active span and the trace context sent between client,
   * Workflow and Activities come from the global OpenTelemetry API either way: register a context manager and a
   * propagator as usual (the OpenTelemetry Node SDK, or `provider.register()` of a Node tracer provider, does).
   * @default the global tracer provider
   */
  tracerProvider?: TracerProviderLike;
}

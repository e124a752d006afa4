/**
 * Where a run's graph spec travels when a durable-graph client or a parent run starts it: in a Temporal header, not
 * in the workflow's input. The Web UI and `temporal workflow show` then show the input as the caller wrote it
 * (`{"input": {...}}`), and the start event still records the shape the run interprets. A starter that sends no
 * header (the `temporal` CLI, another SDK) may put the spec in the input, or leave it out: the run then asks a
 * worker for it (`describeGraph`). Headers skip payload codecs, so the spec is encoded with the default converter
 * on both sides. Sandbox-safe.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { RunInput } from './payloads.js';
import { packSpec } from './spec-wire.js';
import type { GraphSpec } from './spec.js';

export const SPEC_HEADER = 'durable-graph-spec';

/**
 * Where a run input holds the spec to send: a symbol key, which JSON leaves out and object spreads keep, so only
 * inputs made by durable-graph carry one (a workflow of the user's started through the same client is untouched).
 */
const SPEC_TO_SEND = Symbol.for('durable-graph.spec-to-send');

/** `run`, carrying `spec` for the interceptors to send as a header. */
export function withSpecToSend(run: RunInput, spec: GraphSpec): RunInput {
  return Object.assign(run, { [SPEC_TO_SEND]: packSpec(spec) });
}

/** The start's headers with the spec its first argument carries (JSON drops the symbol key from the input). */
export function headersWithSpec(args: readonly unknown[], headers: Headers): Headers {
  const spec = (args[0] as Record<symbol, unknown> | null | undefined)?.[SPEC_TO_SEND];
  return spec === undefined ? headers : { ...headers, [SPEC_HEADER]: defaultPayloadConverter.toPayload(spec) };
}

/** The run's arguments with the spec from the headers put as the first argument's `spec`. */
export function specFromHeader(args: readonly unknown[], headers: Headers): unknown[] {
  const payload = headers[SPEC_HEADER];
  if (!payload) return [...args];
  const run = (args[0] ?? {}) as RunInput;
  return [{ ...run, spec: defaultPayloadConverter.fromPayload(payload) }, ...args.slice(1)];
}

/**
 * The client interceptor that sends a started run's spec as a header, for every way a client starts a run. Typed
 * structurally so that protocol/ needs no `@temporalio/client`; `Client({ interceptors: { workflow: [it] } })`.
 */
export const specHeaderClientInterceptor = {
  startWithDetails: withSpecHeader,
  signalWithStart: withSpecHeader,
  startUpdateWithStart<I extends { workflowStartOptions: { args: unknown[] }; workflowStartHeaders: Headers }, O>(
    input: I,
    next: (input: I) => Promise<O>,
  ): Promise<O> {
    const workflowStartHeaders = headersWithSpec(input.workflowStartOptions.args, input.workflowStartHeaders);
    return next({ ...input, workflowStartHeaders });
  },
};

/** A start (or signal-with-start) with the spec its run input carries in its headers. */
function withSpecHeader<I extends { options: { args: unknown[] }; headers: Headers }, O>(
  input: I,
  next: (input: I) => Promise<O>,
): Promise<O> {
  return next({ ...input, headers: headersWithSpec(input.options.args, input.headers) });
}

/**
 * The graph spec a run recorded at its start: the spec header of its start event (durable-graph's clients and parent
 * runs send it there), the `spec` of its input (another starter may put it there), or the `describeGraph` local
 * Activity's result in the run's first workflow task (a run started by name). For readers that must know how the
 * run behaves without a worker, e.g. whether it publishes its pauses (`compile({ publishPauses: false })`).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { RunInput } from '../../protocol/payloads.js';
import { SPEC_HEADER } from '../../protocol/spec-header.js';
import { readSpec } from '../../protocol/spec-wire.js';
import type { GraphSpec } from '../../protocol/spec.js';
import { LOCAL_ACTIVITY_MARKER, firstPayloadDecoder, type HistoryEvent } from './history-events.js';
import { resolveStoredPayloads } from './stored-payloads.js';

/** The spec is recorded within the first workflow task: a few events suffice. */
const FIRST_PAGE = 20;

type StartedAttributes = NonNullable<HistoryEvent['workflowExecutionStartedEventAttributes']>;

/** The run's recorded spec, or undefined when its first events hold none (a run that failed to load it). */
export async function readRecordedSpec(
  client: Client,
  threadId: string,
  runId: string,
): Promise<GraphSpec | undefined> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: threadId, runId },
    maximumPageSize: FIRST_PAGE,
  });
  // Only the events read below, should their payloads be in External Storage: not every large state on the page.
  const resolve = (event: object) =>
    resolveStoredPayloads({ events: [event] }, client.options.loadedDataConverter, threadId);
  const decodeFirst = firstPayloadDecoder(client.options.loadedDataConverter);
  let graph = '';
  for (const event of history?.events ?? []) {
    if (event.workflowExecutionStartedEventAttributes) {
      await resolve(event);
      const attributes = event.workflowExecutionStartedEventAttributes;
      graph = attributes.workflowType?.name ?? '';
      const spec = specOfStart(attributes, await decodeFirst<RunInput | null>(attributes.input));
      if (spec) return spec;
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      await resolve(event);
      const result = await decodeFirst<unknown>(event.markerRecordedEventAttributes.details?.result).catch(
        () => undefined,
      );
      const spec = specOfDescribeResult(result, graph);
      if (spec) return spec;
    }
  }
  return undefined;
}

/** The spec a start event records (header first, then the input's), or undefined. */
export function specOfStart(attributes: StartedAttributes, input: RunInput | null | undefined): GraphSpec | undefined {
  const header = attributes.header?.fields?.[SPEC_HEADER];
  let wire: unknown = input?.spec;
  if (header) {
    try {
      wire = defaultPayloadConverter.fromPayload(header as Payload);
    } catch {
      // not ours: any client can write headers
    }
  }
  return readSpec(wire, attributes.workflowType?.name ?? '');
}

/**
 * The spec in a `describeGraph` result (`{ spec, input }`) of a run of graph `graph`, or undefined for any other
 * local Activity's result.
 */
export function specOfDescribeResult(result: unknown, graph: string): GraphSpec | undefined {
  const wire = (result as { spec?: unknown } | null | undefined)?.spec;
  return readSpec(wire, graph);
}

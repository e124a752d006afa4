/**
 * The graph spec a run recorded at its start (the workflow input, or the `describeGraph` local Activity's result
 * in the run's first workflow task), read from the first page of its history. For readers that must know how the
 * run behaves without a worker, e.g. whether it publishes its pauses (`compile({ publishPauses: false })`).
 */
import type { Client } from '@temporalio/client';
import type { GraphSpec } from '../../protocol/spec.js';
import type { RunInput } from '../../protocol/payloads.js';
import { LOCAL_ACTIVITY_MARKER, firstPayloadDecoder } from './history-events.js';

/** The spec is recorded within the first workflow task: a few events suffice. */
const FIRST_PAGE = 20;

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
  const decodeFirst = firstPayloadDecoder(client.options.loadedDataConverter);
  for (const event of history?.events ?? []) {
    if (event.workflowExecutionStartedEventAttributes) {
      const input = await decodeFirst<RunInput | null>(event.workflowExecutionStartedEventAttributes.input);
      if (isSpec(input?.spec)) return input.spec;
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      const result = await decodeFirst<{ spec?: unknown }>(event.markerRecordedEventAttributes.details?.result).catch(
        () => undefined,
      );
      if (isSpec(result?.spec)) return result.spec;
    }
  }
  return undefined;
}

/** A graph spec as history holds it: a name and named nodes (any client can write history, so it is checked). */
export function isSpec(value: unknown): value is GraphSpec {
  const spec = value as { name?: unknown; nodes?: unknown } | null | undefined;
  return (
    !!spec &&
    typeof spec === 'object' &&
    typeof spec.name === 'string' &&
    Array.isArray(spec.nodes) &&
    spec.nodes.every((n) => typeof (n as { name?: unknown } | null)?.name === 'string')
  );
}

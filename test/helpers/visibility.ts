/** Waiting on Temporal's Visibility, which is eventually consistent. */
import type { GraphClient } from '../../src/client.js';
import { eventually } from './temporal-cli.js';

/** Waits until the list query `query` finds thread `id`. */
export function listedAs(client: GraphClient, id: string, query: string): Promise<true> {
  return eventually(async () => {
    for await (const info of client.temporal.workflow.list({ query: `${query} AND WorkflowId="${id}"` }))
      if (info.workflowId === id) return true;
    return undefined;
  }, `thread ${id} listed by ${query}`);
}

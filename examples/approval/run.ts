/**
 * Starts a thread of the approval graph and prints the pause; resume it with the printed command,
 * or run this again with `--resume <thread> <json>`.
 */
// #region run
import { Command } from 'durable-graph';
import { GraphClient } from 'durable-graph/client';
import { approvalGraph } from './graph.js';

const client = await GraphClient.connect();
const graph = client.graph(approvalGraph);
const [flag, thread, value] = process.argv.slice(2);
if (flag === '--resume' && thread) {
  const done = await graph.invoke(new Command({ resume: JSON.parse(value ?? 'true') }), {
    configurable: { thread_id: thread },
  });
  console.log(done);
} else {
  const config = { configurable: { thread_id: `approval-${Date.now()}` } };
  const paused = await graph.invoke({ request: flag ?? 'Q3 report' }, config);
  console.log(paused.__interrupt__);
  console.log(
    `resume: temporal workflow signal --workflow-id ${config.configurable.thread_id} --name resume --input '{"resume": true}'`,
  );
}
await client.close();
// #endregion run

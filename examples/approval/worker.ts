/**
 * Runs a worker hosting the approval graph against TEMPORAL_ADDRESS (default localhost:7233).
 * `npx tsx --conditions=durable-graph-source examples/approval/worker.ts`
 */
// #region worker
import { createWorker } from 'durable-graph/worker';
import { approvalGraph } from './graph.js';

const worker = await createWorker({ graphs: [approvalGraph] });
console.log('Worker hosting graph "approval" on task queue "durable-graph". Ctrl-C to stop.');
await worker.run();
// #endregion worker

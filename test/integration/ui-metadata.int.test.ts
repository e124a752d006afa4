/**
 * What the Temporal Web UI reads about a thread, checked through the same APIs it uses: the run's static summary and
 * details (which graph, which thread, what it started with), its Input (the state input only, not the graph's
 * shape), and the metadata Query that fills the UI's Signal form (only `resume`, with its description).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command, END, START, StateGraph, interrupt } from '../../src/index.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

interface WorkflowMetadata {
  definition: {
    signalDefinitions: Array<{ name: string; description?: string }>;
    queryDefinitions: Array<{ name: string }>;
    updateDefinitions: Array<{ name: string }>;
  };
  currentDetails: string;
}

const metadataOf = (env: GraphTestEnv, workflowId: string) =>
  env.client.temporal.workflow.getHandle(workflowId).query<WorkflowMetadata>('__temporal_workflow_metadata');

const Shared = z.object({ topic: z.string(), answer: z.string().optional() });
const child = new StateGraph(Shared)
  .addNode('child_ask', (s) => ({ answer: interrupt<string>({ question: `About ${s.topic}?` }) }))
  .addEdge(START, 'child_ask')
  .addEdge('child_ask', END)
  .compile({ name: 'ui-child' });
const parent = new StateGraph(Shared)
  .addNode('sub', child)
  .addEdge(START, 'sub')
  .addEdge('sub', END)
  .compile({ name: 'ui-parent' });

describe('what the Web UI shows about a thread', () => {
  it('starts each run with a summary and details naming the thread, the graph and its input; the Input holds no graph shape', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('ui-static');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, { configurable: { thread_id: thread } });
      const handle = env.client.temporal.workflow.getHandle(thread);
      const description = await handle.describe();
      assert.equal(
        await description.staticSummary(),
        `Thread \`${thread}\` of graph \`approval\`: the input \`{"request":"Q3 report"}\``,
      );
      const details = (await description.staticDetails())!;
      assert.ok(details.startsWith('**Started with** the input:'), details);
      assert.match(details, /```json\n\{\n {2}"request": "Q3 report"\n\}\n```/);

      // The Input panel shows the start event's input: the state input, while the graph's shape travels in a header.
      const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
      const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8'));
      assert.deepEqual(input, { input: { request: 'Q3 report' } });
      assert.ok(started.header?.fields?.['durable-graph-spec'], 'the shape is in the header');
    });
  });

  it('offers only the resume Signal, with its description, in the Signal form; also while a subgraph is paused', async () => {
    await withGraphs([approvalGraph, parent], async (env) => {
      const plain = threadId('ui-signals');
      await env.client.graph(approvalGraph).invoke({ request: 'x' }, { configurable: { thread_id: plain } });
      const nested = threadId('ui-signals-sub');
      const paused = await env.client.graph(parent).invoke({ topic: 'Q3' }, { configurable: { thread_id: nested } });
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [{ question: 'About Q3?' }],
        "the child's pause is the parent's",
      );
      for (const id of [plain, nested]) {
        const { definition } = await metadataOf(env, id);
        assert.deepEqual(
          definition.signalDefinitions.map((s) => s.name),
          ['resume'],
          `${id}: no internal Signal is listed`,
        );
        assert.match(
          definition.signalDefinitions[0]!.description!,
          /^Resume a paused thread\. Input: \{"resume": <value>\}/,
        );
      }

      // The child run (a subgraph node) has its own summary and details, naming the node and thread it serves.
      const { tasks } = await env.client.graph(parent).getState({ configurable: { thread_id: nested } });
      const childId = (tasks[0]!.state as { configurable: { thread_id: string } }).configurable.thread_id;
      const childDetails = (await (await env.client.temporal.workflow.getHandle(childId).describe()).staticDetails())!;
      assert.match(childDetails, new RegExp(`A subgraph run: node \`sub\` of thread \`${nested}\`\\.`));

      // The internal Signal still reaches the parent: answering the child's pause finishes both.
      const done = await env.client.graph(parent).invoke(new Command({ resume: 'yes' }), {
        configurable: { thread_id: nested },
      });
      assert.equal(done.answer, 'yes');
    });
  });
});

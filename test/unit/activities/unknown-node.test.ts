import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { unknownNodeError } from '../../../src/activities/unknown-node.js';
import { END, START, StateGraph } from '../../../src/index.js';

const graph = new StateGraph(z.object({ x: z.number().optional() }))
  .addNode('draft', () => ({}))
  .addEdge(START, 'draft')
  .addEdge('draft', END)
  .compile({ name: 'support' });

describe('unknownNodeError', () => {
  it("names the thread, the node, the worker's build and the move command on a versioned worker", () => {
    const error = unknownNodeError(
      graph,
      { threadId: 'order-42', node: 'review' },
      { deploymentName: 'support', buildId: 'b2' },
    );
    assert.equal(error.code, 'UNKNOWN_NODE');
    assert.equal(error.threadId, 'order-42');
    assert.equal(error.node, 'review');
    assert.match(error.message, /^Thread "order-42" needs node "review" of graph "support"/);
    assert.match(
      error.message,
      /this worker \(build "b2" of deployment "support", the version the thread runs on\) does not have/,
    );
    assert.match(error.message, /durable-graph move order-42 --build-id <build>/);
  });

  it('tells an unversioned worker to keep a capable worker running and to deploy with versioning', () => {
    const error = unknownNodeError(graph, { threadId: 't', node: 'review' });
    assert.match(error.message, /this worker \(not versioned\)/);
    assert.match(error.message, /createWorker\(\{ deployment \}\)/);
  });
});

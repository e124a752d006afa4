import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import { END, START, StateGraph } from '../../../src/index.js';
import { specDriftSinks } from '../../../src/worker/spec-drift.js';

const graph = new StateGraph(z.object({ n: z.number() }))
  .addNode('a', (s) => ({ n: s.n + 1 }))
  .addEdge(START, 'a')
  .addEdge('a', END)
  .compile({ name: 'drift' });

function sinkWith(warnings: string[]) {
  const sinks = specDriftSinks([graph], (message) => warnings.push(message));
  const info = (workflowId: string, workflowType = 'drift') => ({ workflowId, workflowType }) as WorkflowInfo;
  return (workflowId: string, hash: string, workflowType?: string): void => {
    void sinks.durableGraph.runsOnSpec.fn(info(workflowId, workflowType), hash);
  };
}

describe('the runsOnSpec sink', () => {
  it('warns once per thread when the recorded spec differs from the worker graph, naming both', () => {
    const warnings: string[] = [];
    const runsOnSpec = sinkWith(warnings);
    runsOnSpec('t1', 'old-hash');
    runsOnSpec('t1', 'old-hash');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Thread "t1".*spec old-hash.*graph "drift" has changed/);
    assert.ok(warnings[0]!.includes(graph.spec.hash));
    runsOnSpec('t2', 'old-hash');
    assert.equal(warnings.length, 2);
  });

  it('says nothing when the shapes match or the graph is not hosted here', () => {
    const warnings: string[] = [];
    const runsOnSpec = sinkWith(warnings);
    runsOnSpec('t1', graph.spec.hash);
    runsOnSpec('t2', 'other', 'not_hosted');
    assert.deepEqual(warnings, []);
  });

  it('is called on replay too, so a worker that picks a thread up after a restart also warns', () => {
    assert.equal(specDriftSinks([graph]).durableGraph.runsOnSpec.callDuringReplay, true);
  });
});

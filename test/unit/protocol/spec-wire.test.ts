import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { END, START, StateGraph, appendReducer, withReducer } from '../../../src/index.js';
import { isWireSpec, packSpec, readSpec, unpackSpec } from '../../../src/protocol/spec-wire.js';

const State = z.object({
  topic: z.string(),
  log: withReducer(z.array(z.string()), appendReducer, () => ['start']),
  count: z.number().default(0),
});
const noop = () => ({});

const child = new StateGraph(State)
  .addNode('inner', noop, { retryPolicy: { maxAttempts: 7 } })
  .addEdge(START, 'inner')
  .addEdge('inner', END)
  .compile({ name: 'wire_child' });

const graphs = {
  'a chain with default options': new StateGraph(State)
    .addNode('a', noop)
    .addNode('b', noop)
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('b', END)
    .compile({ name: 'wire_chain' }),
  'every node option, joins, routers, breakpoints and a subgraph': new StateGraph(State)
    .addNode('plan', noop, { ends: ['fix'], timeout: '30s', heartbeatTimeout: 5000 })
    .addNode('fix', noop, {
      local: true,
      retryPolicy: { initialInterval: 100, backoffFactor: 3, maxInterval: 1000, nonRetryableErrors: ['Fatal'] },
    })
    .addNode('check', noop, { local: false })
    .addNode('sub', child)
    .addNode('join', noop)
    .addEdge(START, 'plan')
    .addConditionalEdges('plan', () => 'check', { ok: 'check', again: 'fix' })
    .addConditionalEdges('check', () => END)
    .addEdge('fix', 'sub')
    .addEdge(['sub', 'check'], 'join')
    .addEdge('join', END)
    .compile({ name: 'wire_all', interruptBefore: ['check'], interruptAfter: ['join'], publishPauses: false }),
};

describe('the recorded spec (packSpec / unpackSpec)', () => {
  for (const [label, graph] of Object.entries(graphs)) {
    it(`gives back the compiled spec, field for field: ${label}`, () => {
      const wire = JSON.parse(JSON.stringify(packSpec(graph.spec)));
      assert.equal(isWireSpec(wire), true);
      const unpacked = unpackSpec(wire, graph.name);
      assert.deepEqual(unpacked, graph.spec);
      assert.equal(JSON.stringify(unpacked), JSON.stringify(graph.spec), 'the same fields in the same order');
      assert.ok(JSON.stringify(wire).length < JSON.stringify(graph.spec).length / 2, 'at most half the bytes');
    });
  }

  it('reads the nodes of a spec that names no heartbeat default (recorded by 0.1) with the 60 s they were started with', () => {
    const graph = graphs['a chain with default options'];
    const { heartbeatTimeoutMs, ...legacy } = packSpec(graph.spec);
    assert.equal(heartbeatTimeoutMs, 10_000, 'new specs name the default their nodes run with');
    const unpacked = unpackSpec(JSON.parse(JSON.stringify(legacy)), graph.name);
    assert.deepEqual(
      unpacked.nodes.map((n) => n.heartbeatTimeoutMs),
      [60_000, 60_000],
    );
  });

  it('writes a node with default options as its name, and a field with no default as its reducer', () => {
    const wire = packSpec(graphs['a chain with default options'].spec);
    assert.deepEqual(wire.nodes, ['a', 'b']);
    assert.deepEqual(wire.edges, [[START, 'a', 'b', END]], 'a chain of plain edges is one path');
    assert.equal('name' in wire || 'hash' in wire || 'specVersion' in wire, false);
    assert.deepEqual(wire.channels, {
      topic: 'last',
      log: { reducer: 'append', default: ['start'] },
      count: { reducer: 'last', default: 0 },
    });
    assert.equal('branches' in wire, false);
  });

  it('keeps only the retry fields that differ from the default', () => {
    const wire = packSpec(graphs['every node option, joins, routers, breakpoints and a subgraph'].spec);
    const fix = wire.nodes.find((n) => typeof n !== 'string' && n.name === 'fix');
    assert.deepEqual(fix, {
      name: 'fix',
      retryPolicy: { initialInterval: 100, backoffFactor: 3, maxInterval: 1000, nonRetryableErrors: ['Fatal'] },
      local: true,
    });
    assert.deepEqual(wire.edges, [
      [START, 'plan'],
      ['fix', 'sub'],
      { join: ['sub', 'check'], to: 'join' },
      ['join', END],
    ]);
    const sub = wire.nodes.find((n) => typeof n !== 'string' && n.name === 'sub');
    assert.equal(typeof sub !== 'string' && sub?.subgraph?.name, 'wire_child', "a subgraph's spec keeps its name");
  });

  it('reads a whole compiled spec as it is, and a recorded one unpacked (readSpec)', () => {
    const graph = graphs['every node option, joins, routers, breakpoints and a subgraph'];
    assert.deepEqual(readSpec(JSON.parse(JSON.stringify(graph.spec)), graph.name), graph.spec);
    assert.deepEqual(readSpec(JSON.parse(JSON.stringify(packSpec(graph.spec))), graph.name), graph.spec);
    for (const value of [
      undefined,
      { nodes: ['a'], edges: [['a']], channels: {} },
      { nodes: [{}], edges: [], channels: {} },
    ])
      assert.equal(readSpec(value, 'g'), undefined);
  });

  it("keeps only the engine's retry fields, so a LangGraph policy's extra ones (jitter) leave the hash as recorded", () => {
    const ported = new StateGraph(State)
      .addNode('a', noop, { retryPolicy: { maxAttempts: 5, jitter: true, logWarning: false } as never })
      .addEdge(START, 'a')
      .compile({ name: 'wire_ported' });
    assert.deepEqual(Object.keys(ported.spec.nodes[0]!.retryPolicy).sort(), [
      'backoffFactor',
      'initialInterval',
      'maxAttempts',
      'maxInterval',
      'nonRetryableErrors',
    ]);
    assert.equal(unpackSpec(packSpec(ported.spec), ported.name).hash, ported.spec.hash);
  });

  it('refuses what is not a recorded spec', () => {
    for (const value of [
      null,
      {},
      { nodes: [1], edges: [], channels: {} },
      { nodes: [], edges: {}, channels: {} },
      'spec',
    ])
      assert.equal(isWireSpec(value), false);
  });
});

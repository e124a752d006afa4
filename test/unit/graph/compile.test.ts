import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { GraphDefinitionError, isDurableGraphError } from '../../../src/errors.js';
import type { CompiledGraph } from '../../../src/graph/compiled-graph.js';
import { appendReducer, registry, withReducer } from '../../../src/graph/state.js';
import { StateGraph } from '../../../src/graph/state-graph.js';
import { END, START } from '../../../src/protocol/spec.js';

const State = z.object({ topic: z.string().optional(), done: z.boolean().optional() });
const noop = () => ({});

/** Compiles `build()`'s graph and returns the GraphDefinitionError it must throw. */
function definitionError(build: () => CompiledGraph<any, any>): GraphDefinitionError {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof GraphDefinitionError, `expected a GraphDefinitionError, got ${String(error)}`);
    assert.ok(isDurableGraphError(error));
    assert.equal(error.code, 'GRAPH_DEFINITION');
    return error;
  }
  assert.fail('compile() did not throw');
}

/** Asserts that exactly one problem matches each pattern, and that the message lists it. */
function assertProblems(error: GraphDefinitionError, patterns: readonly RegExp[]): void {
  for (const pattern of patterns) {
    const matches = error.problems.filter((p) => pattern.test(p));
    assert.equal(matches.length, 1, `expected one problem matching ${pattern}, got:\n${error.problems.join('\n')}`);
    assert.ok(error.message.includes(`  - ${matches[0]}`), `the message lists "${matches[0]}"`);
  }
}

describe('StateGraph.compile() validation', () => {
  it('lists every problem of a broken graph in one GraphDefinitionError', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop, { retryPolicy: { maxAttempts: 0 }, timeout: 'soon' })
        .addNode('a', noop)
        .addNode(START as 'x', noop)
        .addNode('lonely', noop)
        .addEdge(START, 'a')
        .addEdge('ghost' as 'a', 'a')
        .addEdge('a', 'nowhere' as 'a')
        .addConditionalEdges('a', () => 'left', { left: 'missing' as 'a', right: END })
        .compile({ name: 'broken graph' }),
    );
    assertProblems(error, [
      /compile\(\) needs a name .*"broken graph"/,
      /Node "a" is added twice/,
      /"__start__" is reserved/,
      /starts at unknown node "ghost"/,
      /leads to unknown node "nowhere" \(edge to nowhere\)/,
      /has path to unknown node "missing"/,
      /Node "lonely" is not reachable from START/,
      /Node "a": retryPolicy.maxAttempts must be an integer >= 1/,
      /Node "a" has an invalid timeout "soon"/,
    ]);
    assert.equal(error.problems.length, 9, error.problems.join('\n'));
    assert.match(error.message, /^Graph "broken graph" cannot be compiled:\n/);
    assert.match(error.message, /\[GRAPH_DEFINITION\] docs\/errors\.md#graph_definition$/);
  });

  it('reports an edge from an unknown node and an edge to an unknown node', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addEdge(START, 'a')
        .addEdge('typo' as 'a', END)
        .addEdge('a', 'tpyo' as 'a')
        .compile({ name: 'g' }),
    );
    assert.deepEqual(error.problems, [
      'Edge "typo" -> "__end__" starts at unknown node "typo".',
      'Edge from "a" leads to unknown node "tpyo" (edge to nowhere).',
    ]);
  });

  it('refuses edges that start at END, lead to START, or join START', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addNode('b', noop)
        .addEdge(START, 'a')
        .addEdge(END as 'a', 'b')
        .addEdge('a', START as 'b')
        .addEdge([START, 'a'], 'b')
        .compile({ name: 'g' }),
    );
    assertProblems(error, [/cannot start at END/, /cannot lead to START/, /START cannot be part of a join/]);
  });

  it('refuses a duplicate node name and both reserved names', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addNode('a', noop)
        .addNode(START as 'x', noop)
        .addNode(END as 'y', noop)
        .addEdge(START, 'a')
        .compile({ name: 'g' }),
    );
    assert.deepEqual(error.problems, [
      'Node "a" is added twice; node names must be unique.',
      '"__start__" is reserved and cannot be a node name.',
      '"__end__" is reserved and cannot be a node name.',
    ]);
  });

  it('reports a node reachable only through Command goto, and accepts it once it is listed in ends', () => {
    const build = (ends: string[]) =>
      new StateGraph(State)
        .addNode('router', noop, { ends: ends as never })
        .addNode('target', noop)
        .addEdge(START, 'router')
        .compile({ name: 'goto-only' });
    const error = definitionError(() => build([]));
    assert.equal(error.problems.length, 1);
    assert.match(
      error.problems[0]!,
      /Node "target" is not reachable from START\. .*addNode\("<from>", fn, \{ ends: \["target"\] \}\)/,
    );
    assert.deepEqual(
      build(['target']).spec.nodes.map((n) => [n.name, n.ends]),
      [
        ['router', ['target']],
        ['target', []],
      ],
    );
  });

  it('treats a node behind a conditional edge without a path map as reachable', () => {
    const compiled = new StateGraph(State)
      .addNode('a', noop)
      .addNode('b', noop)
      .addConditionalEdges(START, () => 'a')
      .compile({ name: 'g' });
    assert.deepEqual(compiled.spec.branches, [{ source: START, destinations: null }]);
  });

  it('reports a node only reachable through a join whose other source is unreachable', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addNode('island', noop)
        .addNode('joined', noop)
        .addEdge(START, 'a')
        .addEdge(['a', 'island'], 'joined')
        .compile({ name: 'g' }),
    );
    assert.deepEqual(
      error.problems.map((p) => /Node "(\w+)" is not reachable/.exec(p)?.[1]),
      ['island', 'joined'],
    );
  });

  it('reports a graph without an entry point', () => {
    const error = definitionError(() =>
      new StateGraph(State).addNode('a', noop).addEdge('a', END).compile({ name: 'g' }),
    );
    assertProblems(error, [/has no entry point: add addEdge\(START, "<first node>"\)/]);
  });

  it('reports a graph without nodes', () => {
    const error = definitionError(() => new StateGraph(State).compile({ name: 'g' }));
    assert.deepEqual(error.problems, ['The graph has no nodes: add at least one with addNode().']);
  });

  for (const [label, options] of [
    ['a missing name', {}],
    ['an empty name', { name: '' }],
    ['a name with a space', { name: 'my graph' }],
    ['a name with a slash', { name: 'a/b' }],
    ['no options at all', undefined],
  ] as const) {
    it(`refuses ${label} and says how to name the graph`, () => {
      const error = definitionError(() =>
        new StateGraph(State)
          .addNode('a', noop)
          .addEdge(START, 'a')
          .compile(options as never),
      );
      assert.equal(error.problems.length, 1);
      assert.match(
        error.problems[0]!,
        /^compile\(\) needs a name made of letters, digits and _ \. : - .*compile\(\{ name: "my-graph" \}\)/,
      );
    });
  }

  it('accepts names made of letters, digits and _ . : -', () => {
    const compiled = new StateGraph(State)
      .addNode('a', noop)
      .addEdge(START, 'a')
      .compile({ name: 'team_1.v2:agent-x' });
    assert.equal(compiled.name, 'team_1.v2:agent-x');
    assert.equal(compiled.spec.name, 'team_1.v2:agent-x');
  });

  it('reports a path map (object or array) naming an unknown node', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addNode('b', noop)
        .addEdge(START, 'a')
        .addConditionalEdges('a', () => 'b', { yes: 'b', no: 'nope' as 'b' })
        .addConditionalEdges('b', () => END, ['a', 'gone' as 'a', END])
        .compile({ name: 'g' }),
    );
    assert.deepEqual(error.problems, [
      'Conditional edge from "a" has path to unknown node "nope".',
      'Conditional edge from "b" has path to unknown node "gone".',
    ]);
  });

  it('reports a conditional edge from an unknown node and one without a router function', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addEdge(START, 'a')
        .addConditionalEdges('ghost' as 'a', () => END)
        .addConditionalEdges('a', 'not a function' as never)
        .compile({ name: 'g' }),
    );
    assertProblems(error, [
      /Conditional edge starts at unknown node "ghost"/,
      /needs a router function \(got string\)/,
    ]);
  });

  it('reports an unknown node in ends', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop, { ends: ['b' as never] })
        .addEdge(START, 'a')
        .compile({ name: 'g' }),
    );
    assert.deepEqual(error.problems, ['Node "a" lists unknown node "b" in ends.']);
  });

  const badRetries: Array<[string, object, RegExp]> = [
    ['maxAttempts 0', { maxAttempts: 0 }, /maxAttempts must be an integer >= 1/],
    ['fractional maxAttempts', { maxAttempts: 1.5 }, /maxAttempts must be an integer >= 1/],
    ['initialInterval 0', { initialInterval: 0 }, /initialInterval must be > 0/],
    ['negative initialInterval', { initialInterval: -1 }, /initialInterval must be > 0/],
    ['backoffFactor below 1', { backoffFactor: 0.5 }, /backoffFactor must be >= 1/],
    [
      'maxInterval below initialInterval',
      { initialInterval: 1000, maxInterval: 10 },
      /maxInterval must be >= initialInterval/,
    ],
  ];
  for (const [label, retryPolicy, pattern] of badRetries) {
    it(`refuses a retry policy with ${label}`, () => {
      const error = definitionError(() =>
        new StateGraph(State).addNode('a', noop, { retryPolicy }).addEdge(START, 'a').compile({ name: 'g' }),
      );
      assert.equal(error.problems.length, 1, error.problems.join('\n'));
      assert.match(error.problems[0]!, new RegExp(`^Node "a": retryPolicy\\.${pattern.source}`));
    });
  }

  for (const timeout of ['soon', '10 fortnights', '', -5, 0, Number.POSITIVE_INFINITY, Number.NaN]) {
    it(`refuses the timeout ${typeof timeout === 'string' ? JSON.stringify(timeout) : String(timeout)} and names the accepted forms`, () => {
      const error = definitionError(() =>
        new StateGraph(State).addNode('a', noop, { timeout }).addEdge(START, 'a').compile({ name: 'g' }),
      );
      assert.equal(error.problems.length, 1, error.problems.join('\n'));
      assert.match(error.problems[0]!, /^Node "a" has an invalid timeout .*; use milliseconds or "30s", "5m", "1h"\.$/);
    });
  }

  it('refuses a zero timeout written as a duration string, as it does the number 0', () => {
    const error = definitionError(() =>
      new StateGraph(State).addNode('a', noop, { timeout: '0s' }).addEdge(START, 'a').compile({ name: 'g' }),
    );
    assert.match(error.problems[0]!, /invalid timeout "0s"/);
  });

  it('lists a timeout of the wrong type as a problem instead of throwing a TypeError', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop, { timeout: {} as never })
        .addEdge(START, 'a')
        .compile({ name: 'g' }),
    );
    assert.match(error.problems[0]!, /invalid timeout/);
  });

  it('reports a default that is not plain JSON', () => {
    const error = definitionError(() =>
      new StateGraph(
        z.object({
          when: withReducer(
            z.unknown(),
            (_c, u) => u,
            () => new Date(0),
          ),
        }),
      )
        .addNode('a', noop)
        .addEdge(START, 'a')
        .compile({ name: 'g' }),
    );
    assert.deepEqual(error.problems, [
      'The default of state field "when" is not plain JSON; defaults are recorded in history.',
    ]);
  });
});

describe('the spec of a valid graph', () => {
  const sum = (current: number, update: number) => current + update;
  const build = (lastEdge: 'c' | typeof END = END) =>
    new StateGraph(
      z.object({
        topic: z.string(),
        log: withReducer(z.array(z.string()), appendReducer, () => []),
        total: withReducer(z.number(), sum, () => 0),
        tags: z.array(z.string()).register(registry, { reducer: { fn: appendReducer }, default: () => ['seed'] }),
        note: z.string().optional(),
      }),
    )
      .addNode('c', noop, { retryPolicy: { maxAttempts: 5, nonRetryableErrors: ['TypeError'] }, timeout: '30s' })
      .addNode('a', noop)
      .addNode('b', noop, { timeout: 1500 })
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge(['a', 'b'], 'c')
      .addConditionalEdges('c', () => 'done', { done: END, again: 'a' })
      .addConditionalEdges('a', () => 'b')
      .addEdge('c', lastEdge)
      .compile({ name: 'shape' });

  it('lists nodes in declaration order with their retry policy, timeout and branch count', () => {
    const { spec } = build();
    assert.deepEqual(
      spec.nodes.map((n) => n.name),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(spec.nodes[0], {
      name: 'c',
      ends: [],
      retryPolicy: {
        maxAttempts: 5,
        initialInterval: 500,
        backoffFactor: 2,
        maxInterval: 128_000,
        nonRetryableErrors: ['TypeError'],
      },
      timeoutMs: 30_000,
      heartbeatTimeoutMs: 10_000,
      branches: 1,
    });
    assert.equal(spec.nodes[1]!.timeoutMs, 10 * 60_000, 'default timeout is 10 minutes');
    assert.equal(spec.nodes[1]!.branches, 1);
    assert.equal(spec.nodes[2]!.timeoutMs, 1500);
    assert.equal(spec.nodes[2]!.branches, 0);
    assert.deepEqual(spec.nodes[2]!.retryPolicy, {
      maxAttempts: 3,
      initialInterval: 500,
      backoffFactor: 2,
      maxInterval: 128_000,
      nonRetryableErrors: [],
    });
  });

  it('records plain and join edges as declared, and each branch with its destinations (null without a path map)', () => {
    const { spec } = build();
    assert.deepEqual(spec.edges, [
      { from: [START], to: 'a' },
      { from: [START], to: 'b' },
      { from: ['a', 'b'], to: 'c' },
      { from: ['c'], to: END },
    ]);
    assert.deepEqual(spec.branches, [
      { source: 'c', destinations: [END, 'a'] },
      { source: 'a', destinations: null },
    ]);
  });

  it('records each channel with its reducer kind and its JSON default', () => {
    const { spec } = build();
    assert.deepEqual(spec.channels, {
      topic: { reducer: 'last', hasDefault: false },
      log: { reducer: 'append', hasDefault: true, default: [] },
      total: { reducer: 'custom', hasDefault: true, default: 0 },
      tags: { reducer: 'append', hasDefault: true, default: ['seed'] },
      note: { reducer: 'last', hasDefault: false },
    });
  });

  it('is plain JSON that survives a round trip unchanged', () => {
    const { spec } = build();
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
    assert.equal(spec.specVersion, 1);
  });

  it('has a stable hash: the same definition gives the same hash, a changed edge a different one', () => {
    const first = build().spec.hash;
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.equal(build().spec.hash, first);
    assert.notEqual(build('c').spec.hash, first);
  });

  it('changes the hash when a node option changes', () => {
    const withTimeout = (timeout: string) =>
      new StateGraph(State).addNode('a', noop, { timeout }).addEdge(START, 'a').compile({ name: 'g' }).spec.hash;
    assert.equal(withTimeout('5m'), withTimeout('300s'), 'the same timeout written two ways is the same spec');
    assert.notEqual(withTimeout('5m'), withTimeout('6m'));
  });

  it('records publishPauses: false only when pauses are not published, so the default spec and hash stay as they were', () => {
    const graph = (options: { publishPauses?: boolean }) =>
      new StateGraph(State)
        .addNode('a', noop)
        .addEdge(START, 'a')
        .compile({ name: 'g', ...options }).spec;
    const plain = graph({});
    assert.equal('publishPauses' in plain, false);
    assert.deepEqual(graph({ publishPauses: true }), plain);
    const quiet = graph({ publishPauses: false });
    assert.equal(quiet.publishPauses, false);
    assert.notEqual(quiet.hash, plain.hash);
  });

  it('refuses a publishPauses that is not a boolean', () => {
    const error = definitionError(() =>
      new StateGraph(State)
        .addNode('a', noop)
        .addEdge(START, 'a')
        .compile({ name: 'g', publishPauses: 'no' as unknown as boolean }),
    );
    assertProblems(error, [/compile\(\{ publishPauses \}\) must be true or false \(got "no"\)/]);
  });
});

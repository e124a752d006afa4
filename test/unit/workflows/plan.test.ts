import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { END, START, type EdgeSpec, type GraphSpec } from '../../../src/protocol/spec.js';
import type { SendSpec } from '../../../src/protocol/payloads.js';
import {
  checkStepWrites,
  fromRerunTask,
  inDeclarationOrder,
  nextIds,
  nextTasks,
  nextTriggers,
  segmentSteps,
  startTriggers,
  stepWrites,
  toRerunTask,
  type JoinState,
} from '../../../src/workflows/plan.js';
import { taskOf } from '../../helpers/run-state.js';

/** A minimal spec: only node order and edges matter to superstep.ts. */
function spec(nodes: string[], edges: Array<[string | string[], string]>): GraphSpec {
  return {
    specVersion: 1,
    name: 'g',
    nodes: nodes.map((name) => ({
      name,
      ends: [],
      retryPolicy: { maxAttempts: 1, initialInterval: 1, backoffFactor: 1, maxInterval: 1, nonRetryableErrors: [] },
      timeoutMs: 1000,
      heartbeatTimeoutMs: 1000,
      branches: 0,
    })),
    edges: edges.map(([from, to]): EdgeSpec => ({ from: Array.isArray(from) ? from : [from], to })),
    branches: [],
    channels: {},
    hash: 'test',
  };
}

const done = (name: string, next: string[] = []) => ({ name, next });

describe('inDeclarationOrder', () => {
  const s = spec(['c', 'a', 'b'], []);

  it('orders names by node declaration, not by the order given', () => {
    assert.deepEqual(inDeclarationOrder(s, ['b', 'a', 'c']), ['c', 'a', 'b']);
  });

  it('removes duplicates', () => {
    assert.deepEqual(inDeclarationOrder(s, ['a', 'b', 'a', 'a']), ['a', 'b']);
  });

  it('drops END and names that are not nodes (a goto to a missing node is ignored, LangGraph R26)', () => {
    assert.deepEqual(inDeclarationOrder(s, [END, 'a', 'ghost']), ['a']);
  });
});

describe('startTriggers', () => {
  it("returns the targets of START's static edges in declaration order", () => {
    const s = spec(
      ['x', 'y', 'z'],
      [
        [START, 'z'],
        [START, 'x'],
        ['x', 'y'],
      ],
    );
    assert.deepEqual(startTriggers(s, []), ['x', 'z']);
  });

  it('adds the destinations routed from START, deduplicated, without END', () => {
    const s = spec(['x', 'y', 'z'], [[START, 'x']]);
    assert.deepEqual(startTriggers(s, ['z', 'x', END]), ['x', 'z']);
  });

  it('ignores a join edge that lists START (compile refuses it) and edges from other nodes', () => {
    const s = spec(
      ['x', 'y'],
      [
        [[START, 'x'], 'y'],
        ['x', 'y'],
      ],
    );
    assert.deepEqual(startTriggers(s, []), []);
  });
});

describe('nextTriggers', () => {
  it('follows the static edges of every completed node', () => {
    const s = spec(
      ['a', 'b', 'c', 'd'],
      [
        ['a', 'c'],
        ['b', 'd'],
        ['c', 'd'],
      ],
    );
    assert.deepEqual(nextTriggers(s, [done('a'), done('b')], {}), ['c', 'd']);
  });

  it('adds the destinations chosen at run time (conditional edges, Command goto)', () => {
    const s = spec(['a', 'b', 'c'], [['a', 'b']]);
    assert.deepEqual(nextTriggers(s, [done('a', ['c'])], {}), ['b', 'c']);
  });

  it('drops END and runs a node triggered twice only once, in declaration order', () => {
    const s = spec(
      ['d', 'a', 'b'],
      [
        ['a', 'd'],
        ['b', 'd'],
        ['a', END],
      ],
    );
    assert.deepEqual(nextTriggers(s, [done('b', ['d', END]), done('a', ['a'])], {}), ['d', 'a']);
  });

  it('returns nothing when every completed node leads to END', () => {
    const s = spec(['a'], [['a', END]]);
    assert.deepEqual(nextTriggers(s, [done('a', [END])], {}), []);
  });

  describe('a join edge addEdge([a, b], c)', () => {
    const s = spec(
      ['a', 'b', 'c', 'x'],
      [
        [START, 'a'],
        [START, 'b'],
        [['a', 'b'], 'c'],
        ['a', 'x'],
      ],
    );

    it('fires when both sources complete in the same superstep', () => {
      const joins: JoinState = {};
      assert.deepEqual(nextTriggers(s, [done('a'), done('b')], joins), ['c', 'x']);
      assert.deepEqual(joins, {}, 'the join resets after it fires');
    });

    it('does not fire when only one source has completed, and remembers it', () => {
      const joins: JoinState = {};
      assert.deepEqual(nextTriggers(s, [done('a')], joins), ['x']);
      assert.deepEqual(joins, { 2: ['a'] });
    });

    it('fires once the other source completes in a later superstep', () => {
      const joins: JoinState = {};
      nextTriggers(s, [done('a')], joins);
      assert.deepEqual(nextTriggers(s, [done('x')], joins), [], 'an unrelated superstep keeps waiting');
      assert.deepEqual(joins, { 2: ['a'] });
      assert.deepEqual(nextTriggers(s, [done('b')], joins), ['c']);
      assert.deepEqual(joins, {});
    });

    it('resets after firing: a source completing again waits for the other again', () => {
      const joins: JoinState = {};
      assert.deepEqual(nextTriggers(s, [done('a'), done('b')], joins), ['c', 'x']);
      assert.deepEqual(nextTriggers(s, [done('b')], joins), [], 'b alone does not fire c again');
      assert.deepEqual(joins, { 2: ['b'] });
      assert.deepEqual(nextTriggers(s, [done('a')], joins), ['c', 'x']);
    });

    it('counts a source once however many times it completed before the other', () => {
      const joins: JoinState = {};
      nextTriggers(s, [done('a')], joins);
      nextTriggers(s, [done('a')], joins);
      assert.deepEqual(joins, { 2: ['a'] });
      assert.deepEqual(nextTriggers(s, [done('b')], joins), ['c']);
    });

    it('keeps the progress of two joins apart', () => {
      const two = spec(
        ['a', 'b', 'c', 'd'],
        [
          [['a', 'b'], 'c'],
          [['b', 'c'], 'd'],
        ],
      );
      const joins: JoinState = {};
      assert.deepEqual(nextTriggers(two, [done('b')], joins), []);
      assert.deepEqual(joins, { 0: ['b'], 1: ['b'] });
      assert.deepEqual(nextTriggers(two, [done('a')], joins), ['c']);
      assert.deepEqual(joins, { 1: ['b'] });
      assert.deepEqual(nextTriggers(two, [done('c')], joins), ['d']);
      assert.deepEqual(joins, {});
    });
  });
});

describe('nextIds and nextTasks', () => {
  const counter = () => {
    let n = 0;
    return () => `id-${++n}`;
  };

  it('gives Sends their ids first, then triggered nodes, with new ids', () => {
    const state = { sends: [{ node: 'b', arg: { n: 1 } }], triggers: ['a'], upcoming: undefined };
    assert.deepEqual(nextIds(state, counter()), [
      { id: 'id-1', name: 'b', send: true },
      { id: 'id-2', name: 'a', send: false },
    ]);
    assert.deepEqual(nextTasks(state, counter()), [
      taskOf('b', 'id-1', { send: { arg: { n: 1 } } }),
      taskOf('a', 'id-2'),
    ]);
  });

  it('makes a Send task of every Send, whatever its argument (null, or none at all as JSON delivers undefined)', () => {
    const state = {
      sends: [{ node: 'b', arg: null }, { node: 'c' } as SendSpec],
      triggers: ['a'],
      upcoming: undefined,
    };
    assert.deepEqual(nextTasks(state, counter()), [
      taskOf('b', 'id-1', { send: { arg: null } }),
      taskOf('c', 'id-2', { send: { arg: undefined } }),
      taskOf('a', 'id-3'),
    ]);
  });

  it('keeps the ids shown while paused after a step; a node added by a goto gets a new one', () => {
    const state = { sends: [], triggers: ['a', 'c'], upcoming: [{ id: 'shown-a', name: 'a', send: false }] };
    assert.deepEqual(
      nextIds(state, counter()).map((t) => t.id),
      ['shown-a', 'id-1'],
    );
  });
});

describe('stepWrites', () => {
  it('applies nodes by name, then Sends in the order sent, whatever the order they completed in', () => {
    const done = (name: string, update: Record<string, unknown>, send?: { arg: unknown }) =>
      taskOf(name, name, { result: { update, next: [] }, ...(send ? { send } : {}) });
    const tasks = [
      done('send-1', { s: 1 }, { arg: 1 }),
      done('b', { b: 1 }),
      done('send-2', { s: 2 }, { arg: 2 }),
      done('a', { a: 1 }),
    ];
    assert.deepEqual(stepWrites(tasks), [{ a: 1 }, { b: 1 }, { s: 1 }, { s: 2 }]);
  });

  it('applies a Send task with the Sends even when its argument is undefined', () => {
    const tasks = [
      taskOf('a', 'send', { result: { update: { s: 1 }, next: [] }, send: { arg: undefined } }),
      taskOf('b', 'node', { result: { update: { b: 1 }, next: [] } }),
    ];
    assert.deepEqual(stepWrites(tasks), [{ b: 1 }, { s: 1 }]);
  });
});

describe('checkStepWrites', () => {
  const result = (update: Record<string, unknown> | null, next: string[] = []) => ({ update, next });
  const cases = [
    {
      name: 'accepts writes to a reducer field from several nodes',
      tasks: [
        ['a', result({ log: [1] })],
        ['b', result({ log: [2] })],
      ],
      problem: undefined,
    },
    {
      name: 'refuses two writes to a field without a reducer in one step',
      tasks: [
        ['a', result({ x: 1 })],
        ['b', result({ x: 2 })],
      ],
      problem: { code: 'CONFLICTING_WRITES', node: 'b' },
    },
    {
      name: 'refuses a route to a node the recorded shape does not have',
      tasks: [['a', result(null, ['ghost'])]],
      problem: { code: 'UNKNOWN_NODE', node: 'a' },
    },
    { name: 'accepts a route to END', tasks: [['a', result(null, [END])]], problem: undefined },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const s = {
        ...spec(['a', 'b'], []),
        channels: {
          x: { reducer: 'last' as const, hasDefault: false },
          log: { reducer: 'append' as const, hasDefault: false },
        },
      };
      const tasks = c.tasks.map(([name, r]) => taskOf(name, name, { result: { update: r.update, next: [...r.next] } }));
      const problem = checkStepWrites(s, tasks, 't');
      assert.deepEqual(problem && { code: problem.code, node: problem.node }, c.problem);
    });
  }
});

describe('toRerunTask and fromRerunTask', () => {
  it("carries a failed step's tasks into the next run: a completed one keeps its result, the others their answers and step() results", () => {
    const completed = taskOf('a', 'x', { result: { update: { a: 1 }, next: ['b'] } });
    const failed = taskOf('b', 'y', { resume: ['yes'], send: { arg: { n: 1 } }, steps: [{ name: 's', value: 1 }] });
    const carried = [completed, failed].map(toRerunTask);
    assert.deepEqual(carried, [
      { node: 'a', result: { update: { a: 1 }, next: ['b'] } },
      { node: 'b', arg: { n: 1 }, resume: ['yes'], steps: [{ name: 's', value: 1 }] },
    ]);
    assert.deepEqual(
      carried.map((t, i) => fromRerunTask(t, `new-${i}`)),
      [
        taskOf('a', 'new-0', { result: { update: { a: 1 }, next: ['b'] } }),
        taskOf('b', 'new-1', { resume: ['yes'], send: { arg: { n: 1 } }, steps: [{ name: 's', value: 1 }] }),
      ],
    );
  });

  it('carries a Send task whose argument is null as a Send task', () => {
    const carried = toRerunTask(taskOf('b', 'y', { send: { arg: null } }));
    assert.deepEqual(carried, { node: 'b', arg: null });
    assert.deepEqual(
      fromRerunTask(JSON.parse(JSON.stringify(carried)), 'new'),
      taskOf('b', 'new', { send: { arg: null } }),
    );
  });
});

describe('segmentSteps', () => {
  /** `spec` with every node local unless listed in `regular`, and the given extras. */
  const localSpec = (
    nodes: string[],
    edges: Array<[string | string[], string]>,
    extra: Partial<GraphSpec> & { regular?: string[]; ends?: Record<string, string[]> } = {},
  ): GraphSpec => {
    const { regular = [], ends = {}, ...rest } = extra;
    const base = spec(nodes, edges);
    return {
      ...base,
      nodes: base.nodes.map((n) => ({ ...n, local: !regular.includes(n.name), ends: ends[n.name] ?? [] })),
      ...rest,
    };
  };
  const chain = (n: number) =>
    Array.from({ length: n }, (_, i) => `n${i}`).map((name, i, all): [string, string] => [name, all[i + 1] ?? END]);
  const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);

  const cases: Array<{ name: string; spec: GraphSpec; first: string[]; limit: number; steps: number }> = [
    {
      name: 'a chain of local nodes: its length',
      spec: localSpec(names(10), chain(10)),
      first: ['n0'],
      limit: 1000,
      steps: 10,
    },
    {
      name: 'from the middle of the chain',
      spec: localSpec(names(10), chain(10)),
      first: ['n7'],
      limit: 1000,
      steps: 3,
    },
    {
      name: 'a chain longer than the limit: the limit',
      spec: localSpec(names(10), chain(10)),
      first: ['n0'],
      limit: 4,
      steps: 4,
    },
    {
      name: 'a loop: the limit',
      spec: localSpec(
        ['ping', 'pong'],
        [
          ['ping', 'pong'],
          ['pong', 'ping'],
        ],
      ),
      first: ['ping'],
      limit: 500,
      steps: 500,
    },
    {
      name: 'stops before a regular node',
      spec: localSpec(
        ['a', 'b', 'c'],
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
        { regular: ['c'] },
      ),
      first: ['a'],
      limit: 25,
      steps: 2,
    },
    {
      name: 'stops before a breakpoint, and after one',
      spec: localSpec(names(4), chain(4), { interruptBefore: ['n3'], interruptAfter: ['n1'] }),
      first: ['n0'],
      limit: 25,
      steps: 2,
    },
    {
      name: 'the longest of parallel branches, through a join',
      spec: localSpec(
        ['a', 'b1', 'b2', 'c', 'd'],
        [
          ['a', 'b1'],
          ['a', 'c'],
          ['b1', 'b2'],
          [['b2', 'c'], 'd'],
        ],
      ),
      first: ['a'],
      limit: 25,
      steps: 4,
    },
    {
      name: "a conditional edge's destinations",
      spec: { ...localSpec(['a', 'b', 'c'], [['b', 'c']]), branches: [{ source: 'a', destinations: ['b', END] }] },
      first: ['a'],
      limit: 25,
      steps: 3,
    },
    {
      name: 'a router without a path map may go anywhere: back to itself, the limit',
      spec: { ...localSpec(['a', 'b'], [['a', 'b']]), branches: [{ source: 'b', destinations: null }] },
      first: ['a'],
      limit: 25,
      steps: 25,
    },
    {
      name: "a Command's goto through ends",
      spec: localSpec(['a', 'b', 'c'], [], { ends: { a: ['b'], b: ['c'] } }),
      first: ['a'],
      limit: 25,
      steps: 3,
    },
  ];
  for (const c of cases) {
    it(`bounds a segment by ${c.name}`, () => {
      assert.equal(segmentSteps(c.spec, c.first, c.limit), c.steps);
    });
  }
});

/**
 * run-state.ts's predicates over paused tasks, without a server: which tasks keep their superstep from ending
 * (isPaused), and which ones updateState(asNode) may complete (completableByUpdate). The two lists differ on purpose.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completableByUpdate, isPaused, type Task } from '../../../src/workflows/run-state.js';
import { iid, stateOf, taskOf } from '../../helpers/run-state.js';

const interrupt = { id: iid(1), value: 'q?' };
const child = (fields: Partial<NonNullable<Task['child']>>) => ({
  workflowId: 'child',
  interrupts: [],
  answers: {},
  busy: false,
  ...fields,
});

/** One task in each state, with whether it is paused and whether updateState(asNode) may complete it. */
const cases: Array<{ name: string; task: Task; paused: boolean; completable: boolean }> = [
  { name: 'ready to run', task: taskOf('a', 'ready'), paused: false, completable: false },
  {
    name: 'running its node',
    task: taskOf('a', 'running', { status: { kind: 'running' } }),
    paused: false,
    completable: false,
  },
  {
    name: 'done',
    task: taskOf('a', 'done', { result: { update: null, next: [] } }),
    paused: false,
    completable: false,
  },
  { name: 'at an unanswered interrupt', task: taskOf('a', 'open', { interrupt }), paused: true, completable: true },
  {
    name: 'holding the answer to its interrupt (not run yet)',
    task: taskOf('a', 'answered', { interrupt, answer: { value: 'yes' } }),
    paused: true,
    completable: false,
  },
  {
    name: 'at a NodeInterrupt',
    task: taskOf('a', 'held', { nodeInterrupt: { value: 'why' } }),
    paused: true,
    completable: true,
  },
  {
    name: "a subgraph whose child run is paused on an interrupt (the child's to answer)",
    task: taskOf('a', 'sub', { status: { kind: 'running' }, child: child({ interrupts: [interrupt] }) }),
    paused: true,
    completable: false,
  },
  {
    name: 'a subgraph whose child run is paused on a NodeInterrupt',
    task: taskOf('a', 'sub-held', {
      status: { kind: 'running' },
      child: child({ nodeInterrupts: [{ value: 'why' }] }),
    }),
    paused: true,
    completable: false,
  },
  {
    name: 'a node waiting on a graph it called with invoke(), paused on an interrupt',
    task: taskOf('a', 'in-node', {
      status: { kind: 'waiting' },
      child: child({ interrupts: [interrupt], inNode: true }),
    }),
    paused: true,
    completable: false,
  },
  {
    name: 'a subgraph whose child run is running',
    task: taskOf('a', 'sub-busy', { status: { kind: 'running' }, child: child({ busy: true }) }),
    paused: false,
    completable: false,
  },
];

describe('isPaused', () => {
  for (const c of cases) {
    it(`${c.paused ? 'is' : 'is not'} true for a task ${c.name}`, () => {
      assert.equal(isPaused(c.task), c.paused);
    });
  }
});

describe('completableByUpdate', () => {
  for (const c of cases) {
    it(`${c.completable ? 'lists' : 'leaves out'} a task ${c.name}, at an interrupt`, () => {
      const state = stateOf({ status: 'interrupted', pausedAt: 'interrupt', tasks: [c.task] });
      assert.deepEqual(completableByUpdate(state), c.completable ? [c.task] : []);
    });
  }

  it('lists every task not done yet at a static breakpoint before nodes, none of which is paused', () => {
    const before = [taskOf('a', 'x'), taskOf('b', 'y')];
    const done = taskOf('c', 'z', { result: { update: null, next: [] } });
    const state = stateOf({ status: 'interrupted', pausedAt: 'before', tasks: [...before, done] });
    assert.deepEqual(completableByUpdate(state), before);
    assert.equal(state.tasks.some(isPaused), false);
  });
});

/**
 * snapshot.ts without a server: what getState, the Update results and the visibility writes show for a run state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { pendingOf, snapshotOf, statusViewOf } from '../../../src/workflows/snapshot.js';
import { iid, specOf, stateOf, taskOf } from '../../helpers/run-state.js';

describe('snapshotOf', () => {
  it('shows a paused task with its interrupt, next names it, and the interrupt is listed for the caller', () => {
    const state = stateOf({
      status: 'interrupted',
      pausedAt: 'interrupt',
      tasks: [taskOf('a', 'ta', { interrupt: { id: iid(1), value: 'q?' } })],
    });
    const snapshot = snapshotOf(state);
    assert.deepEqual(snapshot.next, ['a']);
    assert.deepEqual(snapshot.tasks, [{ id: 'ta', name: 'a', interrupts: [{ id: iid(1), value: 'q?' }] }]);
    assert.deepEqual(snapshot.interrupts, [{ id: iid(1), value: 'q?' }]);
    assert.equal(snapshot.pausedAt, 'interrupt');
    assert.equal(snapshot.createdAt, '2026-01-01T00:00:00.000Z');
  });

  it('includes the writes of sibling tasks that completed in the paused step (as LangGraph shows them)', () => {
    const state = stateOf({
      spec: specOf(['a', 'b'], { log: 'append' }),
      values: { log: ['before'] },
      status: 'interrupted',
      tasks: [
        taskOf('a', 'ta', { result: { update: { log: ['a'] }, next: [] } }),
        taskOf('b', 'tb', { interrupt: { id: iid(2), value: 1 } }),
      ],
    });
    const snapshot = snapshotOf(state);
    assert.deepEqual(snapshot.values, { log: ['before', 'a'] });
    assert.deepEqual(snapshot.next, ['b']);
    assert.deepEqual(snapshot.tasks[0]!.result, { log: ['a'] });
  });

  it('shows a NodeInterrupt as { value } with no id, apart from the interrupts that take a value', () => {
    const state = stateOf({
      status: 'interrupted',
      tasks: [taskOf('a', 'ta', { nodeInterrupt: { value: 'too big' } })],
    });
    const snapshot = snapshotOf(state);
    assert.deepEqual(snapshot.tasks[0]!.interrupts, [{ value: 'too big' }]);
    assert.deepEqual(snapshot.interrupts, []);
    assert.deepEqual(snapshot.nodeInterrupts, [{ node: 'a', value: 'too big' }]);
  });

  it('after a failed node: next names it, its task carries the error (name and message), nothing is pending', () => {
    const error = new ActivityFailure(
      'activity failed',
      'runNode',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'w',
      ApplicationFailure.create({ message: 'the API is down', type: 'TypeError' }),
    );
    const state = stateOf({
      status: 'failed',
      tasks: [
        taskOf('a', 'ta', { result: { update: null, next: [] } }),
        taskOf('b', 'tb', { error, interrupt: { id: iid(1), value: 'stale' } }),
      ],
    });
    const snapshot = snapshotOf(state);
    assert.deepEqual(snapshot.next, ['b']);
    assert.deepEqual(snapshot.tasks[1]!.error, { name: 'TypeError', message: 'the API is down' });
    assert.deepEqual(snapshot.tasks[1]!.interrupts, []);
    assert.deepEqual(snapshot.interrupts, []);
    assert.deepEqual(snapshot.failedStep?.tasks, [{ node: 'a', result: { update: null, next: [] } }, { node: 'b' }]);
  });

  it("lists the next step's tasks with their ids while paused after a step, and nothing next once completed", () => {
    const after = stateOf({
      status: 'interrupted',
      pausedAt: 'after',
      triggers: ['b'],
      upcoming: [{ id: 'tb', name: 'b', send: false }],
    });
    assert.deepEqual(snapshotOf(after).tasks, [{ id: 'tb', name: 'b', interrupts: [] }]);
    assert.deepEqual(snapshotOf(after).next, ['b']);
    assert.deepEqual(snapshotOf(stateOf({ status: 'completed', triggers: [] })).next, []);
  });
});

describe('pendingOf and statusViewOf', () => {
  it("lists a task's interrupt with its deadline, a child's open interrupts, and none for a failed run", () => {
    const state = stateOf({
      status: 'interrupted',
      tasks: [
        taskOf('a', 'ta', {
          interrupt: { id: iid(1), value: 1 },
          deadline: { at: Date.UTC(2026, 0, 2), onTimeout: 'fail' },
        }),
        taskOf('sub', 'ts', {
          child: {
            workflowId: 'w',
            interrupts: [
              { id: iid(2), value: 2 },
              { id: iid(3), value: 3 },
            ],
            answers: { [iid(3)]: 'x' },
            busy: false,
          },
        }),
      ],
    });
    assert.deepEqual(pendingOf(state), [
      { id: iid(1), value: 1, node: 'a', expiresAt: '2026-01-02T00:00:00.000Z' },
      { id: iid(2), value: 2, node: 'sub' },
    ]);
    assert.deepEqual(pendingOf({ ...state, status: 'failed' }), []);
  });

  it('describes a breakpoint pause with its nodes', () => {
    const view = statusViewOf(
      stateOf({ status: 'interrupted', pausedAt: 'before', breakpointNodes: ['a'], tasks: [taskOf('a', 'ta')] }),
    );
    assert.deepEqual(view.breakpoint, { at: 'before', nodes: ['a'] });
    assert.deepEqual(view.pending, []);
  });
});

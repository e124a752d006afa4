import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ThreadState } from '../../../src/protocol/payloads.js';
import { isStopState, packStop, unpackStop } from '../../../src/protocol/stop-state.js';

const context = { threadId: 't-1', graph: 'g', createdAt: '2026-01-01T00:00:00.000Z' };
const base = { ...context, metadata: { source: 'loop' as const, step: 2 }, stops: 1, rejectedResumes: [] };
const iid = (d: number) => String(d).repeat(32);

const states: Record<string, ThreadState> = {
  completed: { ...base, status: 'completed', values: { n: 1 }, next: [], tasks: [], interrupts: [] },
  'paused on two interrupts, one task done': {
    ...base,
    status: 'interrupted',
    pausedAt: 'interrupt',
    values: { a: 1 },
    next: ['ask', 'ask2'],
    tasks: [
      { id: 'x', name: 'done', interrupts: [], result: { a: 2 } },
      { id: 'y', name: 'ask', interrupts: [{ id: iid(1), value: 'q1', response_schema: { type: 'string' } }] },
      { id: 'z', name: 'ask2', interrupts: [{ id: iid(2), value: 'q2' }] },
    ],
    interrupts: [
      { id: iid(1), value: 'q1', response_schema: { type: 'string' } },
      { id: iid(2), value: 'q2' },
    ],
    rejectedResumes: [{ at: '2026-01-01T00:00:00.000Z', via: 'signal', reason: 'no' }],
  },
  'held by a NodeInterrupt': {
    ...base,
    status: 'interrupted',
    pausedAt: 'interrupt',
    values: {},
    next: ['guard'],
    tasks: [{ id: 'x', name: 'guard', interrupts: [{ value: 'too big' } as never] }],
    interrupts: [],
    nodeInterrupts: [{ node: 'guard', value: 'too big' }],
  },
  'at a breakpoint after a step, from an update': {
    ...base,
    metadata: { source: 'update', step: 4 },
    status: 'interrupted',
    pausedAt: 'after',
    values: { a: 1 },
    next: ['b'],
    tasks: [{ id: 'u', name: 'b', interrupts: [] }],
    interrupts: [],
  },
  'failed, next not derivable from the tasks': {
    ...base,
    status: 'failed',
    values: {},
    next: ['boom'],
    tasks: [{ id: 'x', name: 'boom', interrupts: [], error: { name: 'Error', message: 'down' } }],
    interrupts: [],
    failedStep: { values: {}, tasks: [{ node: 'boom' }] },
  },
  'a subgraph run ended by Command.PARENT': {
    ...base,
    status: 'completed',
    values: {},
    next: [],
    tasks: [],
    interrupts: [],
    parentCommand: { update: { x: 1 }, goto: ['n'], node: 'child' },
  },
};

describe('the recorded stop (packStop / unpackStop)', () => {
  for (const [label, state] of Object.entries(states)) {
    it(`gives back the state: ${label}`, () => {
      const stop = JSON.parse(JSON.stringify(packStop(state)));
      assert.equal(isStopState(stop), true);
      assert.deepEqual(unpackStop(stop, context), state);
    });
  }

  it('leaves out what the reader knows or derives', () => {
    const stop = packStop(states['paused on two interrupts, one task done']!);
    for (const key of ['threadId', 'graph', 'createdAt', 'metadata', 'next', 'interrupts', 'pausedAt'])
      assert.equal(key in stop, false, key);
    assert.deepEqual(Object.keys(packStop(states.completed!)), ['status', 'values', 'step', 'stops']);
  });

  it("uses the reader's clock when the stop has no time of its own", () => {
    const { createdAt: _createdAt, ...noTime } = context;
    assert.ok(!Number.isNaN(Date.parse(unpackStop(packStop(states.completed!), noTime).createdAt)));
  });

  it('refuses what is not a recorded stop', () => {
    for (const value of [null, [], { status: 'completed' }, { status: 'completed', values: {}, step: '1', stops: 1 }])
      assert.equal(isStopState(value), false);
  });
});

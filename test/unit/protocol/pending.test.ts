import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pendingOfTasks, splitPending, takesResumeValue } from '../../../src/protocol/pending.js';

describe('takesResumeValue', () => {
  for (const [label, entry, expected] of [
    ['an interrupt() with an id', { id: 'a'.repeat(32), value: 1 }, true],
    ['a NodeInterrupt (no id key)', { value: 1 }, false],
    ['an entry whose id is undefined', { id: undefined, value: 1 }, false],
    ['an entry whose id is not a string (a memo any client can write)', { id: 7, value: 1 }, false],
  ] as const) {
    it(`is ${expected} for ${label}`, () => assert.equal(takesResumeValue(entry), expected));
  }
});

describe('splitPending', () => {
  it('keeps the order of each kind and leaves entries unchanged', () => {
    const a = { id: 'a', node: 'x', value: 1 };
    const held = { node: 'y', value: 2 };
    const b = { id: 'b', node: 'z', value: 3 };
    assert.deepEqual(splitPending([a, held, b]), { interrupts: [a, b], nodeInterrupts: [held] });
  });
});

describe('pendingOfTasks', () => {
  it('names the node of each pending entry and splits interrupts from NodeInterrupts in task order', () => {
    const tasks = [
      { name: 'review', interrupts: [{ id: 'i1', value: { q: 1 } }] },
      { name: 'guard', interrupts: [{ value: 'too big' }] },
      { name: 'done', interrupts: [] },
      { name: 'second', interrupts: [{ id: 'i2', value: null }] },
    ];
    assert.deepEqual(pendingOfTasks(tasks), {
      interrupts: [
        { id: 'i1', node: 'review', value: { q: 1 } },
        { id: 'i2', node: 'second', value: null },
      ],
      nodeInterrupts: [{ node: 'guard', value: 'too big' }],
    });
  });
});

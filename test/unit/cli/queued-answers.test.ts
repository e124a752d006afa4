import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answeredByQueue, judgeQueued } from '../../../src/cli/queued-answers.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const signal = (input: unknown, at = '2026-01-01T00:00:00.000Z') => ({ at, identity: 'alice', input, eventId: '9' });
const paused = (ids: string[]) => ({
  threadId: 't1',
  interrupts: ids.map((id, i) => ({ id, node: `n${i}`, value: { q: i } })),
  nodeInterrupts: [],
  breakpoint: null,
});

describe('judgeQueued', () => {
  it('gives a plain value to the one pending interrupt', () => {
    const [q] = judgeQueued([signal({ resume: false })], paused([A]));
    assert.deepEqual(q!.answers, [{ id: A, node: 'n0', value: false }]);
    assert.equal(q!.refused, undefined);
    assert.deepEqual([...answeredByQueue([q!])], [A]);
  });

  it('judges each Signal against what the ones before it left pending, as the engine handles them in order', () => {
    const [first, second, third] = judgeQueued(
      [signal({ resume: { [A]: 1 } }), signal({ resume: 2 }), signal({ resume: { [A]: 3 } })],
      paused([A, B]),
    );
    assert.deepEqual(first!.answers, [{ id: A, node: 'n0', value: 1 }]);
    assert.deepEqual(second!.answers, [{ id: B, node: 'n1', value: 2 }], 'B is the only one left');
    assert.match(third!.refused!, /no pending interrupt/);
    assert.deepEqual(third!.answers, []);
  });

  it('marks a Signal the engine will refuse with its reason, and answers nothing with it', () => {
    const [q] = judgeQueued([signal({ resume: true })], paused([A, B]));
    assert.match(q!.refused!, /plain resume value is ambiguous/);
    assert.equal(answeredByQueue([q!]).size, 0);
  });

  it('reads {} as a continue past a breakpoint', () => {
    const [q] = judgeQueued([signal({})], { ...paused([]), breakpoint: { at: 'before', nodes: ['x'] } });
    assert.equal(q!.continues, true);
    assert.equal(q!.refused, undefined);
  });
});

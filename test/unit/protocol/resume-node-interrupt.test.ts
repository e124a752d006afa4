/**
 * matchCommand on a thread paused by NodeInterrupt (R6): a resume value has nowhere to go and is refused;
 * `{}` and `{ update }` continue (the node runs again). With an interrupt() pending beside it, a plain value
 * answers that one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchCommand, type PauseView } from '../../../src/protocol/resume.js';

const ID = '0123456789abcdef0123456789abcdef';
const held: PauseView = {
  pending: [],
  pausedAt: 'interrupt',
  nodes: ['check', 'other'],
  nodeInterrupts: [{ node: 'check', value: 'x too big' }],
};

describe('matchCommand with a NodeInterrupt pending', () => {
  for (const resume of [true, 'ok', { [ID]: 1 }]) {
    it(`refuses {"resume": ${JSON.stringify(resume)}} and says how to continue`, () => {
      const match = matchCommand({ resume }, held, 't1');
      assert.equal(match.ok, false);
      assert.match(
        (match as { message: string }).message,
        /^Thread "t1" is paused by NodeInterrupt in node "check" \("x too big"\), which takes no resume value; nothing was applied\. Run the node again with invoke\(null\)/,
      );
    });
  }

  it('accepts {} and {"update"} as a continue that re-runs the node', () => {
    assert.deepEqual(matchCommand({}, held, 't1'), { ok: true, answers: [], goto: [], proceed: true });
    assert.deepEqual(matchCommand({ update: { x: 1 } }, held, 't1'), {
      ok: true,
      answers: [],
      goto: [],
      proceed: true,
      update: { x: 1 },
    });
  });

  it('gives a plain value to the one interrupt() that takes it when a NodeInterrupt is pending beside it', () => {
    const mixed: PauseView = { ...held, pending: [{ id: ID, node: 'other' }] };
    assert.deepEqual(matchCommand({ resume: 'A' }, mixed, 't1'), {
      ok: true,
      answers: [{ id: ID, value: 'A' }],
      goto: [],
      proceed: false,
    });
  });
});

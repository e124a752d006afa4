import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isResumeMap, matchResume, type PendingInterrupt, type ResumeMatch } from '../../../src/protocol/resume.js';

const ID_A = 'a'.repeat(32);
const ID_B = '0123456789abcdef0123456789abcdef';
const ID_UNKNOWN = 'f'.repeat(32);
const one: PendingInterrupt[] = [{ id: ID_A, node: 'review' }];
const two: PendingInterrupt[] = [
  { id: ID_A, node: 'left' },
  { id: ID_B, node: 'right' },
];

function rejected(match: ResumeMatch): Extract<ResumeMatch, { ok: false }> {
  assert.equal(match.ok, false, `expected a rejection, got ${JSON.stringify(match)}`);
  return match as Extract<ResumeMatch, { ok: false }>;
}

describe('isResumeMap', () => {
  it('is true for an object whose keys are all 32-char lowercase hex ids', () => {
    assert.equal(isResumeMap({ [ID_A]: 1 }), true);
    assert.equal(isResumeMap({ [ID_A]: 1, [ID_B]: null }), true);
  });

  for (const [label, value] of [
    ['an empty object (LangGraph R20)', {}],
    ['an object with name keys (R20)', { left: 1, right: 2 }],
    ['an object mixing an id and a name key', { [ID_A]: 1, note: 'x' }],
    ['an object keyed by a 31-char hex string', { [ID_A.slice(1)]: 1 }],
    ['an object keyed by upper-case hex', { [ID_A.toUpperCase()]: 1 }],
    ['an array', [ID_A]],
    ['null', null],
    ['a string id', ID_A],
  ] as const) {
    it(`is false for ${label}`, () => {
      assert.equal(isResumeMap(value), false);
    });
  }
});

describe('matchResume', () => {
  it('delivers a plain value to the one pending interrupt', () => {
    assert.deepEqual(matchResume({ resume: 'yes' }, one, 't'), { ok: true, answers: [{ id: ID_A, value: 'yes' }] });
  });

  for (const value of [false, 0, '', [], {}]) {
    it(`accepts the falsy or empty value ${JSON.stringify(value)} unchanged (R15, R20)`, () => {
      assert.deepEqual(matchResume({ resume: value }, one, 't'), { ok: true, answers: [{ id: ID_A, value }] });
    });
  }

  it('treats an object with non-id keys as a plain value (R20)', () => {
    const value = { left: 'ok', right: 'no' };
    assert.deepEqual(matchResume({ resume: value }, one, 't'), { ok: true, answers: [{ id: ID_A, value }] });
  });

  it('answers several pending interrupts by id with the map form', () => {
    const match = matchResume({ resume: { [ID_B]: 'right answer', [ID_A]: false } }, two, 't');
    assert.deepEqual(match, {
      ok: true,
      answers: [
        { id: ID_B, value: 'right answer' },
        { id: ID_A, value: false },
      ],
    });
  });

  it('accepts a partial map that answers only some pending interrupts', () => {
    assert.deepEqual(matchResume({ resume: { [ID_B]: 1 } }, two, 't'), { ok: true, answers: [{ id: ID_B, value: 1 }] });
  });

  it('rejects a map naming an id that is not pending, listing the pending ids and their nodes', () => {
    const match = rejected(matchResume({ resume: { [ID_A]: 1, [ID_UNKNOWN]: 2 } }, two, 'thread-9'));
    assert.equal(match.reason, 'invalid');
    assert.equal(
      match.message,
      `Resume for thread "thread-9" names interrupt id(s) "${ID_UNKNOWN}" that are not pending. ` +
        `Pending: "${ID_A}" (node "left"), "${ID_B}" (node "right").`,
    );
  });

  it('rejects a plain value when two interrupts are pending and shows the map form to send instead', () => {
    const match = rejected(matchResume({ resume: true }, two, 'thread-9'));
    assert.equal(match.reason, 'invalid');
    assert.match(match.message, /has 2 pending interrupts, so a plain resume value is ambiguous/);
    assert.ok(match.message.includes(`{"resume": {"${ID_A}": <value>, "${ID_B}": <value>}}`), match.message);
  });

  for (const resume of [null, undefined]) {
    it(`rejects {"resume": ${String(resume)}} as empty and names the pending interrupt (R15)`, () => {
      const match = rejected(matchResume({ resume }, one, 'thread-9'));
      assert.equal(match.reason, 'invalid');
      assert.match(
        match.message,
        new RegExp(
          `^Resume for thread "thread-9" is empty: .*Send the answer as \\{"resume": <value>\\}, with <value> the JSON the interrupt asks for\\. Pending: "${ID_A}" \\(node "review"\\)\\.$`,
        ),
      );
    });
  }

  for (const [label, payload] of [
    ['a bare value', true],
    ['a string', 'yes'],
    ['null', null],
    ['an array', [{ resume: true }]],
    ['an object without resume', { approve: true }],
  ] as const) {
    it(`rejects ${label} as a payload: it must be {"resume": <value>}`, () => {
      const match = rejected(matchResume(payload, one, 'thread-9'));
      assert.equal(match.reason, 'invalid');
      assert.match(match.message, /^Resume for thread "thread-9" must be a JSON object \{"resume": <value>\}, got /);
    });
  }

  it('reports no_pending when nothing is pending, whatever the value', () => {
    for (const resume of [true, null, { [ID_A]: 1 }]) {
      const match = rejected(matchResume({ resume }, [], 'thread-9'));
      assert.equal(match.reason, 'no_pending');
      assert.equal(match.message, 'Thread "thread-9" has no pending interrupt; the resume was not applied.');
    }
  });

  it('checks the payload shape before whether anything is pending', () => {
    assert.equal(rejected(matchResume({ approve: true }, [], 't')).reason, 'invalid');
  });
});

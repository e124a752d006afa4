import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWireNodeResult, packNodeResult, unpackNodeResult } from '../../../src/protocol/node-result-wire.js';
import type { NodeResult } from '../../../src/protocol/payloads.js';

const results: Record<string, NodeResult> = {
  'an update': { kind: 'update', update: { n: 1 }, next: [] },
  'no update, with destinations, Sends and custom chunks': {
    kind: 'update',
    update: null,
    next: ['b'],
    sends: [{ node: 'w', arg: 1 }],
    custom: ['c'],
  },
  'a local run with its receipt': {
    kind: 'update',
    update: { a: true },
    next: [],
    receipt: { taskId: 't', step: 1, state: { a: false } },
  },
  'a first interrupt': { kind: 'interrupt', index: 0, value: { q: '?' }, steps: [{ name: 's', value: 1 }] },
  'a second interrupt': { kind: 'interrupt', index: 1, value: 'again', rejected: 'bad' },
  'a Command.PARENT': { kind: 'parent', update: { x: 1 }, goto: ['up'] },
};

describe('the recorded node result (packNodeResult / unpackNodeResult)', () => {
  for (const [label, result] of Object.entries(results)) {
    it(`gives back the result: ${label}`, () => {
      const wire = JSON.parse(JSON.stringify(packNodeResult(result)));
      assert.equal(isWireNodeResult(wire), true);
      assert.deepEqual(unpackNodeResult(wire), result);
    });
  }

  it('writes an update without its kind, null update or empty next, and a first interrupt without its index', () => {
    assert.deepEqual(packNodeResult(results['an update']!), { update: { n: 1 } });
    assert.deepEqual(packNodeResult({ kind: 'update', update: null, next: [] }), {});
    assert.equal('index' in packNodeResult(results['a first interrupt']!), false);
  });

  it('refuses what is not a recorded node result', () => {
    for (const value of [null, 'x', [], { kind: 'update' }, { kind: 'other' }])
      assert.equal(isWireNodeResult(value), false);
  });
});

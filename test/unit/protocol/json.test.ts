import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropUndefinedProperties, findNonJsonValue } from '../../../src/protocol/json.js';

class Approval {
  constructor(readonly ok: boolean) {}
}

describe('findNonJsonValue', () => {
  for (const [label, value] of [
    ['a string', 'text'],
    ['a finite number', -1.5],
    ['a boolean', false],
    ['null', null],
    ['undefined at the top (no value at all)', undefined],
    ['nested plain objects and arrays', { a: [1, { b: [null, 'x', true] }], c: {} }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    [
      'object properties set to undefined (they travel as absent keys, R46)',
      { a: 1, b: undefined, c: { d: undefined } },
    ],
  ] as const) {
    it(`accepts ${label}`, () => {
      assert.equal(findNonJsonValue(value), undefined);
    });
  }

  it('accepts the same object reached twice without a cycle', () => {
    const shared = { id: 1 };
    assert.equal(findNonJsonValue({ a: shared, b: [shared, shared] }), undefined);
  });

  const cases: Array<[string, () => unknown, string]> = [
    ['a BigInt', () => ({ n: 10n }), '$.n: a BigInt'],
    ['a function', () => ({ handlers: [() => 1] }), '$.handlers[0]: a function'],
    ['a symbol', () => ({ tag: Symbol('x') }), '$.tag: a symbol'],
    ['NaN', () => ({ score: Number.NaN }), '$.score: NaN (not representable in JSON)'],
    ['Infinity', () => ({ max: Number.POSITIVE_INFINITY }), '$.max: Infinity (not representable in JSON)'],
    ['-Infinity', () => [Number.NEGATIVE_INFINITY], '$[0]: -Infinity (not representable in JSON)'],
    [
      'a Date',
      () => ({ items: [{ when: 'later' }, { when: new Date(0) }] }),
      '$.items[1].when: a Date instance (only plain objects and arrays survive)',
    ],
    ['a Map', () => ({ index: new Map() }), '$.index: a Map instance (only plain objects and arrays survive)'],
    ['a Set', () => [[new Set([1])]], '$[0][0]: a Set instance (only plain objects and arrays survive)'],
    [
      'a class instance ("an" before a vowel)',
      () => ({ decision: new Approval(true) }),
      '$.decision: an Approval instance (only plain objects and arrays survive)',
    ],
    ['an undefined array item', () => ({ list: [1, undefined] }), '$.list[1]: undefined (null in JSON)'],
    [
      'a key that is not an identifier',
      () => ({ 'due date': new Date(0) }),
      '$["due date"]: a Date instance (only plain objects and arrays survive)',
    ],
    ['a BigInt at the top', () => 1n, '$: a BigInt'],
  ];
  for (const [label, make, expected] of cases) {
    it(`reports ${label} with its exact path`, () => {
      assert.equal(findNonJsonValue(make()), expected);
    });
  }

  it('reports a circular reference with the path where the cycle closes', () => {
    const node: Record<string, unknown> = { name: 'root', children: [] };
    (node.children as unknown[]).push({ parent: node });
    assert.equal(findNonJsonValue(node), '$.children[0].parent: a circular reference');
  });

  it('reports the first problem in key order', () => {
    assert.equal(findNonJsonValue({ a: 1, b: Number.NaN, c: 1n }), '$.b: NaN (not representable in JSON)');
  });

  it('starts paths at the root name it is given', () => {
    assert.equal(findNonJsonValue({ x: 1n }, 'payload'), 'payload.x: a BigInt');
  });
});

describe('dropUndefinedProperties', () => {
  it('drops undefined object properties at every depth, keeps everything else', () => {
    const value = { a: 1, b: undefined, list: [{ c: undefined, d: null }, 'x'], nested: { e: undefined, f: false } };
    assert.deepEqual(dropUndefinedProperties(value), { a: 1, list: [{ d: null }, 'x'], nested: { f: false } });
    assert.deepEqual(Object.keys(dropUndefinedProperties(value)), ['a', 'list', 'nested']);
  });

  it('equals what JSON gives back, so the caller and a later reader see the same value', () => {
    const value = { question: 'Approve?', proposed_action: undefined, meta: { by: undefined, n: 2 } };
    assert.deepEqual(dropUndefinedProperties(value), JSON.parse(JSON.stringify(value)));
  });

  it('returns the same object when there is nothing to drop', () => {
    const value = { a: [1, { b: 2 }] };
    assert.equal(dropUndefinedProperties(value), value);
  });
});

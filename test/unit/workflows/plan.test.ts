import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { END, START, type EdgeSpec, type GraphSpec } from '../../../src/protocol/spec.js';
import { inDeclarationOrder, nextTriggers, startTriggers, type JoinState } from '../../../src/workflows/plan.js';

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
    const s = spec(['x', 'y', 'z'], [
      [START, 'z'],
      [START, 'x'],
      ['x', 'y'],
    ]);
    assert.deepEqual(startTriggers(s, []), ['x', 'z']);
  });

  it('adds the destinations routed from START, deduplicated, without END', () => {
    const s = spec(['x', 'y', 'z'], [[START, 'x']]);
    assert.deepEqual(startTriggers(s, ['z', 'x', END]), ['x', 'z']);
  });

  it('ignores a join edge that lists START (compile refuses it) and edges from other nodes', () => {
    const s = spec(['x', 'y'], [
      [[START, 'x'], 'y'],
      ['x', 'y'],
    ]);
    assert.deepEqual(startTriggers(s, []), []);
  });
});

describe('nextTriggers', () => {
  it('follows the static edges of every completed node', () => {
    const s = spec(['a', 'b', 'c', 'd'], [
      ['a', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
    assert.deepEqual(nextTriggers(s, [done('a'), done('b')], {}), ['c', 'd']);
  });

  it('adds the destinations chosen at run time (conditional edges, Command goto)', () => {
    const s = spec(['a', 'b', 'c'], [['a', 'b']]);
    assert.deepEqual(nextTriggers(s, [done('a', ['c'])], {}), ['b', 'c']);
  });

  it('drops END and runs a node triggered twice only once, in declaration order', () => {
    const s = spec(['d', 'a', 'b'], [
      ['a', 'd'],
      ['b', 'd'],
      ['a', END],
    ]);
    assert.deepEqual(nextTriggers(s, [done('b', ['d', END]), done('a', ['a'])], {}), ['d', 'a']);
  });

  it('returns nothing when every completed node leads to END', () => {
    const s = spec(['a'], [['a', END]]);
    assert.deepEqual(nextTriggers(s, [done('a', [END])], {}), []);
  });

  describe('a join edge addEdge([a, b], c)', () => {
    const s = spec(['a', 'b', 'c', 'x'], [
      [START, 'a'],
      [START, 'b'],
      [['a', 'b'], 'c'],
      ['a', 'x'],
    ]);

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
      const two = spec(['a', 'b', 'c', 'd'], [
        [['a', 'b'], 'c'],
        [['b', 'c'], 'd'],
      ]);
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

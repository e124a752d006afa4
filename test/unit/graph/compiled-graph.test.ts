import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { InvalidInputError, InvalidUpdateError } from '../../../src/errors.js';
import { appendReducer, withReducer } from '../../../src/graph/state.js';
import { StateGraph } from '../../../src/graph/state-graph.js';
import { START } from '../../../src/protocol/spec.js';
import { applyBuiltinReducer, clearFieldWrite, revealClearedFields } from '../../../src/protocol/reducers.js';

const graph = new StateGraph(
  z.object({
    request: z.string(),
    count: z.number().int().optional(),
    log: withReducer(z.array(z.string()), appendReducer, () => []),
    total: withReducer(
      z.number(),
      (current: number, update: number) => (current ?? 0) + update,
      () => 0,
    ),
    history: withReducer(
      z.array(z.number()),
      (current: number[], update: number[]) => [...update, ...current],
      () => [],
    ),
  }),
)
  .addNode('a', () => ({}))
  .addEdge(START, 'a')
  .compile({ name: 'parse-and-merge' });

/** Runs `fn` and returns the InvalidInputError it must throw. */
function inputError(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    return error;
  }
  assert.fail('no error was thrown');
}

describe('CompiledGraph.parseInput', () => {
  it('returns the parsed values of a valid input', () => {
    assert.deepEqual(graph.parseInput({ request: 'q3', count: 2 }), { request: 'q3', count: 2 });
  });

  it('treats null and undefined as no input', () => {
    assert.deepEqual(graph.parseInput(null), {});
    assert.deepEqual(graph.parseInput(undefined), {});
  });

  it('turns undefined on a last-value field into a clear write, which removes the key when merged (LangGraph clears it)', () => {
    const parsed = graph.parseInput({ request: 'x', count: undefined });
    assert.deepEqual(parsed, { request: 'x', count: clearFieldWrite() });
    const merged = graph.applyWrites({ request: 'old', count: 3, log: [] }, [parsed]);
    assert.deepEqual(merged, { request: 'x', log: [] });
    assert.equal('count' in merged, false);
  });

  it('clears a last-value field from a node update, in the engine merge as on the worker', () => {
    const parsed = graph.parseUpdate({ count: undefined }, 'a', 'thread-1');
    assert.deepEqual(parsed, { count: clearFieldWrite() });
    assert.equal(applyBuiltinReducer('last', 3, parsed.count), undefined);
    assert.deepEqual(revealClearedFields(parsed), { count: undefined });
    assert.equal('count' in revealClearedFields(parsed), true);
  });

  it('refuses undefined on a field with a reducer, naming node and field, instead of ignoring it', () => {
    assert.throws(
      () => graph.parseUpdate({ log: undefined, request: 'y' }, 'a', 'thread-1'),
      (error: unknown) =>
        error instanceof InvalidUpdateError &&
        /Node "a" .*thread "thread-1".*"log": undefined cannot be merged by the field's reducer/.test(error.message),
    );
  });

  it('rejects an unknown key, naming it and listing the real fields', () => {
    const error = inputError(() => graph.parseInput({ request: 'x', reqeust: 'typo' }, 'thread-7'));
    assert.match(error.message, /^Input for graph "parse-and-merge" \(thread "thread-7"\) is invalid: /);
    assert.match(
      error.message,
      /"reqeust" is not a field of the state \(fields: request, count, log, total, history\)/,
    );
    assert.equal(error.threadId, 'thread-7');
  });

  it('rejects a value of the wrong type, naming the field', () => {
    const error = inputError(() => graph.parseInput({ request: 42 }));
    assert.match(error.message, /is invalid: "request": .*expected string/i);
    assert.equal(error.threadId, undefined);
  });

  it('names every offending field at once', () => {
    const error = inputError(() => graph.parseInput({ request: 1, count: 1.5, extra: true }));
    assert.match(error.message, /"request": /);
    assert.match(error.message, /"count": /);
    assert.match(error.message, /"extra" is not a field/);
  });

  for (const input of ['text', 7, ['request']]) {
    it(`rejects ${JSON.stringify(input)}: input must be an object of state fields`, () => {
      const error = inputError(() => graph.parseInput(input));
      assert.match(error.message, /expected an object of state fields, got /);
    });
  }

  it('validates a write to a reducer field without a reducer schema against the field schema', () => {
    const error = inputError(() => graph.parseInput({ total: 'ten' }));
    assert.match(error.message, /"total": /);
  });

  it('accepts one element or an array of elements for an append field, and rejects anything else', () => {
    assert.deepEqual(graph.parseInput({ log: 'one' }), { log: 'one' });
    assert.deepEqual(graph.parseInput({ log: ['one', 'two'] }), { log: ['one', 'two'] });
    const error = inputError(() => graph.parseInput({ log: 42 }));
    assert.match(error.message, /"log": /);
  });

  it('names the node and the field when a node update is invalid', () => {
    assert.throws(
      () => graph.parseUpdate({ count: 'many' }, 'a', 'thread-1'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidUpdateError);
        assert.equal(error.node, 'a');
        assert.match(
          error.message,
          /^Node "a" of graph "parse-and-merge" \(thread "thread-1"\) returned an invalid update: "count": /,
        );
        return true;
      },
    );
  });
});

describe('CompiledGraph.applyWrites', () => {
  it('keeps the last value written to a field without a reducer', () => {
    assert.deepEqual(graph.applyWrites({ request: 'a' }, [{ request: 'b' }, { request: 'c' }]), { request: 'c' });
  });

  it('appends with appendReducer: an array write is concatenated, a single value pushed', () => {
    const next = graph.applyWrites({ log: ['start'] }, [{ log: ['x', 'y'] }, { log: 'z' }]);
    assert.deepEqual(next.log, ['start', 'x', 'y', 'z']);
  });

  it('applies a custom reducer to each write in order', () => {
    assert.deepEqual(graph.applyWrites({ total: 1 }, [{ total: 2 }, { total: 3 }]).total, 6);
    // An order-sensitive reducer (prepend) shows the writes are applied first to last.
    assert.deepEqual(graph.applyWrites({ history: [0] }, [{ history: [1] }, { history: [2] }]).history, [2, 1, 0]);
  });

  it('merges mixed writes field by field and leaves the input values untouched', () => {
    const values = { request: 'a', log: ['start'], total: 10 };
    const next = graph.applyWrites(values, [
      { request: 'b', log: ['one'] },
      { total: 5, log: ['two'] },
    ]);
    assert.deepEqual(next, { request: 'b', log: ['start', 'one', 'two'], total: 15 });
    assert.deepEqual(values, { request: 'a', log: ['start'], total: 10 });
  });

  it('returns a copy of the values when there is nothing to write', () => {
    const values = { request: 'a' };
    const next = graph.applyWrites(values, []);
    assert.deepEqual(next, values);
    assert.notEqual(next, values);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InterruptOutsideNodeError, isDurableGraphError } from '../../../src/errors.js';
import { GraphInterrupt, interrupt, isGraphInterrupt, isNodePause } from '../../../src/graph/interrupt.js';
import { currentNodeContext, runInNodeContext, type NodeContext } from '../../../src/graph/node-context.js';

function context(resume: unknown[]): NodeContext {
  return {
    threadId: 't',
    graph: 'g',
    node: 'ask',
    taskId: 'task-1',
    step: 1,
    resume,
    interruptCount: 0,
    recordedSteps: [],
    steps: [],
  };
}

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('nothing was thrown');
}

describe('interrupt()', () => {
  it('throws InterruptOutsideNodeError, naming the rule, when called outside a node', () => {
    const error = thrown(() => interrupt('question'));
    assert.ok(error instanceof InterruptOutsideNodeError);
    assert.ok(isDurableGraphError(error));
    assert.equal(error.code, 'INTERRUPT_OUTSIDE_NODE');
    assert.match(
      error.message,
      /^interrupt\(\) was called outside a node; call it only inside a function passed to addNode\(\)/,
    );
    assert.equal(isNodePause(error), false);
  });

  it('pauses the node on the first call: throws a pause marker carrying index 0 and the value', () => {
    const pause = thrown(() => runInNodeContext(context([]), () => interrupt({ question: 'Approve?' })));
    assert.ok(isNodePause(pause));
    assert.equal(pause.index, 0);
    assert.deepEqual(pause.value, { question: 'Approve?' });
  });

  it("throws a GraphInterrupt error shaped as LangGraph's (R43): name, JSON message, interrupts", () => {
    const pause = thrown(() => runInNodeContext(context([]), () => interrupt()));
    assert.ok(pause instanceof GraphInterrupt && pause instanceof Error);
    assert.equal(pause.name, 'GraphInterrupt');
    assert.ok(isNodePause(pause) && isGraphInterrupt(pause));
    assert.equal(pause.value, undefined);
    assert.deepEqual(pause.interrupts, [{ value: undefined }]);
    assert.equal(pause.message, JSON.stringify([{ value: undefined }], null, 2));
  });

  it('returns the k-th resume value to the k-th call, then pauses at the first unanswered one', () => {
    const ctx = context(['Ada', false]);
    const seen: unknown[] = [];
    const pause = thrown(() =>
      runInNodeContext(ctx, () => {
        seen.push(interrupt('name?'));
        seen.push(interrupt('approve?'));
        seen.push(interrupt('age?'));
      }),
    );
    assert.deepEqual(seen, ['Ada', false]);
    assert.ok(isNodePause(pause));
    assert.equal(pause.index, 2);
    assert.equal(pause.value, 'age?');
    assert.equal(ctx.interruptCount, 3);
  });

  it('returns normally when every call has a resume value, including falsy ones', () => {
    const result = runInNodeContext(context([0, '', null]), () => [interrupt('a'), interrupt('b'), interrupt('c')]);
    assert.deepEqual(result, [0, '', null]);
  });

  it('keeps the context across await inside the node and drops it afterwards', async () => {
    const result = await runInNodeContext(context(['later']), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return interrupt('after an await');
    });
    assert.equal(result, 'later');
    assert.equal(currentNodeContext(), undefined);
    assert.ok(thrown(() => interrupt('outside again')) instanceof InterruptOutsideNodeError);
  });
});

describe('isNodePause', () => {
  for (const [label, value] of [
    ['null', null],
    ['an Error', new Error('pause')],
    ['a look-alike object without the marker', { index: 0, value: 'x' }],
    ['a string', 'pause'],
  ] as const) {
    it(`is false for ${label}`, () => {
      assert.equal(isNodePause(value), false);
    });
  }

  it('recognises the marker by its global symbol, as a duplicate copy of the package would make it', () => {
    assert.equal(isNodePause({ [Symbol.for('durable-graph.node-paused')]: true, index: 0, value: 1 }), true);
  });
});

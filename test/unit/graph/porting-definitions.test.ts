/**
 * LangGraph.js definitions: an Annotation state is taken; what durable-graph does not take (a state that is neither a
 * zod object nor an Annotation, a Runnable node) is refused by compile() with one problem that says what to write
 * instead, without follow-on problems.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tool } from '@langchain/core/tools';
import { Annotation, MessagesAnnotation } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { GraphDefinitionError } from '../../../src/errors.js';
import { MessagesZodState } from '../../../src/graph/messages.js';
import { StateGraph } from '../../../src/graph/state-graph.js';
import { END, START } from '../../../src/protocol/spec.js';

function definitionError(fn: () => unknown): GraphDefinitionError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof GraphDefinitionError, `expected GraphDefinitionError, got ${String(error)}`);
    return error;
  }
  assert.fail('no error was thrown');
}

describe('porting definitions from LangGraph.js', () => {
  for (const [label, state] of [
    ['Annotation.Root({...})', Annotation.Root({ topic: Annotation<string>() })],
    ['MessagesAnnotation', MessagesAnnotation],
  ] as const) {
    it(`accepts new StateGraph(${label}), so a LangGraph.js graph ports by changing imports`, () => {
      const graph = new StateGraph(state as never)
        .addNode('a', () => undefined)
        .addEdge(START, 'a')
        .addEdge('a', END)
        .compile({ name: 'annotated' });
      assert.deepEqual([...graph.fields.keys()], Object.keys(state.spec));
    });
  }

  it('refuses any other non-zod state with the same advice', () => {
    const error = definitionError(() =>
      new StateGraph({ topic: z.string() } as never)
        .addNode('a', () => undefined)
        .addEdge(START, 'a')
        .compile({ name: 'plain' }),
    );
    assert.deepEqual(error.problems.length, 1);
    assert.match(error.problems[0]!, /new StateGraph\(\) got an object; durable-graph's state is a zod object schema/);
  });

  it('accepts a ToolNode (a LangChain Runnable) as a node: the node calls its invoke() with the state', () => {
    const search = tool(async () => 'sunny', {
      name: 'search',
      description: 'search',
      schema: z.object({ q: z.string() }),
    });
    const graph = new StateGraph(MessagesZodState)
      .addNode('tools', new ToolNode([search]))
      .addEdge(START, 'tools')
      .addEdge('tools', END)
      .compile({ name: 'with-tool-node' });
    assert.deepEqual([...graph.nodes.keys()], ['tools']);
    assert.equal(typeof graph.nodes.get('tools')!.fn, 'function');
  });

  it('accepts MessagesZodState, the zod state to use instead of MessagesAnnotation', () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .addEdge('a', END)
      .compile({ name: 'messages-ok' });
    assert.deepEqual([...graph.fields.keys()], ['messages']);
  });
});

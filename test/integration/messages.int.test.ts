/**
 * Chat messages in graph state (issue 3, item 12): `@langchain/core` messages round-trip through Temporal
 * payloads as plain JSON and arrive in nodes, routers and client results as message objects; the
 * `messages` reducer appends, replaces by id and removes by id (LangGraph's messagesStateReducer).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AIMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import { z } from 'zod';
import { getStateQuery } from '../../src/protocol/messages.js';
import type { ThreadState } from '../../src/protocol/payloads.js';
import { END, InvalidUpdateError, MessagesZodState, START, StateGraph, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

const toolCall = {
  id: 'call_1',
  name: 'send_email',
  args: { to: 'ops@example.com', cc: ['a@example.com'] },
  type: 'tool_call' as const,
};
const kinds = (messages: unknown[]) => messages.map((m) => (m as BaseMessage).constructor.name);

describe('chat messages in graph state', () => {
  it('arrive in nodes and routers as message objects, with an AIMessage tool calls intact', async () => {
    const seen: string[] = [];
    const graph = new StateGraph(MessagesZodState)
      .addNode('agent', (s) => {
        seen.push(`agent: ${kinds(s.messages).join(', ')}`);
        return { messages: [new AIMessage({ content: 'let me send that', tool_calls: [toolCall] })] };
      })
      .addNode('tools', (s) => {
        const last = s.messages.at(-1);
        assert.ok(last instanceof AIMessage, 'the AIMessage written by the previous node is an AIMessage again');
        seen.push(`tools: ${JSON.stringify(last.tool_calls)}`);
        return {
          messages: [new ToolMessage({ content: 'sent', tool_call_id: last.tool_calls![0]!.id!, name: 'send_email' })],
        };
      })
      .addEdge(START, 'agent')
      .addConditionalEdges(
        'agent',
        (s) => {
          seen.push(`router: ${kinds(s.messages).join(', ')}`);
          return (s.messages.at(-1) as AIMessage).tool_calls?.length ? 'tools' : END;
        },
        ['tools', END],
      )
      .addEdge('tools', END)
      .compile({ name: 'messages-in-nodes' });
    await withGraphs([graph], async ({ client }) => {
      await client
        .graph(graph)
        .invoke(
          { messages: [new SystemMessage('be brief'), new HumanMessage('email ops')] },
          { configurable: { thread_id: threadId('msg-nodes') } },
        );
    });
    assert.deepEqual(seen, [
      'agent: SystemMessage, HumanMessage',
      'router: SystemMessage, HumanMessage, AIMessage',
      `tools: ${JSON.stringify([toolCall])}`,
    ]);
  });

  it('come back from invoke() and getState() as message objects, and are plain JSON in the workflow', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('agent', () => ({ messages: [new AIMessage({ content: '', tool_calls: [toolCall] })] }))
      .addNode('tools', () => ({
        messages: [new ToolMessage({ content: 'sent', tool_call_id: 'call_1', status: 'success' })],
      }))
      .addEdge(START, 'agent')
      .addEdge('agent', 'tools')
      .addEdge('tools', END)
      .compile({ name: 'messages-out' });
    await withGraphs([graph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('msg-out') } };
      const result = await client.graph(graph).invoke({ messages: [new HumanMessage('email ops')] }, config);
      assert.deepEqual(kinds(result.messages), ['HumanMessage', 'AIMessage', 'ToolMessage']);
      const [human, ai, tool] = result.messages as [HumanMessage, AIMessage, ToolMessage];
      assert.ok(human instanceof HumanMessage && ai instanceof AIMessage && tool instanceof ToolMessage);
      assert.deepEqual(ai.tool_calls, [toolCall]);
      assert.equal(tool.tool_call_id, 'call_1');
      assert.equal(tool.status, 'success');

      const snapshot = await client.graph(graph).getState(config);
      assert.deepEqual(kinds(snapshot.values.messages), ['HumanMessage', 'AIMessage', 'ToolMessage']);
      assert.deepEqual((snapshot.values.messages[1] as AIMessage).tool_calls, [toolCall]);
      assert.deepEqual(
        snapshot.values.messages.map((m) => m.id),
        result.messages.map((m) => m.id),
      );

      // What Temporal holds (and any other client reads): plain JSON, every message with an id.
      const raw = (await client.temporal.workflow.getHandle(config.configurable.thread_id).result()) as ThreadState;
      const wire = raw.values.messages as Array<Record<string, unknown>>;
      assert.deepEqual(
        wire.map(({ id, ...rest }) => (assert.match(String(id), /^[0-9a-f-]{36}$/), rest)),
        [
          { type: 'human', content: 'email ops' },
          { type: 'ai', content: '', tool_calls: [toolCall] },
          { type: 'tool', content: 'sent', tool_call_id: 'call_1', status: 'success' },
        ],
      );
    });
  });

  it('append, replace the message with the same id, and delete the message a RemoveMessage names', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('draft', () => ({ messages: [new AIMessage({ content: 'first draft', id: 'draft' })] }))
      .addNode('revise', () => ({
        messages: [
          new AIMessage({ content: 'second draft', id: 'draft' }),
          new HumanMessage({ content: 'ship it', id: 'ok' }),
        ],
      }))
      .addNode('trim', (s) => ({ messages: [new RemoveMessage({ id: s.messages[0]!.id! })] }))
      .addEdge(START, 'draft')
      .addEdge('draft', 'revise')
      .addEdge('revise', 'trim')
      .addEdge('trim', END)
      .compile({ name: 'messages-reducer' });
    await withGraphs([graph], async ({ client }) => {
      const result = await client
        .graph(graph)
        .invoke(
          { messages: [new HumanMessage({ content: 'write a note', id: 'ask' })] },
          { configurable: { thread_id: threadId('msg-reduce') } },
        );
      assert.deepEqual(
        result.messages.map((m) => [m.constructor.name, m.id, m.content]),
        [
          ['AIMessage', 'draft', 'second draft'],
          ['HumanMessage', 'ok', 'ship it'],
        ],
      );
    });
  });

  it('give a message without an id one where it is written, and every later reader sees that same id', async () => {
    const ids: Array<string | undefined> = [];
    const graph = new StateGraph(MessagesZodState)
      .addNode('reply', () => ({ messages: [new AIMessage('no id given')] }))
      .addNode('read', (s) => {
        ids.push(s.messages[1]?.id);
        return {};
      })
      .addNode('read_again', (s) => {
        ids.push(s.messages[1]?.id);
        return {};
      })
      .addEdge(START, 'reply')
      .addEdge('reply', 'read')
      .addEdge('read', 'read_again')
      .addEdge('read_again', END)
      .compile({ name: 'messages-ids' });
    await withGraphs([graph], async ({ client }) => {
      const result = await client
        .graph(graph)
        .invoke({ messages: ['hello'] }, { configurable: { thread_id: threadId('msg-ids') } });
      assert.match(String(result.messages[0]!.id), /^[0-9a-f-]{36}$/, 'the input message got an id on the client');
      assert.match(String(ids[0]), /^[0-9a-f-]{36}$/);
      assert.deepEqual(ids, [ids[0], ids[0]]);
      assert.equal(result.messages[1]!.id, ids[0]);
    });
  });

  it('accumulate over the runs of a thread: new input continues the conversation', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('echo', (s) => ({ messages: [new AIMessage(`you said: ${s.messages.at(-1)!.text}`)] }))
      .addEdge(START, 'echo')
      .addEdge('echo', END)
      .compile({ name: 'messages-turns' });
    await withGraphs([graph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('msg-turns') } };
      await client.graph(graph).invoke({ messages: [new HumanMessage('one')] }, config);
      const second = await client.graph(graph).invoke({ messages: [{ role: 'user', content: 'two' }] }, config);
      assert.deepEqual(
        second.messages.map((m) => [m.constructor.name, m.text]),
        [
          ['HumanMessage', 'one'],
          ['AIMessage', 'you said: one'],
          ['HumanMessage', 'two'],
          ['AIMessage', 'you said: two'],
        ],
      );
    });
  });

  it('are merged the same way when the graph also has a custom reducer (merged on the worker)', async () => {
    const State = MessagesZodState.extend({
      log: withReducer(
        z.array(z.string()),
        (a: string[], b: string[]) => [...a, ...b],
        () => [],
      ),
    });
    const graph = new StateGraph(State)
      .addNode('a', () => ({ messages: [new AIMessage({ content: 'v1', id: 'm' })], log: ['a'] }))
      .addNode('b', () => ({ messages: [new AIMessage({ content: 'v2', id: 'm' })], log: ['b'] }))
      .addEdge(START, 'a')
      .addEdge('a', 'b')
      .addEdge('b', END)
      .compile({ name: 'messages-custom-reducer' });
    await withGraphs([graph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('msg-custom') } };
      const result = await client.graph(graph).invoke({ messages: [new HumanMessage('go')] }, config);
      assert.deepEqual(result.log, ['a', 'b']);
      assert.deepEqual(
        result.messages.map((m) => [m.constructor.name, m.content]),
        [
          ['HumanMessage', 'go'],
          ['AIMessage', 'v2'],
        ],
      );
      const raw = await client.temporal.workflow.getHandle(config.configurable.thread_id).query(getStateQuery);
      assert.equal(
        Object.getPrototypeOf((raw.values.messages as object[])[1]),
        Object.prototype,
        'still plain JSON after a merge on the worker',
      );
    });
  });

  it('may be sent as plain JSON to a thread started by graph name (as another language or the CLI would)', async () => {
    const seen: string[] = [];
    const graph = new StateGraph(MessagesZodState)
      .addNode('agent', (s) => {
        seen.push(...kinds(s.messages));
        return { messages: [{ type: 'ai', content: 'hi there' }] };
      })
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile({ name: 'messages-by-name' });
    await withGraphs([graph], async ({ client }) => {
      const result = await client
        .graph('messages-by-name')
        .invoke(
          { messages: [{ type: 'human', content: 'hello' }] },
          { configurable: { thread_id: threadId('msg-name') } },
        );
      assert.deepEqual(seen, ['HumanMessage']);
      // Without the compiled graph the client cannot know which fields hold messages: it returns the JSON.
      assert.deepEqual(
        (result.messages as Array<Record<string, unknown>>).map(({ type, content, id }) => [type, content, typeof id]),
        [
          ['human', 'hello', 'string'],
          ['ai', 'hi there', 'string'],
        ],
      );
    });
  });

  it('fail the node with InvalidUpdateError when it removes an id the state does not have', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('trim', () => ({ messages: [new RemoveMessage({ id: 'not-there' })] }))
      .addEdge(START, 'trim')
      .addEdge('trim', END)
      .compile({ name: 'messages-bad-remove' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('msg-bad-remove');
      await assert.rejects(
        client.graph(graph).invoke({ messages: [new HumanMessage('hi')] }, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidUpdateError);
          assert.equal((error as InvalidUpdateError).node, 'trim');
          assert.match(
            (error as Error).message,
            /RemoveMessage for "messages" with id "not-there", but no message with that id is in the state/,
          );
          return true;
        },
      );
    });
  });

  it('reject a node update that is not a message, naming the field and position', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('bad', () => ({ messages: [new AIMessage('fine'), 42 as never] }))
      .addEdge(START, 'bad')
      .addEdge('bad', END)
      .compile({ name: 'messages-bad-update' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({ messages: [] }, { configurable: { thread_id: threadId('msg-bad') } }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidUpdateError);
          assert.match((error as Error).message, /"messages"\[1\]: expected a chat message .* got 42/);
          return true;
        },
      );
    });
  });
});

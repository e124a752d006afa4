import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AIMessage,
  AIMessageChunk,
  BaseMessage,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { messagesStateReducer as langGraphReducer } from '@langchain/langgraph';
import { z } from 'zod';
import {
  encodeMessagesDeep,
  fromMessageDict,
  reviveMessagesDeep,
  reviveStateMessages,
  toMessageDict,
  toWireMessages,
} from '../../../src/graph/message-codec.js';
import {
  END,
  MessagesZodMeta,
  MessagesZodState,
  REMOVE_ALL_MESSAGES,
  START,
  StateGraph,
  addMessages,
  messagesStateReducer,
  registry,
} from '../../../src/index.js';

const everyKind = (): BaseMessage[] => [
  new SystemMessage({ content: 'You are terse.', id: 's1' }),
  new HumanMessage({ content: 'Email ops about Q3', id: 'h1', name: 'ann', additional_kwargs: { source: 'web' } }),
  new AIMessage({
    content: [{ type: 'text', text: 'Sending.' }],
    id: 'a1',
    tool_calls: [
      { id: 'call_1', name: 'send_email', args: { to: 'ops@example.com', cc: ['a', 'b'] }, type: 'tool_call' },
    ],
    usage_metadata: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    response_metadata: { model: 'fake' },
  }),
  new ToolMessage({
    content: 'sent',
    id: 't1',
    tool_call_id: 'call_1',
    name: 'send_email',
    status: 'success',
    artifact: { messageId: 42 },
  }),
  new ChatMessage({ content: 'note', id: 'c1', role: 'critic' }),
  new FunctionMessage({ content: '{}', id: 'f1', name: 'legacy' }),
];

describe('chat messages on the wire', () => {
  it('round-trips every message class through JSON to an equal message of the same class', () => {
    for (const message of everyKind()) {
      const wire = JSON.parse(JSON.stringify(toMessageDict(message)));
      const back = fromMessageDict(wire);
      assert.equal(back.constructor, message.constructor, `${message.type} keeps its class`);
      assert.deepEqual(toMessageDict(back), toMessageDict(message), `${message.type} keeps its fields`);
    }
  });

  it('keeps an AIMessage tool calls, with their ids and arguments', () => {
    const back = fromMessageDict(JSON.parse(JSON.stringify(toMessageDict(everyKind()[2]!)))) as AIMessage;
    assert.ok(back instanceof AIMessage);
    assert.deepEqual(back.tool_calls, [
      { id: 'call_1', name: 'send_email', args: { to: 'ops@example.com', cc: ['a', 'b'] }, type: 'tool_call' },
    ]);
    assert.deepEqual(back.usage_metadata, { input_tokens: 10, output_tokens: 5, total_tokens: 15 });
  });

  it('writes compact plain JSON: type, content, id and only the fields that are set', () => {
    assert.deepEqual(toMessageDict(new HumanMessage({ content: 'hi', id: 'h' })), {
      type: 'human',
      content: 'hi',
      id: 'h',
    });
    assert.deepEqual(toMessageDict(new ToolMessage({ content: 'ok', tool_call_id: 'c', id: 't' })), {
      type: 'tool',
      content: 'ok',
      id: 't',
      tool_call_id: 'c',
    });
  });

  it('gives every message without an id a new one when it is encoded', () => {
    const [a, b] = toWireMessages([new HumanMessage('one'), { role: 'assistant', content: 'two' }]);
    assert.match(a!.id!, /^[0-9a-f-]{36}$/);
    assert.match(b!.id!, /^[0-9a-f-]{36}$/);
    assert.notEqual(a!.id, b!.id);
  });

  it('accepts what LangGraph accepts as a message: strings, role dicts, tuples, chunks and the serialised form', () => {
    const wire = toWireMessages(
      [
        'plain text',
        { role: 'user', content: 'role dict' },
        ['ai', 'tuple'],
        new AIMessageChunk({ content: 'chunk', id: 'k' }),
        {
          lc: 1,
          type: 'constructor',
          id: ['langchain_core', 'messages', 'SystemMessage'],
          kwargs: { content: 'serialised' },
        },
      ],
      () => 'new-id',
    );
    assert.deepEqual(
      wire.map((m) => [m.type, m.content]),
      [
        ['human', 'plain text'],
        ['human', 'role dict'],
        ['ai', 'tuple'],
        ['ai', 'chunk'],
        ['system', 'serialised'],
      ],
    );
  });

  it('names the position of a value that is not a message', () => {
    assert.throws(() => toWireMessages(['ok', 42]), /^Error: \[1\]: expected a chat message .* got 42$/);
  });

  it('revives only the fields whose reducer is the messages reducer', () => {
    const graph = new StateGraph(MessagesZodState.extend({ note: z.any().optional() }))
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .addEdge('a', END)
      .compile({ name: 'revive-test' });
    const state = reviveStateMessages(graph, {
      messages: [{ type: 'human', content: 'hi', id: '1' }],
      note: { type: 'human', content: 'not a message field' },
    });
    assert.ok(state.messages instanceof Array && state.messages[0] instanceof HumanMessage);
    assert.deepEqual(state.note, { type: 'human', content: 'not a message field' });
  });
});

describe('messages inside other recorded values (encodeMessagesDeep / reviveMessagesDeep)', () => {
  it('keeps a "__proto__" key of a JSON value as a key (a resume value may have one)', () => {
    const value = JSON.parse('{"__proto__":[null,""],"resume":1}') as Record<string, unknown>;
    const encoded = encodeMessagesDeep(value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(encoded), ['__proto__', 'resume']);
    assert.equal(JSON.stringify(encoded), '{"__proto__":[null,""],"resume":1}');
    assert.equal(Object.getPrototypeOf(encoded), Object.prototype);
  });

  it('encode messages at any depth to JSON without inventing ids, and revive them to the same classes', () => {
    const value = {
      draft: new AIMessage({ content: 'hi', tool_calls: [{ id: 'c', name: 't', args: { n: 1 } }] }),
      history: [new HumanMessage({ content: 'q', id: 'h' })],
      n: 1,
    };
    const wire = JSON.parse(JSON.stringify(encodeMessagesDeep(value)));
    assert.deepEqual(wire, {
      draft: { type: 'ai', content: 'hi', tool_calls: [{ id: 'c', name: 't', args: { n: 1 }, type: 'tool_call' }] },
      history: [{ type: 'human', content: 'q', id: 'h' }],
      n: 1,
    });
    const back = reviveMessagesDeep(wire) as { draft: AIMessage; history: HumanMessage[]; n: number };
    assert.ok(back.draft instanceof AIMessage && back.history[0] instanceof HumanMessage);
    assert.deepEqual(back.draft.tool_calls, [{ id: 'c', name: 't', args: { n: 1 }, type: 'tool_call' }]);
    assert.equal(back.n, 1);
  });
});

describe('messagesStateReducer', () => {
  const base = () => [new HumanMessage({ content: 'hi', id: '1' }), new AIMessage({ content: 'hello', id: '2' })];

  it('appends, replaces by id and removes by id, returning message objects', () => {
    const merged = messagesStateReducer(base(), [
      new AIMessage({ content: 'hello!', id: '2' }),
      new HumanMessage({ content: 'bye', id: '3' }),
      new RemoveMessage({ id: '1' }),
    ]);
    assert.deepEqual(
      merged.map((m) => [m.constructor.name, m.id, m.content]),
      [
        ['AIMessage', '2', 'hello!'],
        ['HumanMessage', '3', 'bye'],
      ],
    );
  });

  it('gives a message without an id a uuid, as LangGraph does', () => {
    const [, , added] = messagesStateReducer(base(), { role: 'user', content: 'no id' });
    assert.match(added!.id!, /^[0-9a-f-]{36}$/);
  });

  it("throws LangGraph's error when a RemoveMessage names an id that is not there", () => {
    assert.throws(
      () => messagesStateReducer(base(), new RemoveMessage({ id: 'x' })),
      /Attempting to delete a message with an ID that doesn't exist \('x'\)/,
    );
  });

  it('keeps only what follows a RemoveMessage with REMOVE_ALL_MESSAGES', () => {
    const merged = messagesStateReducer(base(), [
      new RemoveMessage({ id: REMOVE_ALL_MESSAGES }),
      new HumanMessage({ content: 'fresh', id: '9' }),
    ]);
    assert.deepEqual(
      merged.map((m) => m.id),
      ['9'],
    );
  });

  it('gives the same result as LangGraph.js 1.7.3 on the same writes', () => {
    const sequences: Array<[BaseMessage[], unknown]> = [
      [base(), [new AIMessage({ content: 'edited', id: '2' })]],
      [base(), [new RemoveMessage({ id: '2' }), new HumanMessage({ content: 'again', id: '2' })]],
      [base(), [new RemoveMessage({ id: '1' })]],
      [
        base(),
        [
          new HumanMessage({ content: 'x', id: '5' }),
          new RemoveMessage({ id: REMOVE_ALL_MESSAGES }),
          new AIMessage({ content: 'y', id: '6' }),
        ],
      ],
      [base(), new ToolMessage({ content: 'done', tool_call_id: 'c', id: '7' })],
      [[], [new AIMessage({ content: '', id: '8', tool_calls: [{ id: 'c', name: 't', args: {} }] })]],
    ];
    const shape = (list: BaseMessage[]) => list.map((m) => [m.constructor.name, m.id, m.content]);
    for (const [left, right] of sequences) {
      assert.deepEqual(
        shape(messagesStateReducer(left, right as never)),
        shape(langGraphReducer(left, right as never)),
      );
    }
  });

  it("is also exported under LangGraph's other name, addMessages", () => {
    assert.equal(addMessages, messagesStateReducer);
  });

  it('marks a field declared with MessagesZodMeta as a messages field the engine merges', () => {
    const State = z.object({
      messages: z.custom<BaseMessage[]>().register(registry, MessagesZodMeta),
      other: z.string().optional(),
    });
    const graph = new StateGraph(State)
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .addEdge('a', END)
      .compile({ name: 'meta-test' });
    assert.deepEqual(graph.spec.channels.messages, { reducer: 'messages', hasDefault: true, default: [] });
  });

  it('turns a node update into wire JSON with ids, so nothing but JSON reaches the engine', () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .addEdge('a', END)
      .compile({ name: 'update-test' });
    const parsed = graph.parseUpdate(
      { messages: [new AIMessage({ content: 'calling', tool_calls: [{ id: 'c', name: 't', args: { n: 1 } }] })] },
      'a',
      'thread',
    );
    const [message] = parsed.messages as Array<Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(message), Object.prototype);
    assert.deepEqual(
      { ...message, id: 'x' },
      {
        type: 'ai',
        content: 'calling',
        id: 'x',
        tool_calls: [{ id: 'c', name: 't', args: { n: 1 }, type: 'tool_call' }],
      },
    );
  });
});

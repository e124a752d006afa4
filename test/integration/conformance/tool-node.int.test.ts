/**
 * A LangChain Runnable as a node (LangGraph's prebuilt ToolNode): the node calls its invoke() with the state, as
 * LangGraph does, and an interrupt() inside a tool (tool-level approval) pauses the node; the same graph on
 * LangGraph.js 1.7.3 (MemorySaver) gives the same messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import {
  Command as LgCommand,
  MemorySaver,
  MessagesAnnotation,
  StateGraph as LgStateGraph,
  interrupt as lgInterrupt,
} from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { Command, END, MessagesZodState, START, StateGraph, interrupt } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const sent: string[] = [];

/** A tool that asks a human before it sends (the seed's tool-level approval), with either library's interrupt(). */
function sendEmail(ask: (value: unknown) => unknown) {
  return tool(
    async ({ to }: { to: string }) => {
      const approved = ask({ question: `Send the email to ${to}?` });
      if (approved !== true) return `Not sent: ${String(approved)}`;
      sent.push(to);
      return `Sent to ${to}`;
    },
    { name: 'send_email', description: 'Send an email', schema: z.object({ to: z.string() }) },
  );
}

const agent = () => ({
  messages: [
    new AIMessage({
      content: '',
      id: 'ai-1',
      tool_calls: [{ id: 'call-1', name: 'send_email', args: { to: 'ops@example.com' } }],
    }),
  ],
});

const graph = new StateGraph(MessagesZodState)
  .addNode('agent', agent)
  .addNode('tools', new ToolNode([sendEmail(interrupt)]))
  .addEdge(START, 'agent')
  .addEdge('agent', 'tools')
  .addEdge('tools', END)
  .compile({ name: 'tool-node-approval' });

/** type and content of each message: what both libraries must agree on. */
const shapes = (messages: BaseMessage[]) => messages.map((m) => [m.getType(), m.content]);

describe('a ToolNode as a node', () => {
  it('runs the tools, pauses at an interrupt() inside a tool, and resumes into the same messages as LangGraph.js', async () => {
    const lg = new LgStateGraph(MessagesAnnotation)
      .addNode('agent', agent)
      .addNode('tools', new ToolNode([sendEmail(lgInterrupt)]))
      .addEdge('__start__', 'agent')
      .addEdge('agent', 'tools')
      .addEdge('tools', '__end__')
      .compile({ checkpointer: new MemorySaver() });
    const lgConfig = { configurable: { thread_id: 'lg-tools' } };
    const lgPaused = (await lg.invoke({ messages: [new HumanMessage('mail ops')] }, lgConfig)) as {
      __interrupt__?: Array<{ value: unknown }>;
    };
    const lgDone = await lg.invoke(new LgCommand({ resume: true }), lgConfig);
    sent.length = 0;

    await withGraphs([graph], async ({ client }) => {
      const app = client.graph(graph);
      const config = { configurable: { thread_id: threadId('tools') } };
      const paused = await app.invoke({ messages: [new HumanMessage('mail ops')] }, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        lgPaused.__interrupt__!.map((i) => i.value),
      );
      assert.deepEqual(sent, [], 'nothing sent before the approval');
      const done = await app.invoke(new Command({ resume: true }), config);
      assert.deepEqual(shapes(done.messages), shapes(lgDone.messages));
      assert.deepEqual(shapes(done.messages).at(-1), ['tool', 'Sent to ops@example.com']);
      assert.deepEqual(sent, ['ops@example.com']);
    });
  });
});

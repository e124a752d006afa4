/**
 * The three agent examples (issue 3, item 12), run against the dev server: an approval gate on an agent's
 * proposed action, content review where the human edits the draft, and tool-level approval with
 * `interrupt()` inside a tool function (approve, edit the arguments, reject with a message).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { agentApprovalGraph } from '../../examples/agent-approval/graph.js';
import { contentReviewGraph } from '../../examples/content-review/graph.js';
import { toolApprovalGraph, type ToolReview } from '../../examples/tool-approval/graph.js';
import type { GraphHandle } from '../../src/client.js';
import { Command, type StateOf } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

/** `[class, text]` of each message, and the tool calls of AI messages. */
const transcript = (messages: BaseMessage[]) =>
  messages.map((m) =>
    AIMessage.isInstance(m) && m.tool_calls?.length
      ? [m.constructor.name, m.tool_calls.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join()]
      : [m.constructor.name, m.text],
  );

describe('example: approval gate on an agent action', () => {
  const proposal = {
    question: 'Approve this action?',
    action: 'send_email',
    args: { to: 'ops@example.com', subject: 'Q3 report' },
  };

  it('pauses on the proposed tool call, and runs it once approved; the agent then reports', async () => {
    await withGraphs([agentApprovalGraph], async ({ client }) => {
      const graph = client.graph(agentApprovalGraph);
      const config = { configurable: { thread_id: threadId('agent-approve') } };
      const paused = await graph.invoke({ messages: [new HumanMessage('Q3 report')] }, config);
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [proposal],
      );
      assert.deepEqual(transcript(paused.messages), [
        ['HumanMessage', 'Q3 report'],
        ['AIMessage', 'send_email({"to":"ops@example.com","subject":"Q3 report"})'],
      ]);

      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.__interrupt__, undefined);
      assert.deepEqual(transcript(done.messages), [
        ['HumanMessage', 'Q3 report'],
        ['AIMessage', 'send_email({"to":"ops@example.com","subject":"Q3 report"})'],
        ['ToolMessage', 'email "Q3 report" sent to ops@example.com'],
        ['AIMessage', 'Done: email "Q3 report" sent to ops@example.com'],
      ]);
      const tool = done.messages[2] as ToolMessage;
      assert.equal(tool.tool_call_id, (done.messages[1] as AIMessage).tool_calls![0]!.id);

      const snapshot = await graph.getState(config);
      assert.equal(snapshot.status, 'completed');
      assert.deepEqual(transcript(snapshot.values.messages), transcript(done.messages));
    });
  });

  it('answers the tool call with an error ToolMessage when rejected, and never runs it', async () => {
    await withGraphs([agentApprovalGraph], async ({ client }) => {
      const graph = client.graph(agentApprovalGraph);
      const config = { configurable: { thread_id: threadId('agent-reject') } };
      await graph.invoke({ messages: [new HumanMessage('Q3 report')] }, config);
      const done = await graph.invoke(new Command({ resume: false }), config);
      assert.deepEqual(transcript(done.messages).slice(2), [
        ['ToolMessage', 'a human reviewer rejected this action'],
        ['AIMessage', 'Not sent: a human reviewer rejected this action'],
      ]);
      assert.equal((done.messages[2] as ToolMessage).status, 'error');
    });
  });
});

describe('example: content review', () => {
  const draft = 'Draft: our new office in Lyon. We are pleased to announce it.';

  it('shows the draft, then continues with the text the human edited, replacing the draft message in place', async () => {
    await withGraphs([contentReviewGraph], async ({ client }) => {
      const graph = client.graph(contentReviewGraph);
      const config = { configurable: { thread_id: threadId('review-edit') } };
      const paused = await graph.invoke({ messages: [new HumanMessage('our new office in Lyon')] }, config);
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [{ instruction: 'Review and edit this draft', content: draft }],
      );
      const draftId = paused.messages[1]!.id;

      const edited = 'We have opened an office in Lyon.';
      const done = await graph.invoke(new Command({ resume: edited }), config);
      assert.equal(done.published, edited);
      assert.deepEqual(transcript(done.messages), [
        ['HumanMessage', 'our new office in Lyon'],
        ['AIMessage', edited],
      ]);
      assert.equal(done.messages[1]!.id, draftId, 'the edit replaced the draft (same id), it was not appended');
    });
  });

  it('publishes the draft unchanged when the human sends it back as it is', async () => {
    await withGraphs([contentReviewGraph], async ({ client }) => {
      const graph = client.graph(contentReviewGraph);
      const config = { configurable: { thread_id: threadId('review-approve') } };
      const paused = await graph.invoke({ messages: [new HumanMessage('our new office in Lyon')] }, config);
      const done = await graph.invoke(
        new Command({ resume: (paused.__interrupt__![0]!.value as { content: string }).content }),
        config,
      );
      assert.equal(done.published, draft);
      assert.equal(done.messages.length, 2);
    });
  });
});

describe('example: tool-level approval', () => {
  const request = 'Email the Q3 report to Dana';
  const proposed = {
    to: 'dana@example.com',
    subject: 'the Q3 report',
    body: 'Hi Dana, please find the Q3 report attached.',
  };

  /** Runs the agent up to the send_email approval and checks what the human is shown. */
  async function pauseAtApproval(
    graph: GraphHandle<StateOf<typeof toolApprovalGraph.schema>>,
    config: { configurable: { thread_id: string } },
  ) {
    const paused = await graph.invoke({ messages: [new HumanMessage(request)] }, config);
    assert.deepEqual(
      paused.__interrupt__?.map((i) => i.value),
      [{ question: 'Send this email?', tool: 'send_email', args: proposed }],
      'lookup_contact ran without asking; send_email asks',
    );
    assert.deepEqual(transcript(paused.messages), [
      ['HumanMessage', request],
      ['AIMessage', 'lookup_contact({"name":"Dana"})'],
      ['ToolMessage', 'dana@example.com'],
      ['AIMessage', `send_email(${JSON.stringify(proposed)})`],
    ]);
    return paused;
  }

  const resume = (review: ToolReview) => new Command({ resume: review });

  it('runs the tool as proposed when approved, and the agent loops until it has no tool calls', async () => {
    await withGraphs([toolApprovalGraph], async ({ client }) => {
      const graph = client.graph(toolApprovalGraph);
      const config = { configurable: { thread_id: threadId('tool-approve') } };
      await pauseAtApproval(graph, config);
      const done = await graph.invoke(resume({ action: 'approve' }), config);
      assert.equal(done.__interrupt__, undefined);
      assert.deepEqual(transcript(done.messages).slice(4), [
        ['ToolMessage', 'email "the Q3 report" sent to dana@example.com'],
        ['AIMessage', 'Finished. The tool said: email "the Q3 report" sent to dana@example.com'],
      ]);
      const [call] = (done.messages[3] as AIMessage).tool_calls!;
      assert.ok(done.messages[4] instanceof ToolMessage);
      assert.equal((done.messages[4] as ToolMessage).tool_call_id, call!.id);
      assert.equal((done.messages[4] as ToolMessage).name, 'send_email');
    });
  });

  it('runs the tool with the arguments the human edited', async () => {
    await withGraphs([toolApprovalGraph], async ({ client }) => {
      const graph = client.graph(toolApprovalGraph);
      const config = { configurable: { thread_id: threadId('tool-edit') } };
      await pauseAtApproval(graph, config);
      const args = { to: 'finance@example.com', subject: 'Q3 report (final)', body: 'Attached.' };
      const done = await graph.invoke(resume({ action: 'edit', args }), config);
      assert.deepEqual(transcript(done.messages).slice(4), [
        ['ToolMessage', 'email "Q3 report (final)" sent to finance@example.com'],
        ['AIMessage', 'Finished. The tool said: email "Q3 report (final)" sent to finance@example.com'],
      ]);
    });
  });

  it("answers the tool call with the human's message when rejected, and the model reads it", async () => {
    await withGraphs([toolApprovalGraph], async ({ client }) => {
      const graph = client.graph(toolApprovalGraph);
      const config = { configurable: { thread_id: threadId('tool-reject') } };
      await pauseAtApproval(graph, config);
      const message = 'Do not email Dana yet: the report is not final.';
      const done = await graph.invoke(resume({ action: 'reject', message }), config);
      assert.deepEqual(transcript(done.messages).slice(4), [
        ['ToolMessage', message],
        ['AIMessage', `Finished. The tool said: ${message}`],
      ]);
      const snapshot = await graph.getState(config);
      assert.ok(
        snapshot.values.messages.every(
          (m) => m instanceof HumanMessage || m instanceof AIMessage || m instanceof ToolMessage,
        ),
      );
      assert.equal(snapshot.values.messages.length, 6);
    });
  });
});

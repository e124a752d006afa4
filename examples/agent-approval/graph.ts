/**
 * Approval gate: an agent proposes an action (an AIMessage with a tool call) and a human approves or
 * rejects it before anything runs. The chat model is a deterministic fake, so this runs offline.
 */
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { Command, END, MessagesZodState, START, StateGraph, interrupt } from 'durable-graph';
import { ScriptedChatModel } from '../shared/scripted-chat-model.js';

// Asked for something, the model proposes send_email; given the tool's result, it reports back.
const model = new ScriptedChatModel((messages) => {
  const last = messages.at(-1)!;
  if (ToolMessage.isInstance(last))
    return new AIMessage(last.status === 'error' ? `Not sent: ${last.text}` : `Done: ${last.text}`);
  const args = { to: 'ops@example.com', subject: last.text };
  return new AIMessage({ content: '', tool_calls: [{ id: `call_${messages.length}`, name: 'send_email', args }] });
});

const proposedCall = (messages: BaseMessage[]) => (messages.at(-1) as AIMessage).tool_calls![0]!;

export const agentApprovalGraph = new StateGraph(MessagesZodState)
  .addNode('agent', async (s) => ({ messages: [await model.invoke(s.messages)] }))
  .addNode('run_tool', (s) => {
    const call = proposedCall(s.messages);
    const result = `email "${call.args.subject}" sent to ${call.args.to}`;
    return { messages: [new ToolMessage({ content: result, tool_call_id: call.id!, name: call.name })] };
  })
  .addNode('reject_tool', (s) => {
    const call = proposedCall(s.messages);
    const content = 'a human reviewer rejected this action';
    return { messages: [new ToolMessage({ content, tool_call_id: call.id!, name: call.name, status: 'error' })] };
  })
  .addNode(
    'human_approval',
    (s) => {
      const call = proposedCall(s.messages);
      const approved = interrupt<boolean>({ question: 'Approve this action?', action: call.name, args: call.args });
      return new Command({ goto: approved === true ? 'run_tool' : 'reject_tool' });
    },
    { ends: ['run_tool', 'reject_tool'] },
  )
  .addEdge(START, 'agent')
  // The agent loops until its reply has no tool call.
  .addConditionalEdges('agent', (s) => ((s.messages.at(-1) as AIMessage).tool_calls?.length ? 'human_approval' : END), [
    'human_approval',
    END,
  ])
  .addEdge('run_tool', 'agent')
  .addEdge('reject_tool', 'agent')
  .compile({ name: 'agent-approval' });

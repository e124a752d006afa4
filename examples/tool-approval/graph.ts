/**
 * Tool-level approval: the agent calls tools; the send_email tool asks a human inside the tool function
 * (`interrupt()`), who approves it, edits its arguments, or rejects it with a message for the model.
 * lookup_contact needs no approval. The answer has a response schema: a value that does not fit is refused before
 * anything is recorded, and every surface shows the expected shape. The chat model is a deterministic fake, so this
 * runs offline.
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import { END, MessagesZodState, START, StateGraph, interrupt } from 'durable-graph';
import { ScriptedChatModel } from '../shared/scripted-chat-model.js';

const EmailArgs = z.object({ to: z.string(), subject: z.string(), body: z.string() });
type EmailArgs = z.infer<typeof EmailArgs>;

// #region tool
/** What the human sends back: `new Command({ resume: { action: 'approve' } })`, and so on. */
const ToolReview = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('edit'), args: EmailArgs }),
  z.object({ action: z.literal('reject'), message: z.string() }),
]);
export type ToolReview = z.infer<typeof ToolReview>;

const sendEmail = tool(
  async (args: EmailArgs) => {
    // The schema is shown to the human (show, the memo, the Web UI) with an example, and checks the answer.
    const review = interrupt(
      { question: 'Send this email?', tool: 'send_email', args },
      { responseSchema: ToolReview },
    );
    if (review.action === 'reject') return review.message; // the model reads this as the tool's result
    const final = review.action === 'edit' ? review.args : args;
    return `email "${final.subject}" sent to ${final.to}`;
  },
  { name: 'send_email', description: 'Send an email.', schema: EmailArgs },
);
// #endregion tool

const lookupContact = tool(async ({ name }: { name: string }) => `${name.toLowerCase()}@example.com`, {
  name: 'lookup_contact',
  description: "Find a person's email address.",
  schema: z.object({ name: z.string() }),
});

const tools: Record<string, StructuredToolInterface> = { send_email: sendEmail, lookup_contact: lookupContact };

// Scripted replies: look the person up, email them, then report what the last tool said.
const model = new ScriptedChatModel((messages) => {
  const last = messages.at(-1)!;
  const id = `call_${messages.length}`;
  const [, subject = 'hello', name = 'Dana'] =
    /email (.+) to (\w+)/i.exec(messages.find(HumanMessage.isInstance)?.text ?? '') ?? [];
  if (HumanMessage.isInstance(last))
    return new AIMessage({ content: '', tool_calls: [{ id, name: 'lookup_contact', args: { name } }] });
  if (ToolMessage.isInstance(last) && last.name === 'lookup_contact') {
    const args: EmailArgs = { to: last.text, subject, body: `Hi ${name}, please find ${subject} attached.` };
    return new AIMessage({ content: '', tool_calls: [{ id, name: 'send_email', args }] });
  }
  return new AIMessage(`Finished. The tool said: ${last.text}`);
}).bindTools([sendEmail, lookupContact]);

const lastToolCalls = (messages: BaseMessage[]) => (messages.at(-1) as AIMessage).tool_calls ?? [];

export const toolApprovalGraph = new StateGraph(MessagesZodState)
  .addNode('agent', async (s) => ({ messages: [await model.invoke(s.messages)] }))
  .addNode('tools', async (s) => {
    const results: ToolMessage[] = [];
    for (const call of lastToolCalls(s.messages)) {
      // Invoked with the tool call, a LangChain tool returns a ToolMessage answering it.
      results.push(await tools[call.name]!.invoke({ ...call, type: 'tool_call' }));
    }
    return { messages: results };
  })
  .addEdge(START, 'agent')
  // The agent loops until its reply has no tool calls.
  .addConditionalEdges('agent', (s) => (lastToolCalls(s.messages).length ? 'tools' : END), ['tools', END])
  .addEdge('tools', 'agent')
  .compile({ name: 'tool-approval' });

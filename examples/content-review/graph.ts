/**
 * Content review: the model drafts, `interrupt()` shows the draft, the human sends back the text to
 * publish (edited or not), and the graph continues with it. The chat model is a deterministic fake.
 */
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { END, MessagesZodState, START, StateGraph, interrupt } from 'durable-graph';
import { ScriptedChatModel } from '../shared/scripted-chat-model.js';

const model = new ScriptedChatModel((messages) => {
  const request = messages.filter(HumanMessage.isInstance).at(-1)?.text ?? '';
  return new AIMessage(`Draft: ${request}. We are pleased to announce it.`);
});

const State = MessagesZodState.extend({ published: z.string().optional() });

export const contentReviewGraph = new StateGraph(State)
  .addNode('draft', async (s) => ({ messages: [await model.invoke(s.messages)] }))
  .addNode('review', (s) => {
    const draft = s.messages.at(-1) as AIMessage;
    const text = interrupt<string>({ instruction: 'Review and edit this draft', content: draft.text });
    // Same id: the messages reducer replaces the draft with the reviewed text instead of appending.
    return { messages: [new AIMessage({ id: draft.id!, content: text })] };
  })
  .addNode('publish', (s) => ({ published: s.messages.at(-1)!.text }))
  .addEdge(START, 'draft')
  .addEdge('draft', 'review')
  .addEdge('review', 'publish')
  .addEdge('publish', END)
  .compile({ name: 'content-review' });

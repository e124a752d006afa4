/**
 * Chat-message state, as in LangGraph.js: `MessagesZodState`, `MessagesZodMeta`, `messagesStateReducer`
 * (alias `addMessages`) and `REMOVE_ALL_MESSAGES`, under the same names, so a port changes only imports.
 *
 * ```ts
 * const State = MessagesZodState.extend({ approved: z.boolean().optional() });
 * // or: messages: z.custom<BaseMessage[]>().register(registry, MessagesZodMeta)
 * ```
 *
 * Nodes, routers and the client see `@langchain/core` message objects; Temporal history holds them as
 * plain JSON (see `MessageDict`). The engine merges message writes itself, in the workflow.
 */
import type { BaseMessage, BaseMessageLike } from '@langchain/core/messages';
import { v4 } from '@langchain/core/utils/uuid';
import { z } from 'zod';
import { REMOVE_ALL_MESSAGES, mergeMessages } from '../protocol/reducers.js';
import { toMessage } from './message-codec.js';
import { registry, tagBuiltinReducer, type StateFieldMeta } from './state.js';

export { REMOVE_ALL_MESSAGES };
export type { MessageDict } from '../protocol/reducers.js';

/** What a write to a messages field may be: one message or message-like, or an array of them. */
export type Messages = Array<BaseMessage | BaseMessageLike> | BaseMessage | BaseMessageLike;

/**
 * Merges messages as LangGraph's reducer does: appends new messages, replaces a message that has the
 * same id, deletes the message a `RemoveMessage({ id })` names, and with
 * `new RemoveMessage({ id: REMOVE_ALL_MESSAGES })` keeps only what follows it. Message-likes
 * (`{ role, content }`, `[type, content]`, strings) become message objects; a message without an id
 * gets a new uuid.
 *
 * Use it as a field's reducer (or take `MessagesZodState`): the engine recognises it and merges in the
 * workflow, on the JSON form, with ids already given on the worker or client where the write was made.
 *
 * @throws Error when a `RemoveMessage` names an id that is not in `left` (a node doing this fails with
 *   `InvalidUpdateError`).
 * @example
 * ```ts
 * const hi = new HumanMessage({ content: 'hi', id: '1' });
 * messagesStateReducer([hi], [new AIMessage('hello')]); // [hi, AIMessage 'hello' with a new id]
 * messagesStateReducer([hi], new RemoveMessage({ id: '1' })); // []
 * ```
 */
export const messagesStateReducer: (left: Messages, right: Messages) => BaseMessage[] = tagBuiltinReducer(
  function messagesStateReducer(left: Messages, right: Messages): BaseMessage[] {
    const toList = (value: Messages) =>
      (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]).map(toMessage);
    const current = toList(left);
    const update = toList(right);
    for (const message of [...current, ...update]) {
      if (message.id === undefined || message.id === null || message.id === '') {
        // As LangGraph does: the id is set on the message object itself.
        message.id = v4();
        message.lc_kwargs.id = message.id;
      }
    }
    return mergeMessages<BaseMessage>(current, update, (id) => {
      throw new Error(`Attempting to delete a message with an ID that doesn't exist ('${id}')`);
    });
  },
  'messages',
);

/** LangGraph's other name for {@link messagesStateReducer}. */
export const addMessages = messagesStateReducer;

/**
 * Field metadata for a messages field: the {@link messagesStateReducer} and an empty list by default.
 * `z.custom<BaseMessage[]>().register(registry, MessagesZodMeta)`.
 */
export const MessagesZodMeta: StateFieldMeta = {
  reducer: { fn: messagesStateReducer, schema: z.custom<Messages>() },
  default: () => [],
};

/**
 * A state with one `messages` field merged by {@link messagesStateReducer}; `.extend({ ... })` it with
 * your own fields. Nodes receive `state.messages` as `@langchain/core` message objects.
 */
export const MessagesZodState = z.object({
  messages: z.custom<BaseMessage[]>().register(registry, MessagesZodMeta),
});

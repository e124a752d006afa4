/**
 * Chat messages across Temporal: `@langchain/core` message objects in nodes, routers and client results;
 * plain {@link MessageDict} JSON on the wire (workflow input, state, Activity payloads, Query results).
 *
 * Only state fields whose reducer is `messagesStateReducer` (kind `messages`) are converted. Writes are
 * encoded where they enter the system (the client's input, a node's update, both on Node), and that is
 * where a message without an id gets one: the engine only ever sees ids that are already recorded.
 * Workers and the client import this module; the workflow sandbox never does.
 */
import {
  AIMessage,
  BaseMessage,
  BaseMessageChunk,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
  coerceMessageLikeToMessage,
} from '@langchain/core/messages';
import { v4 } from '@langchain/core/utils/uuid';
import { InvalidUpdateError, describe } from '../errors.js';
import type { ThreadState } from '../protocol/payloads.js';
import { mergeMessages, revealClearedFields, type MessageDict } from '../protocol/reducers.js';
import type { FieldInfo } from './state.js';

const WIRE_TYPES = new Set<string>(['human', 'ai', 'system', 'tool', 'function', 'generic', 'remove']);

/** Anything with the fields of a graph: a CompiledGraph, or a test double. */
export interface HasFields {
  readonly fields: ReadonlyMap<string, Pick<FieldInfo, 'reducerKind'>>;
}

const fieldCache = new WeakMap<object, string[]>();

/** Names of the state fields that hold chat messages (their reducer is `messagesStateReducer`). */
export function messageFields(graph: HasFields): string[] {
  let names = fieldCache.get(graph);
  if (!names) {
    names = [...graph.fields.entries()].filter(([, f]) => f.reducerKind === 'messages').map(([name]) => name);
    fieldCache.set(graph, names);
  }
  return names;
}

/** True for a wire message: a plain object with a known `type` and a string or array `content`. */
export function isMessageDict(value: unknown): value is MessageDict {
  if (typeof value !== 'object' || value === null || BaseMessage.isInstance(value)) return false;
  const { type, content } = value as { type?: unknown; content?: unknown };
  return (
    typeof type === 'string' &&
    WIRE_TYPES.has(type) &&
    (typeof content === 'string' || Array.isArray(content) || type === 'remove')
  );
}

/**
 * Turns anything LangGraph accepts as a message into a message object: a message (a chunk becomes its
 * non-chunk class, as in LangGraph), a wire dict, `{ role, content }`, `[type, content]`, a string (a
 * human message), or LangChain's serialised form.
 * @throws Error saying what was received when it is none of these.
 */
export function toMessage(value: unknown): BaseMessage {
  if (BaseMessage.isInstance(value)) return BaseMessageChunk.isInstance(value) ? unchunk(value) : value;
  if (isMessageDict(value)) return fromMessageDict(value);
  let message: BaseMessage;
  try {
    message = coerceMessageLikeToMessage(value as Parameters<typeof coerceMessageLikeToMessage>[0]);
  } catch {
    throw new Error(
      `expected a chat message (a @langchain/core message, { type, content }, { role, content }, [type, content] or a string), got ${describe(value)}`,
    );
  }
  return BaseMessageChunk.isInstance(message) ? unchunk(message) : message;
}

function unchunk(chunk: BaseMessage): BaseMessage {
  // Same conversion as LangGraph's reducer: keep the fields, drop chunk-only and lc_ internals.
  const fields = Object.fromEntries(
    Object.entries(chunk).filter(([key]) => key !== 'type' && key !== 'tool_call_chunks' && !key.startsWith('lc_')),
  );
  switch (chunk.type) {
    case 'ai':
      return new AIMessage(fields as ConstructorParameters<typeof AIMessage>[0]);
    case 'human':
      return new HumanMessage(fields as ConstructorParameters<typeof HumanMessage>[0]);
    case 'system':
      return new SystemMessage(fields as ConstructorParameters<typeof SystemMessage>[0]);
    case 'tool':
      return new ToolMessage(fields as unknown as ConstructorParameters<typeof ToolMessage>[0]);
    case 'function':
      return new FunctionMessage(fields as unknown as ConstructorParameters<typeof FunctionMessage>[0]);
    case 'generic':
      return new ChatMessage(fields as unknown as ConstructorParameters<typeof ChatMessage>[0]);
    default:
      return chunk;
  }
}

/**
 * The wire form of one message. A message without an id gets `newId()` (none with `null`); empty `{}` /
 * `[]` fields are left out.
 */
export function toMessageDict(message: BaseMessage, newId: (() => string) | null = v4): MessageDict {
  const type = message.type as MessageDict['type'];
  if (!WIRE_TYPES.has(type)) throw new Error(`message type "${String(type)}" cannot be stored in graph state`);
  const m = message as BaseMessage & Partial<Record<string, unknown>>;
  const dict: MessageDict = { type, content: message.content as MessageDict['content'] };
  if (type === 'remove') {
    if (typeof message.id !== 'string') throw new Error('a RemoveMessage needs the id of the message to remove');
    return { type, content: [], id: message.id };
  }
  if (typeof message.id === 'string' && message.id !== '') dict.id = message.id;
  else if (newId) dict.id = newId();
  if (message.name !== undefined) dict.name = message.name;
  if (nonEmpty(message.additional_kwargs)) dict.additional_kwargs = message.additional_kwargs;
  if (nonEmpty(message.response_metadata)) dict.response_metadata = message.response_metadata;
  if (type === 'ai') {
    const ai = message as AIMessage;
    if (ai.tool_calls?.length)
      dict.tool_calls = ai.tool_calls.map((c) => ({
        ...c,
        args: c.args as Record<string, unknown>,
        type: 'tool_call' as const,
      }));
    if (ai.invalid_tool_calls?.length) dict.invalid_tool_calls = ai.invalid_tool_calls;
    if (ai.usage_metadata !== undefined) dict.usage_metadata = ai.usage_metadata as unknown as Record<string, unknown>;
  } else if (type === 'tool') {
    const tool = message as ToolMessage;
    dict.tool_call_id = tool.tool_call_id;
    if (tool.status !== undefined) dict.status = tool.status;
    if (tool.artifact !== undefined) dict.artifact = tool.artifact;
    if (nonEmpty(tool.metadata)) dict.metadata = tool.metadata as Record<string, unknown>;
  } else if (type === 'generic') {
    dict.role = m.role as string;
  }
  return dict;
}

/** The message object for a wire dict (the exact class: HumanMessage, AIMessage with its tool calls, ...). */
export function fromMessageDict(dict: MessageDict): BaseMessage {
  const { type, content, id, name, additional_kwargs, response_metadata } = dict;
  const base: Record<string, unknown> = { content };
  if (id !== undefined) base.id = id;
  if (name !== undefined) base.name = name;
  if (additional_kwargs !== undefined) base.additional_kwargs = { ...additional_kwargs };
  if (response_metadata !== undefined) base.response_metadata = { ...response_metadata };
  switch (type) {
    case 'human':
      return new HumanMessage(base as ConstructorParameters<typeof HumanMessage>[0]);
    case 'system':
      return new SystemMessage(base as ConstructorParameters<typeof SystemMessage>[0]);
    case 'ai': {
      const fields = {
        ...base,
        tool_calls: (dict.tool_calls ?? []).map((c) => ({ ...c, type: 'tool_call' as const })),
        invalid_tool_calls: dict.invalid_tool_calls ?? [],
      };
      if (dict.usage_metadata !== undefined) Object.assign(fields, { usage_metadata: dict.usage_metadata });
      return new AIMessage(fields as ConstructorParameters<typeof AIMessage>[0]);
    }
    case 'tool': {
      const fields: Record<string, unknown> = { ...base, tool_call_id: dict.tool_call_id ?? '' };
      if (dict.status !== undefined) fields.status = dict.status;
      if (dict.artifact !== undefined) fields.artifact = dict.artifact;
      if (dict.metadata !== undefined) fields.metadata = dict.metadata;
      return new ToolMessage(fields as unknown as ConstructorParameters<typeof ToolMessage>[0]);
    }
    case 'function':
      return new FunctionMessage({ ...base, name: name ?? '' } as unknown as ConstructorParameters<
        typeof FunctionMessage
      >[0]);
    case 'generic':
      return new ChatMessage({ ...base, role: dict.role ?? 'generic' } as unknown as ConstructorParameters<
        typeof ChatMessage
      >[0]);
    case 'remove':
      return new RemoveMessage({ id: id ?? '' });
  }
}

/**
 * Encodes one write to a messages field (a message, a message-like, or an array of them) as a list of
 * wire dicts, giving every message without an id a new one.
 * @throws Error naming the position of the first value that is not a message.
 */
export function toWireMessages(value: unknown, newId: () => string = v4): MessageDict[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    try {
      return toMessageDict(toMessage(item), newId);
    } catch (error) {
      throw new Error(Array.isArray(value) ? `[${i}]: ${(error as Error).message}` : (error as Error).message, {
        cause: error,
      });
    }
  });
}

/** Message objects for a stored list of wire dicts; anything unrecognisable is left as it is. */
export function reviveMessages(value: unknown): unknown {
  if (!Array.isArray(value)) return isMessageDict(value) ? fromMessageDict(value) : value;
  return value.map((item) => (isMessageDict(item) ? fromMessageDict(item) : item));
}

/** A copy of `values` whose message fields hold message objects (the same object when the graph has none). */
export function reviveStateMessages<T extends Record<string, unknown> | null | undefined>(
  graph: HasFields | undefined,
  values: T,
): T {
  if (!values) return values;
  // A node update read back from history: a cleared field shows as LangGraph shows it, undefined.
  const shown = revealClearedFields(values as Record<string, unknown>);
  if (!graph) return shown as T;
  const fields = messageFields(graph).filter((name) => name in shown);
  if (fields.length === 0) return shown as T;
  const revived: Record<string, unknown> = { ...shown };
  for (const name of fields) revived[name] = reviveMessages(shown[name]);
  return revived as T;
}

/** A thread snapshot whose values and task results hold message objects, for the client. */
export function reviveThreadState(graph: HasFields | undefined, state: ThreadState): ThreadState {
  if (!graph || messageFields(graph).length === 0) {
    // Task results may still hold cleared fields to show as undefined.
    return state.tasks.some((t) => t.result)
      ? {
          ...state,
          tasks: state.tasks.map((task) =>
            task.result ? { ...task, result: reviveStateMessages(graph, task.result) } : task,
          ),
        }
      : state;
  }
  return {
    ...state,
    values: reviveStateMessages(graph, state.values),
    tasks: state.tasks.map((task) =>
      task.result ? { ...task, result: reviveStateMessages(graph, task.result) } : task,
    ),
  };
}

/**
 * Refuses a node update that removes a message the state does not have, as LangGraph's reducer does
 * (the engine itself ignores such a removal rather than fail the run).
 * @throws {@link InvalidUpdateError} naming the node, the field and the id.
 */
export function checkMessageRemovals(
  graph: HasFields,
  task: { node: string; threadId: string; state: Record<string, unknown> },
  update: Record<string, unknown>,
): void {
  for (const name of messageFields(graph)) {
    if (!(name in update)) continue;
    const unknown: string[] = [];
    mergeMessages(task.state[name], update[name], (id) => unknown.push(id));
    if (unknown.length) {
      throw new InvalidUpdateError(
        `Node "${task.node}" (thread "${task.threadId}") returned a RemoveMessage for "${name}" with id ${unknown.map((id) => `"${id}"`).join(', ')}, ` +
          `but no message with that id is in the state. Remove only messages the node can see in state.${name}.`,
        { threadId: task.threadId, node: task.node },
      );
    }
  }
}

/**
 * Replaces every `@langchain/core` message found in a value (at any depth in plain objects and arrays) by
 * its wire dict, keeping ids as they are. For values recorded in history that are not state fields, such
 * as a memoised step result; undo with {@link reviveMessagesDeep}.
 */
export function encodeMessagesDeep(value: unknown, copies: Map<object, unknown> = new Map()): unknown {
  if (BaseMessage.isInstance(value))
    return toMessageDict(BaseMessageChunk.isInstance(value) ? unchunk(value) : value, null);
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  // The copy keeps any cycle of the original (same shape), so the JSON check names the same path.
  const done = copies.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(encodeMessagesDeep(item, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  // Defined, not assigned: a "__proto__" key (valid JSON) stays a key instead of setting the copy's prototype.
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(copy, k, {
      value: encodeMessagesDeep(v, copies),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

/** Replaces every wire message dict found in a value (at any depth) by a message object. */
export function reviveMessagesDeep(value: unknown): unknown {
  if (isMessageDict(value)) return fromMessageDict(value);
  if (Array.isArray(value)) return value.map(reviveMessagesDeep);
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveMessagesDeep(v)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function nonEmpty(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

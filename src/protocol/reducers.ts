/**
 * The built-in reducers, as pure functions shared by the engine (sandbox) and the activities (Node):
 * both must merge writes identically. Custom reducers are user code and never run here.
 */
import type { ChannelSpec, ReducerKind } from './spec.js';

/** Appends an update to a list: arrays are concatenated, a single value is pushed. */
export function appendValues(current: unknown, update: unknown): unknown[] {
  const base = Array.isArray(current) ? current : current === undefined || current === null ? [] : [current];
  return base.concat(Array.isArray(update) ? update : [update]);
}

/**
 * A chat message on the wire: LangChain's message fields as a flat plain-JSON object, the shape the
 * LangGraph API and its SDKs use (`{ "type": "human", "content": "hi", "id": "..." }`). Workflow input,
 * state, Activity payloads and Query results carry messages in this form; workers and the client turn
 * them back into `@langchain/core` message objects. Empty fields (`{}`, `[]`) are left out.
 */
export interface MessageDict {
  type: 'human' | 'ai' | 'system' | 'tool' | 'function' | 'generic' | 'remove';
  /** A string, or an array of content blocks. */
  content: string | unknown[];
  id?: string;
  name?: string;
  additional_kwargs?: Record<string, unknown>;
  response_metadata?: Record<string, unknown>;
  /** `ai` only. */
  tool_calls?: Array<{ id?: string; name: string; args: Record<string, unknown>; type?: 'tool_call' }>;
  /** `ai` only. */
  invalid_tool_calls?: unknown[];
  /** `ai` only. */
  usage_metadata?: Record<string, unknown>;
  /** `tool` only. */
  tool_call_id?: string;
  /** `tool` only. */
  status?: 'success' | 'error';
  /** `tool` only. */
  artifact?: unknown;
  /** `tool` only. */
  metadata?: Record<string, unknown>;
  /** `generic` (ChatMessage) only. */
  role?: string;
}

/** Id of a `RemoveMessage` that deletes every earlier message (LangGraph's `REMOVE_ALL_MESSAGES`). */
export const REMOVE_ALL_MESSAGES = '__remove_all__';

/** What {@link mergeMessages} reads of a message: wire dicts and `@langchain/core` messages both have it. */
export interface MessageIdentity {
  type?: unknown;
  id?: string | null | undefined;
}

/**
 * Merges message writes as LangGraph's `messagesStateReducer` does: a message whose id is already in the
 * list replaces it in place, a `remove` message deletes the message with its id, a `remove` with id
 * {@link REMOVE_ALL_MESSAGES} drops everything before it, anything else is appended.
 *
 * Pure and deterministic (it runs in the workflow): it never invents ids, so messages must get their ids
 * before the write reaches the engine. A removal naming an id that is not there is reported to
 * `onUnknownRemoval` and otherwise ignored (the engine must not fail on it; workers check it first).
 */
export function mergeMessages<M extends MessageIdentity>(
  current: unknown,
  update: unknown,
  onUnknownRemoval?: (id: string) => void,
): M[] {
  const left = toList(current) as M[];
  const right = toList(update) as M[];
  let removeAll = -1;
  right.forEach((m, i) => {
    if (isRemoval(m) && m.id === REMOVE_ALL_MESSAGES) removeAll = i;
  });
  if (removeAll >= 0) return mergeMessages<M>([], right.slice(removeAll + 1), onUnknownRemoval);
  const merged = [...left];
  const indexById = new Map<string, number>();
  merged.forEach((m, i) => {
    if (hasId(m)) indexById.set(m.id, i);
  });
  const removed = new Set<string>();
  for (const m of right) {
    const existing = hasId(m) ? indexById.get(m.id) : undefined;
    if (existing !== undefined) {
      if (isRemoval(m)) removed.add(m.id!);
      else {
        removed.delete(m.id!);
        merged[existing] = m;
      }
    } else if (isRemoval(m)) {
      onUnknownRemoval?.(String(m.id));
    } else {
      if (hasId(m)) indexById.set(m.id, merged.length);
      merged.push(m);
    }
  }
  return removed.size ? merged.filter((m) => !(hasId(m) && removed.has(m.id))) : merged;
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function hasId(m: MessageIdentity): m is MessageIdentity & { id: string } {
  return typeof m === 'object' && m !== null && typeof m.id === 'string';
}

function isRemoval(m: MessageIdentity): boolean {
  return typeof m === 'object' && m !== null && m.type === 'remove';
}

const CLEAR_KEY = '__durable_graph_clear__';

/**
 * The write that clears a last-value field: what a node's `{ field: undefined }` (or `updateState(config,
 * { field: undefined })`) becomes, since `undefined` does not survive JSON. Merging it removes the key from the
 * state (LangGraph's `getState` shows the key absent too); readers of updates see `undefined` again
 * ({@link revealClearedFields}).
 */
export function clearFieldWrite(): Record<string, true> {
  return { [CLEAR_KEY]: true };
}

/** True for {@link clearFieldWrite}'s value. */
export function isClearFieldWrite(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as Record<string, unknown>)[CLEAR_KEY] === true &&
    Object.keys(value).length === 1
  );
}

/** An update with each cleared field shown as LangGraph shows it, `undefined`; the same object when none is. */
export function revealClearedFields<T extends Record<string, unknown>>(update: T): T {
  if (!Object.values(update).some(isClearFieldWrite)) return update;
  return Object.fromEntries(
    Object.entries(update).map(([key, value]) => [key, isClearFieldWrite(value) ? undefined : value]),
  ) as T;
}

/**
 * Applies one built-in reducer; throws on `custom`, which only the worker can apply. A cleared last-value field
 * merges to `undefined`: the caller removes the key.
 */
export function applyBuiltinReducer(kind: ReducerKind, current: unknown, update: unknown): unknown {
  switch (kind) {
    case 'last':
      return isClearFieldWrite(update) ? undefined : update;
    case 'append':
      return appendValues(current, update);
    case 'messages':
      return mergeMessages(current, update);
    case 'custom':
      throw new Error('custom reducers run on the worker, not in the engine');
    default:
      // A kind from a newer spec: fail the workflow task (it retries) until workers that know it are deployed.
      throw new Error(
        `unknown reducer kind ${JSON.stringify(kind satisfies never)}: deploy a durable-graph version that knows it`,
      );
  }
}

/** True when every key in the writes has a built-in reducer, so the engine can merge them itself. */
export function canMergeInEngine(
  channels: Record<string, ChannelSpec>,
  writes: readonly Record<string, unknown>[],
): boolean {
  return writes.every((w) => Object.keys(w).every((k) => channels[k]?.reducer !== 'custom'));
}

/** Initial values of a thread: every field that has a default. */
export function initialValues(channels: Record<string, ChannelSpec>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, channel] of Object.entries(channels)) {
    if (channel.hasDefault) values[key] = structuredCloneJson(channel.default);
  }
  return values;
}

/** Deep copy of a JSON value (the sandbox has no structuredClone). */
export function structuredCloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Merges `writes` into `values` with the built-in reducers, in order (the engine's merge; a local segment's too).
 * A cleared field (`{ key: undefined }` from a node or updateState) leaves the state, as in LangGraph's checkpoint.
 */
export function mergeBuiltin(
  channels: Record<string, ChannelSpec>,
  values: Record<string, unknown>,
  writes: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const next = { ...values };
  for (const write of writes) {
    for (const [key, value] of Object.entries(write)) {
      next[key] = applyBuiltinReducer(channels[key]?.reducer ?? 'last', next[key], value);
      if (next[key] === undefined) delete next[key];
    }
  }
  return next;
}

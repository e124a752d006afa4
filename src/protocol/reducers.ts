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

/** Applies one built-in reducer; throws on `custom`, which only the worker can apply. */
export function applyBuiltinReducer(kind: ReducerKind, current: unknown, update: unknown): unknown {
  switch (kind) {
    case 'last':
      return update;
    case 'append':
      return appendValues(current, update);
    case 'custom':
      throw new Error('custom reducers run on the worker, not in the engine');
  }
}

/** True when every key in the writes has a built-in reducer, so the engine can merge them itself. */
export function canMergeInEngine(channels: Record<string, ChannelSpec>, writes: readonly Record<string, unknown>[]): boolean {
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

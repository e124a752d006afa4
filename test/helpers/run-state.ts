/**
 * Builders for the engine's pure modules' unit tests: a small spec and a run state, with only what a test sets.
 */
import type { ChannelSpec, GraphSpec, NodeSpec } from '../../src/protocol/spec.js';
import type { InterruptInfo } from '../../src/protocol/payloads.js';
import {
  newRunState,
  type RunState,
  type Task,
  type TaskResult,
  type TaskStatus,
} from '../../src/workflows/run-state.js';

/** A spec with the given nodes (no edges) and channels (`last` reducer unless given). */
export function specOf(
  nodes: Array<string | (Partial<NodeSpec> & { name: string })>,
  channels: Record<string, ChannelSpec['reducer']> = {},
): GraphSpec {
  return {
    specVersion: 1,
    name: 'g',
    nodes: nodes.map((n) => ({
      ends: [],
      retryPolicy: { maxAttempts: 1, initialInterval: 1, backoffFactor: 1, maxInterval: 1, nonRetryableErrors: [] },
      timeoutMs: 1000,
      heartbeatTimeoutMs: 1000,
      branches: 0,
      ...(typeof n === 'string' ? { name: n } : n),
    })),
    edges: [],
    branches: [],
    channels: Object.fromEntries(
      Object.entries(channels).map(([key, reducer]) => [key, { reducer, hasDefault: false }]),
    ),
    hash: 'test',
  };
}

/** A running run of thread "t" of graph "g" at step 1, with `overrides` applied. */
export function stateOf(overrides: Partial<RunState> = {}): RunState {
  const state = newRunState({ level: 0, threadId: 't', graph: 'g', now: Date.UTC(2026, 0, 1) });
  return { ...state, spec: specOf(['a', 'b']), step: 1, source: 'loop', ...overrides };
}

/** How a test says where a task stands: its status, or the one field that implies it. */
type TaskFields = Partial<Omit<Task, 'status'>> & {
  status?: TaskStatus;
  interrupt?: InterruptInfo;
  answer?: { value: unknown };
  nodeInterrupt?: { value: unknown };
  result?: TaskResult;
  error?: unknown;
};

/** A task of node `name` with id `id`: ready, or as `fields` say (an interrupt, a NodeInterrupt, a result, an error). */
export function taskOf(name: string, id: string, fields: TaskFields = {}): Task {
  const { status, interrupt, answer, nodeInterrupt, result, error, ...rest } = fields;
  const implied: TaskStatus =
    status ??
    (error !== undefined
      ? { kind: 'failed', error }
      : result
        ? { kind: 'done', result }
        : interrupt
          ? { kind: 'interrupted', interrupt, ...(answer ? { answer } : {}) }
          : nodeInterrupt
            ? { kind: 'held', value: nodeInterrupt.value }
            : { kind: 'ready' });
  return { id, name, status: implied, resume: [], ...rest };
}

/** The answer an interrupted task holds, if any. */
export function answerOf(task: Task): { value: unknown } | undefined {
  return task.status.kind === 'interrupted' ? task.status.answer : undefined;
}

/** A 32-hex interrupt id made from a digit. */
export const iid = (digit: number): string => String(digit).repeat(32);

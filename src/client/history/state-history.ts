/**
 * `getStateHistory` without a second store: LangGraph-style snapshots (one per superstep) rebuilt from what
 * Temporal already records for each run of a thread. Pure functions over decoded history events; the
 * Temporal calls live in `fetch.ts`, the payload decoding in `decode.ts`.
 *
 * Where each part of a snapshot comes from:
 * - values at step k: the `state` of the step's node Activity inputs (the last one scheduled before any
 *   `updateState`, so a `Command({ resume, update })` shows the updated values); a superstep
 *   paused before any node ran (static breakpoint): the ThreadState its stop recorded. Never recomputed, so
 *   custom reducers are not needed;
 * - tasks, their results and errors: the node Activities' inputs (the node is the Activity Type, the task id the
 *   Activity Id), results and failures;
 * - interrupt ids (made in the Workflow, absent from Activity results): the stops returned by the
 *   `awaitStop`/`resume`/`updateState` Updates (matched by task id), else the `durableGraph` memo upserts (by
 *   node and value; a graph compiled with `publishPauses: false` writes none, so only the Updates tell);
 * - `update` snapshots: the ThreadStates returned by `updateState` Updates;
 * - the input snapshot: the run's input; the final snapshot: the run's result.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ThreadMemo } from '../../protocol/memo.js';
import type {
  InterruptInfo,
  LocalRunReceipt,
  NodeResult,
  NodeTask,
  RunInput,
  TaskSnapshot,
  ThreadState,
} from '../../protocol/payloads.js';
import { revealClearedFields, structuredCloneJson } from '../../protocol/reducers.js';
import { START, type GraphSpec } from '../../protocol/spec.js';

/** How a run ended, as Temporal reports it. */
export type RunCloseStatus = 'completed' | 'failed' | 'terminated' | 'canceled' | 'timed_out' | 'continued_as_new';

/** An error as history shows it (a failed node, a failed run). */
export interface HistoryError {
  name: string;
  message: string;
}

/** The events of one run that snapshots are built from, with their payloads decoded (see `decode.ts`). */
export type RunEvent =
  /** `spec`: the one the start event recorded (absent for a run started by name). */
  | { type: 'started'; at: Date; input: RunInput; spec?: GraphSpec }
  /** A node's Activity: its input, with the node (the Activity Type) and the task id (the Activity Id) filled in. */
  | { type: 'nodeScheduled'; at: Date; eventId: string; task: NodeTask & { node: string; taskId: string } }
  | { type: 'nodeCompleted'; at: Date; scheduledEventId: string; result: NodeResult }
  | { type: 'nodeFailed'; at: Date; scheduledEventId: string; error: HistoryError }
  /** A node run as a local Activity (its result carries the task's id and step, sometimes its input state; the node is the marker's Activity Type). */
  | { type: 'nodeRanLocally'; at: Date; receipt: LocalRunReceipt & { node: string }; result: NodeResult }
  | { type: 'memo'; at: Date; memo: ThreadMemo }
  /** A ThreadState recorded as the outcome of an Update (`awaitStop`, `resume`): the thread at a stop. */
  | { type: 'stopState'; at: Date; state: ThreadState }
  /** The ThreadState an `updateState` Update returned: the paused thread right after the edit. */
  | { type: 'stateUpdated'; at: Date; eventId: string; state: ThreadState }
  | { type: 'closed'; at: Date; status: RunCloseStatus; result?: ThreadState; error?: HistoryError };

/** One run of a thread (one Temporal Run of the thread's Workflow Id) and its decoded events, in history order. */
export interface RunHistory {
  runId: string;
  events: RunEvent[];
}

/** The config that names one snapshot; pass it as `before` to page through history. */
export interface CheckpointConfig {
  configurable: { thread_id: string; checkpoint_id: string };
}

/** One entry of {@link GraphHandle.getStateHistory}: the thread as it was at the start of a superstep. */
export interface StateHistorySnapshot<State = Record<string, unknown>> {
  values: State;
  /** Nodes of this superstep (`["__start__"]` for the input snapshot, `[]` for the final one). */
  next: string[];
  /**
   * The superstep's tasks with what eventually became of them: the interrupt the task last raised (with its id)
   * and, once it completed, its `result`; `error` when it failed.
   */
  tasks: TaskSnapshot[];
  /** `source` is `"update"` for an `updateState`; `step` is the engine's step, which an edit does not advance. */
  metadata: { source: 'input' | 'loop' | 'update'; step: number; thread_id: string };
  config: CheckpointConfig;
  /** The snapshot before this one (possibly in the previous run); absent on the thread's first snapshot. */
  parentConfig?: CheckpointConfig;
  createdAt: string;
  /** durable-graph extra: the Temporal Run Id of the run this snapshot belongs to. */
  runId: string;
}

/** Options of {@link GraphHandle.getStateHistory}. */
export interface StateHistoryOptions {
  /** Yield at most this many snapshots (after `before` and `filter`). @default no limit */
  limit?: number;
  /** Yield only snapshots older than this one (a snapshot's `config`, e.g. the last one of the previous page). */
  before?: { configurable: { checkpoint_id?: string } };
  /** Yield only snapshots whose metadata has these values, e.g. `{ source: 'input' }`. */
  filter?: { source?: 'input' | 'loop' | 'update'; step?: number };
}

/**
 * The id of a snapshot: the run it belongs to and its step (an `update` snapshot adds `:u<event id>`).
 * Stable: the same history always gives the same ids.
 */
export function checkpointIdOf(runId: string, step: number): string {
  return `${runId}:${step}`;
}

/** The run id part of a checkpoint id made by {@link checkpointIdOf}, or undefined for anything else. */
export function runIdOfCheckpoint(checkpointId: string | undefined): string | undefined {
  const match = checkpointId === undefined ? null : /^(.+):(-?\d+)(?::u\d+)?$/.exec(checkpointId);
  return match ? match[1] : undefined;
}

interface RaisedInterrupt {
  value: unknown;
  responseSchema?: Record<string, unknown>;
  /** Known once the engine surfaced it (memo or stop state). */
  id?: string;
  /** Raised by NodeInterrupt: it never gets an id and shows as `{ value }`. */
  nodeInterrupt?: true;
}

interface TaskRecord {
  id: string;
  name: string;
  interrupts: RaisedInterrupt[];
  result?: { update: Record<string, unknown> | null };
  error?: HistoryError;
}

interface StepRecord {
  step: number;
  /** Values as the superstep started; unknown only for a superstep first seen through an `updateState` result. */
  state?: Record<string, unknown>;
  /** Set by an `updateState` in this superstep: the values it wrote belong to the `update` snapshot, not to this one. */
  frozen: boolean;
  at: Date;
  tasks: Map<string, TaskRecord>;
  /** `next` as a stop reported it, for a superstep whose tasks are not created yet (paused after a node). */
  next?: string[];
}

interface UpdateRecord {
  eventId: string;
  at: Date;
  state: ThreadState;
}

/**
 * The snapshots of one run, oldest first: the input snapshot (`source: "input"`, `next: ["__start__"]`), one
 * per superstep (`source: "loop"`; a superstep the run is paused before, at a static breakpoint, when a stop
 * recorded its values), one per `updateState` on the paused run (`source: "update"`, same step), and the
 * final snapshot (`next: []`) when the run completed. A run that failed or was terminated contributes what it
 * has; its failing task carries `error`.
 * @param fallbackSpec the graph's shape when the run's input does not carry it (a run started by graph name):
 *   only the defaults of its reducer fields are read, for the thread's first input snapshot.
 */
export function snapshotsOfRun(run: RunHistory, threadId: string, fallbackSpec?: GraphSpec): StateHistorySnapshot[] {
  const steps = new Map<number, StepRecord>();
  const byEventId = new Map<string, TaskRecord>();
  const updates: UpdateRecord[] = [];
  let started: Extract<RunEvent, { type: 'started' }> | undefined;
  let closed: Extract<RunEvent, { type: 'closed' }> | undefined;

  const stepAt = (step: number, at: Date): StepRecord => {
    let record = steps.get(step);
    if (!record) steps.set(step, (record = { step, frozen: false, at, tasks: new Map() }));
    return record;
  };
  const taskIn = (step: StepRecord, id: string, name: string): TaskRecord => {
    let record = step.tasks.get(id);
    if (!record) step.tasks.set(id, (record = { id, name, interrupts: [] }));
    return record;
  };

  for (const event of run.events) {
    switch (event.type) {
      case 'started':
        started = event;
        break;
      case 'nodeScheduled': {
        const { task } = event;
        const step = stepAt(task.step, event.at);
        // The last input wins: an update sent with a resume is applied before the nodes re-run, and LangGraph's
        // paused checkpoint shows it. An updateState makes a snapshot of its own instead.
        if (!step.frozen || !step.state) step.state = task.state;
        byEventId.set(event.eventId, taskIn(step, task.taskId, task.node));
        break;
      }
      case 'nodeRanLocally': {
        const { receipt } = event;
        const step = stepAt(receipt.step, event.at);
        if (receipt.state && (!step.frozen || !step.state)) step.state = receipt.state;
        recordOutcome(taskIn(step, receipt.taskId, receipt.node), event.result);
        break;
      }
      case 'nodeCompleted': {
        const record = byEventId.get(event.scheduledEventId);
        if (record) recordOutcome(record, event.result);
        break;
      }
      case 'nodeFailed': {
        const record = byEventId.get(event.scheduledEventId);
        if (record) record.error = event.error;
        break;
      }
      case 'memo':
        identifyFromMemo(steps.get(event.memo.step), event.memo);
        break;
      case 'stopState': {
        const { state } = event;
        if (state.status !== 'interrupted') break;
        const known = steps.has(state.metadata.step);
        const step = stepAt(state.metadata.step, event.at);
        if (!known) {
          // Paused before any node of this superstep ran (a static breakpoint): only the stop recorded its values.
          step.state = state.values;
          step.next = [...state.next];
          for (const task of state.tasks) taskIn(step, task.id, task.name);
        }
        learnFromState(step, state);
        break;
      }
      case 'stateUpdated': {
        const step = steps.get(event.state.metadata.step);
        if (step) {
          step.frozen = true;
          learnFromState(step, event.state);
        }
        updates.push({ eventId: event.eventId, at: event.at, state: event.state });
        break;
      }
      case 'closed':
        closed = event;
        break;
    }
  }

  const snapshot = (
    source: StateHistorySnapshot['metadata']['source'],
    step: number,
    checkpointId: string,
    values: Record<string, unknown>,
    next: string[],
    tasks: TaskSnapshot[],
    at: Date,
  ): StateHistorySnapshot => ({
    values,
    next,
    tasks,
    metadata: { source, step, thread_id: threadId },
    config: { configurable: { thread_id: threadId, checkpoint_id: checkpointId } },
    createdAt: at.toISOString(),
    runId: run.runId,
  });

  // Sorted by step; within a step the loop snapshot comes before the updates made while paused in it.
  const ordered: Array<{ step: number; rank: number; snapshot: StateHistorySnapshot }> = [];
  if (started) {
    const input = started.input ?? {};
    const step = input.previous ? input.previous.step + 1 : -1;
    const written = input.input ?? input.command?.update ?? null;
    // An empty input writes nothing: no result, as in LangGraph.
    const start: TaskSnapshot = {
      id: `${run.runId}:${START}`,
      name: START,
      interrupts: [],
      ...(written !== null ? { result: written } : {}),
    };
    // updateState(..., asNode) on a finished thread starts a run that writes the update (LangGraph's "update" source).
    const source = input.command?.asNode ? 'update' : 'input';
    // A thread's first input snapshot shows the reducer fields' defaults, as LangGraph's does (e.g. `{ log: [] }`);
    // plain fields, even with a zod .default(), appear once the input is written (step 0).
    const values = input.previous ? { ...input.previous.values } : reducerDefaults(started.spec ?? fallbackSpec);
    ordered.push({
      step,
      rank: 0,
      snapshot: snapshot(source, step, checkpointIdOf(run.runId, step), values, [START], [start], started.at),
    });
  }
  for (const step of steps.values()) {
    if (!step.state) continue;
    const tasks = [...step.tasks.values()];
    const next = tasks.length ? tasks.map((t) => t.name) : (step.next ?? []);
    ordered.push({
      step: step.step,
      rank: 1,
      snapshot: snapshot(
        'loop',
        step.step,
        checkpointIdOf(run.runId, step.step),
        step.state,
        next,
        tasks.map(toTaskSnapshot),
        step.at,
      ),
    });
  }
  for (const update of updates) {
    const { state } = update;
    const records = steps.get(state.metadata.step)?.tasks;
    // Its tasks, with what eventually became of them (as the loop snapshots show them).
    const tasks = state.tasks.map((t) => {
      const record = records?.get(t.id);
      return record
        ? toTaskSnapshot(record)
        : { id: t.id, name: t.name, interrupts: t.interrupts.map((i) => ({ ...i })) };
    });
    const id = `${checkpointIdOf(run.runId, state.metadata.step)}:u${update.eventId}`;
    ordered.push({
      step: state.metadata.step,
      rank: 2,
      snapshot: snapshot('update', state.metadata.step, id, state.values, [...state.next], tasks, update.at),
    });
  }
  const completed = closed?.status === 'completed' ? closed.result : undefined;
  const lastStep = Math.max(Number.NEGATIVE_INFINITY, ...ordered.map((o) => o.step));
  if (closed && completed && completed.metadata.step > lastStep) {
    const step = completed.metadata.step;
    ordered.push({
      step,
      rank: 1,
      snapshot: snapshot('loop', step, checkpointIdOf(run.runId, step), completed.values, [], [], closed.at),
    });
  }
  // A stable sort: updates in one step keep their history order.
  return ordered.sort((a, b) => a.step - b.step || a.rank - b.rank).map((o) => o.snapshot);
}

/** The defaults of the fields that have a reducer (LangGraph's channels that hold a value before any write). */
function reducerDefaults(spec: GraphSpec | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, channel] of Object.entries(spec?.channels ?? {})) {
    if (channel.reducer !== 'last' && channel.hasDefault) values[key] = structuredCloneJson(channel.default);
  }
  return values;
}

/** What a node execution did to its task: raised an interrupt, or completed with an update. */
function recordOutcome(record: TaskRecord, result: NodeResult): void {
  if (result.kind === 'interrupt') {
    if (result.nodeInterrupt) record.interrupts.push({ value: result.value, nodeInterrupt: true });
    else
      record.interrupts.push(
        result.responseSchema
          ? { value: result.value, responseSchema: result.responseSchema }
          : { value: result.value },
      );
    // A node that refused its answer (response schema) keeps the interrupt pending and says why.
    if (result.rejected !== undefined) record.error = { name: 'ZodError', message: result.rejected };
    else delete record.error;
  } else if (result.kind === 'update') {
    // A cleared field ({ field: undefined }) shows as LangGraph shows it, undefined.
    record.result = { update: result.update ? revealClearedFields(result.update) : result.update };
    delete record.error;
  } else if (result.kind === 'parent') {
    // Command({ graph: Command.PARENT }): the update went to the parent graph (its history shows it as the subgraph
    // node's result), none to this run. LangGraph's child checkpoint shows the task with this error and no result.
    delete record.result;
    record.error = { name: 'ParentCommand', message: '' };
  }
}

function toTaskSnapshot(record: TaskRecord): TaskSnapshot {
  // As in LangGraph's history, a task shows the last interrupt it raised in the step; only surfaced ones have an id.
  const last = [...record.interrupts].reverse().find((i) => i.id !== undefined || i.nodeInterrupt);
  // A NodeInterrupt shows as LangGraph shows it, { value } with no id key (TaskSnapshot documents it).
  const interrupts: InterruptInfo[] = last?.nodeInterrupt
    ? [{ value: last.value } as InterruptInfo]
    : last
      ? [
          last.responseSchema
            ? { id: last.id!, value: last.value, response_schema: last.responseSchema }
            : { id: last.id!, value: last.value },
        ]
      : [];
  const task: TaskSnapshot = { id: record.id, name: record.name, interrupts };
  if (record.error) task.error = { ...record.error };
  if (record.result) task.result = record.result.update;
  return task;
}

/**
 * A state the engine reported (at a stop, or after updateState) lists each task's pending interrupt by task id:
 * the exact match for interrupt ids. It also carries results no Activity recorded (updateState with `asNode`).
 */
function learnFromState(step: StepRecord, state: ThreadState): void {
  if (!Array.isArray(state.tasks)) return;
  for (const task of state.tasks) {
    const record = step.tasks.get(task.id);
    if (!record) continue;
    const latest = record.interrupts.at(-1);
    const pending = task.interrupts?.[0];
    if (latest && pending && latest.id === undefined && !latest.nodeInterrupt) latest.id = pending.id;
    if (!latest && pending)
      record.interrupts.push(
        pending.response_schema
          ? { id: pending.id, value: pending.value, responseSchema: pending.response_schema }
          : { id: pending.id, value: pending.value },
      );
    if (!record.result && task.result !== undefined) record.result = { update: task.result };
  }
}

/**
 * The memo lists pending interrupts by node (in task order), without task ids: each new id goes to the first
 * task of that node whose latest interrupt has none yet, preferring one with the same value (Send fan-out runs
 * one node as several tasks). Ids already shown on a task's latest interrupt are skipped.
 */
function identifyFromMemo(step: StepRecord | undefined, memo: ThreadMemo): void {
  if (!step || !Array.isArray(memo.interrupts)) return;
  for (const entry of memo.interrupts) {
    const candidates = [...step.tasks.values()].filter((t) => t.name === entry.node);
    if (candidates.some((t) => t.interrupts.at(-1)?.id === entry.id)) continue;
    const open = candidates
      .map((t) => t.interrupts.at(-1))
      .filter((i): i is RaisedInterrupt => i !== undefined && i.id === undefined && !i.nodeInterrupt);
    const target = open.find((i) => isDeepStrictEqual(i.value, entry.value)) ?? open[0];
    if (target) target.id = entry.id;
  }
}

/**
 * Applies {@link StateHistoryOptions} to snapshots arriving newest first (from any number of runs), and links
 * each to the one before it (`parentConfig`). Pulls at most one snapshot beyond the last it yields, so a
 * `limit` stops the reading of older runs.
 */
export async function* selectSnapshots<S extends StateHistorySnapshot<any>>(
  newestFirst: AsyncIterable<S> | Iterable<S>,
  options: StateHistoryOptions = {},
): AsyncGenerator<S, void, undefined> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  const beforeId = options.before?.configurable?.checkpoint_id;
  let seenBefore = beforeId === undefined;
  const filter = Object.entries(options.filter ?? {}).filter(([, v]) => v !== undefined);
  const wanted = (s: S): boolean => {
    if (!seenBefore) {
      if (s.config.configurable.checkpoint_id === beforeId) seenBefore = true;
      return false;
    }
    return filter.every(([key, value]) => (s.metadata as Record<string, unknown>)[key] === value);
  };
  let count = 0;
  let held: S | undefined;
  for await (const snapshot of newestFirst) {
    if (held) {
      held.parentConfig = snapshot.config;
      if (wanted(held)) {
        yield held;
        if (++count >= limit) return;
      }
    }
    held = snapshot;
  }
  if (held && wanted(held)) yield held;
}

/** All snapshots of the given runs (any order), newest first, with the options applied. */
export async function stateHistoryOf(
  runs: RunHistory[],
  threadId: string,
  options: StateHistoryOptions = {},
): Promise<StateHistorySnapshot[]> {
  const ordered = [...runs].sort((a, b) => startOf(b) - startOf(a));
  const newestFirst = ordered.flatMap((run) => snapshotsOfRun(run, threadId).reverse());
  const out: StateHistorySnapshot[] = [];
  for await (const snapshot of selectSnapshots(newestFirst, options)) out.push(snapshot);
  return out;
}

function startOf(run: RunHistory): number {
  const started = run.events.find((e) => e.type === 'started');
  return started ? started.at.getTime() : 0;
}

/**
 * The bookkeeping behind getStateHistory: one pass over a run's events that files each node task, its outcome
 * and its interrupts under the superstep it belongs to. Interrupt ids are made in the Workflow and absent from
 * Activity results, so they are matched in as the engine's stops and memo upserts come by.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ThreadMemo } from '../../protocol/memo.js';
import type { NodeResult, ThreadState } from '../../protocol/payloads.js';
import { revealClearedFields } from '../../protocol/reducers.js';
import type { HistoryError, RunEvent, RunHistory } from './state-history-events.js';

/** An interrupt a task raised, with its id once history has told it. */
export interface RaisedInterrupt {
  value: unknown;
  responseSchema?: Record<string, unknown>;
  /** Known once the engine surfaced it (memo or stop state). */
  id?: string;
  /** Raised by NodeInterrupt: it never gets an id and shows as `{ value }`. */
  nodeInterrupt?: true;
}

/** One task of a superstep and what became of it. */
export interface TaskRecord {
  id: string;
  name: string;
  interrupts: RaisedInterrupt[];
  result?: { update: Record<string, unknown> | null };
  error?: HistoryError;
}

/** One superstep of the run. */
export interface StepRecord {
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

/** An `updateState` edit on the paused run: the ThreadState it returned. */
export interface UpdateRecord {
  eventId: string;
  at: Date;
  state: ThreadState;
}

/** What one run's events say, superstep by superstep. */
export interface RunRecord {
  started?: Extract<RunEvent, { type: 'started' }>;
  closed?: Extract<RunEvent, { type: 'closed' }>;
  steps: Map<number, StepRecord>;
  /** The `updateState` edits made while the run was paused, in history order. */
  updates: UpdateRecord[];
}

/** Reads a run's events, in history order, into records of its supersteps and edits. */
export function recordSupersteps(run: RunHistory): RunRecord {
  const steps = new Map<number, StepRecord>();
  const byEventId = new Map<string, TaskRecord>();
  const updates: UpdateRecord[] = [];
  let started: RunRecord['started'];
  let closed: RunRecord['closed'];

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
        seedCarriedTasks(event, stepAt, taskIn);
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
  return { started, closed, steps, updates };
}

/**
 * A run that took over a paused superstep (continue-as-new) carries its tasks: their interrupts were raised in the
 * run before, and the snapshot of that superstep shows them with what became of the tasks in this run.
 */
function seedCarriedTasks(
  event: Extract<RunEvent, { type: 'started' }>,
  stepAt: (step: number, at: Date) => StepRecord,
  taskIn: (step: StepRecord, id: string, name: string) => TaskRecord,
): void {
  const carried = event.input.continued;
  if (!carried?.tasks?.length) return;
  const step = stepAt(carried.step, event.at);
  for (const raw of carried.tasks) {
    const task = raw as { id?: unknown; name?: unknown; status?: CarriedStatus };
    if (typeof task.id !== 'string' || typeof task.name !== 'string') continue;
    const status = task.status;
    if (status?.kind === 'interrupted' && status.interrupt) {
      const { id, value, response_schema } = status.interrupt;
      taskIn(step, task.id, task.name).interrupts.push(
        response_schema ? { id, value, responseSchema: response_schema } : { id, value },
      );
    } else if (status?.kind === 'held') {
      taskIn(step, task.id, task.name).interrupts.push({ value: status.value, nodeInterrupt: true });
    } else taskIn(step, task.id, task.name);
  }
}

/** The statuses of a carried task that show on its snapshot (the engine's own record, src/workflows/run-state.ts). */
type CarriedStatus =
  | { kind: 'interrupted'; interrupt?: { id: string; value: unknown; response_schema?: Record<string, unknown> } }
  | { kind: 'held'; value: unknown }
  | { kind: string; interrupt?: undefined; value?: unknown };

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

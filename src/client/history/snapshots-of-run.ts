/**
 * The assembly of getStateHistory's snapshots: one run's superstep records (`superstep-records.ts`) turned into
 * LangGraph-style snapshots, in LangGraph's order.
 */
import type { InterruptInfo, TaskSnapshot } from '../../protocol/payloads.js';
import { structuredCloneJson } from '../../protocol/reducers.js';
import { START, type GraphSpec } from '../../protocol/spec.js';
import type { RunHistory } from './state-history-events.js';
import { checkpointIdOf, type StateHistorySnapshot } from './state-history-snapshot.js';
import { recordSupersteps, type TaskRecord } from './superstep-records.js';

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
  const { started, closed, steps, updates } = recordSupersteps(run);

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
  // A run that continues the previous one as new (a long run) has no input: its steps go on from that run's.
  if (started && !started.input?.continued) {
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

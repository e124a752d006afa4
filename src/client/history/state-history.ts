/**
 * `getStateHistory` without a second store: LangGraph-style snapshots (one per superstep) rebuilt from what
 * Temporal already records for each run of a thread. Pure functions over decoded history events; the
 * Temporal calls live in `fetch.ts`, the payload decoding in `decode.ts`. This is the one list the rest of the
 * client imports; the parts: the events read (`state-history-events.ts`), the snapshots made and their ids
 * (`state-history-snapshot.ts`), one pass over a run's events filing them by superstep (`superstep-records.ts`),
 * the snapshots assembled from those records (`snapshots-of-run.ts`), and paging through them (`select-snapshots.ts`).
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
export type { HistoryError, RunCloseStatus, RunEvent, RunHistory } from './state-history-events.js';
export type { CheckpointConfig, StateHistoryOptions, StateHistorySnapshot } from './state-history-snapshot.js';
export { checkpointIdOf, runIdOfCheckpoint } from './state-history-snapshot.js';
export { snapshotsOfRun } from './snapshots-of-run.js';
export { selectSnapshots, stateHistoryOf } from './select-snapshots.js';

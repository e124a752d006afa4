/**
 * step() results of local Activity attempts. A local Activity cannot heartbeat, so a retry of a node run locally
 * finds the step() results of its failed attempt here instead (retries of a local Activity run in the same worker
 * while they are short; a crashed worker loses them, as a regular Activity loses its unsent heartbeats).
 */
import type { StepRecord } from '../protocol/payloads.js';

const MAX_ENTRIES = 1000;
const byAttemptKey = new Map<string, StepRecord[]>();

/** The key of one local run of a task: its workflow run, its task and how many answers it was given. */
export function localStepsKey(runId: string, task: { taskId: string; resume: unknown[] }): string {
  return `${runId}/${task.taskId}/${task.resume.length}`;
}

/** Remembers the step() results of a local attempt (the oldest entries go first beyond {@link MAX_ENTRIES}). */
export function rememberLocalSteps(key: string, steps: readonly StepRecord[]): void {
  byAttemptKey.delete(key);
  byAttemptKey.set(key, [...steps]);
  if (byAttemptKey.size > MAX_ENTRIES) byAttemptKey.delete(byAttemptKey.keys().next().value as string);
}

/** The step() results an earlier attempt of the same local run recorded, if any. */
export function recalledLocalSteps(key: string): StepRecord[] {
  return byAttemptKey.get(key) ?? [];
}

/** Forgets a local run's steps once it completed or paused (its result carries what the next run needs). */
export function forgetLocalSteps(key: string): void {
  byAttemptKey.delete(key);
}

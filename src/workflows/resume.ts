/**
 * Resumes: matching a resume / goto / update command against the run's pause (refused with a structured reason when
 * it does not fit), queueing what was accepted, and applying it to the superstep's tasks when the loop goes on.
 * Determinism: pure functions of the run state; new task ids come from the caller's generator (`uuid4`).
 */
import type { ResumeInput } from '../protocol/payloads.js';
import { isResumeMap, matchCommand, type CommandMatch } from '../protocol/resume.js';
import { checkResponse, schemaRefusal } from '../protocol/response-schema.js';
import { takesResumeValue } from '../protocol/pending.js';
import { openInterruptOf, readyTask, type LastAnswered, type RunState, type Task } from './run-state.js';
import { errorOfTask, pendingOf } from './snapshot.js';

/**
 * A command refused: why; when an interrupt's response schema refused its answer, which task's interrupt; and when
 * the interrupts it was for were answered since the run last stopped (a racing resume came first), by what.
 */
export type Refusal = Extract<CommandMatch, { ok: false }> & { schemaRefusedBy?: Task; justAnswered?: LastAnswered };
export type Match = Extract<CommandMatch, { ok: true }> | Refusal;

/** Matches a Signal's or Update's payload against what the run waits for (and the interrupts' response schemas). */
export function matchPayload(state: RunState, payload: unknown): Match {
  const all = pendingOf(state);
  // NodeInterrupts keep the thread paused but take no resume value: they are matched apart.
  const pending = all.filter(takesResumeValue);
  const nodeInterrupts = all.filter((p) => !takesResumeValue(p)).map((p) => ({ node: p.node, value: p.value }));
  // Paused at an interrupt whose answers have all arrived (not yet applied) is not a breakpoint: a further
  // resume has nothing to answer and is refused, never queued and silently dropped.
  const pausedAt = state.pausedAt === 'interrupt' && all.length === 0 ? undefined : state.pausedAt;
  const failed = state.tasks.flatMap((t) =>
    t.status.kind === 'failed' ? [{ node: t.name, message: errorOfTask(t.status.error).message }] : [],
  );
  const view = {
    pending,
    pausedAt,
    nodes: state.spec?.nodes.map((n) => n.name) ?? [],
    ...(nodeInterrupts.length ? { nodeInterrupts } : {}),
    ...(failed.length ? { failed } : {}),
  };
  const match = matchCommand(payload, view, state.threadId);
  if (!match.ok) {
    const justAnswered = answeredBefore(state, payload, match.reason);
    return justAnswered ? { ...match, justAnswered } : match;
  }
  for (const answer of match.answers) {
    const task = state.tasks.find(
      (t) => interruptOf(t)?.id === answer.id || t.child?.interrupts.some((i) => i.id === answer.id),
    );
    const info =
      task && interruptOf(task)?.id === answer.id
        ? interruptOf(task)
        : task?.child?.interrupts.find((i) => i.id === answer.id);
    const problem = info?.response_schema ? checkResponse(info.response_schema, answer.value) : undefined;
    if (problem) {
      return {
        ok: false,
        reason: 'invalid',
        message: schemaRefusal(answer.id, task!.name, state.threadId, problem),
        ...(interruptOf(task!)?.id === answer.id ? { schemaRefusedBy: task } : {}),
      };
    }
  }
  return match;
}

/**
 * Takes a matched command into the run: answers wait on their tasks (or their child runs), other commands queue for
 * the loop, and the resuming call's config keys replace the run's for the nodes that run from now on (LangGraph: per
 * call). A refusal is recorded (the last 20), and an answer a response schema refused is shown on its task.
 */
export function acceptMatch(
  state: RunState,
  match: Match,
  via: 'signal' | 'update',
  payload: ResumeInput | undefined,
  now: string,
): void {
  if (match.ok) state.accepted++;
  if (match.ok && match.answers.length) {
    const interrupts = match.answers.map(({ id }) => ({
      id,
      node:
        state.tasks.find((t) => interruptOf(t)?.id === id || t.child?.interrupts.some((i) => i.id === id))?.name ?? '?',
    }));
    state.lastAnswered = { via, at: now, stops: state.stops, interrupts };
  }
  if (!match.ok) {
    state.rejected.push({ at: now, via, reason: match.message });
    if (state.rejected.length > 20) state.rejected.shift();
    if (match.schemaRefusedBy) match.schemaRefusedBy.refused = { name: 'ZodError', message: match.message };
    return;
  }
  for (const answer of match.answers) {
    const task = state.tasks.find((t) => openInterruptOf(t)?.id === answer.id);
    if (task?.status.kind === 'interrupted') task.status.answer = { value: answer.value };
    // Parked on a node that failed with this answer: the new one replaces it when the node runs again.
    const failed = state.tasks.find((t) => t.status.kind === 'failed' && t.answered?.id === answer.id);
    if (failed?.status.kind === 'failed') failed.status.reanswer = { value: answer.value };
    const parent = state.tasks.find((t) => t.child?.interrupts.some((i) => i.id === answer.id));
    if (parent) parent.child!.answers[answer.id] = answer.value;
  }
  if (match.update || match.goto.length || match.proceed || match.breakpointResume) state.commands.push(match);
  if (payload?.configurable)
    state.configurable = Object.keys(payload.configurable).length ? payload.configurable : undefined;
}

/**
 * The answers that took what a refused resume was for: those given since the run last stopped, to the interrupts the
 * resume names, or for a plain value refused as having nothing to answer, to all it answered.
 */
function answeredBefore(state: RunState, payload: unknown, reason: Refusal['reason']): LastAnswered | undefined {
  const last = state.lastAnswered;
  if (!last || last.stops !== state.stops) return undefined;
  if (typeof payload !== 'object' || payload === null || !('resume' in payload)) return undefined;
  const { resume } = payload as { resume: unknown };
  if (!isResumeMap(resume)) return reason === 'no_pending' ? last : undefined;
  const named = last.interrupts.filter((i) => i.id in resume);
  return named.length ? { ...last, interrupts: named } : undefined;
}

/**
 * What a resume refused because a racing one answered its interrupts first is told: which, by what and when,
 * that nothing was applied, and the thread's status.
 */
export function justAnsweredMessage(threadId: string, status: string, answered: LastAnswered): string {
  const which = answered.interrupts.map((i) => `"${i.id}" (node "${i.node}")`).join(', ');
  const by = answered.via === 'signal' ? 'a resume Signal' : 'another resume Update';
  const now =
    status === 'interrupted' || status === 'running'
      ? `the thread runs on with that answer (status: ${status})`
      : `the thread's status is now ${status}`;
  return (
    `Interrupt ${which} of thread "${threadId}" was just answered by ${by} at ${answered.at}, before this resume; ` +
    `this resume was not applied and nothing changed, and ${now}. ` +
    `See the answer it got and what the thread waits for next with getState(config) or ` +
    `\`temporal workflow query --workflow-id ${threadId} --name getState\`.`
  );
}

/** Something the loop must send to a subgraph's paused child run, in order. */
export interface ChildCommand {
  task: Task;
  command: ResumeInput;
}

/** What the queued commands and forwarded answers ask of the loop: tasks to run, writes to merge, child commands. */
export interface CommandPlan {
  toRun: Task[];
  writes: Record<string, unknown>[];
  childCommands: ChildCommand[];
}

/**
 * Applies the answers for subgraphs' interrupts and the queued commands to the superstep's tasks, in arrival order:
 * a goto adds a task beside the resumed ones (LangGraph), an update is written before the nodes re-run (they see it),
 * and a command without resume re-runs the paused tasks (a plain continue keeps their interrupt ids, an edit gives
 * new ones). What goes to child runs is returned, to be sent in order; their tasks count as running from now on.
 */
export function takeCommands(state: RunState, newId: () => string): CommandPlan {
  const plan: CommandPlan = { toRun: [], writes: [], childCommands: [] };
  const toChild = (task: Task, command: ResumeInput) => {
    const child = task.child!;
    if (command.resume === undefined) {
      child.interrupts = []; // the child re-runs its paused nodes and reports anew
      delete child.nodeInterrupts;
    }
    child.busy = true;
    plan.childCommands.push({ task, command });
  };
  // Answers for a subgraph's interrupts go to its child run, which resumes where it paused.
  for (const task of state.tasks) {
    const child = task.child;
    if (!child || child.inNode || Object.keys(child.answers).length === 0) continue;
    const answers = child.answers;
    child.answers = {};
    child.interrupts = child.interrupts.filter((i) => !(i.id in answers));
    toChild(task, { resume: answers });
  }
  const { toRun } = plan;
  for (const command of state.commands.splice(0)) {
    if (command.update) plan.writes.push(command.update);
    for (const name of command.goto) {
      const task = readyTask(newId(), name);
      state.tasks.push(task);
      toRun.push(task);
    }
    if (!command.proceed) continue;
    const keepIds = !command.update && command.goto.length === 0;
    for (const task of state.tasks) {
      // A NodeInterrupt takes no answer: its node runs again from its first line (and throws again while its condition holds).
      if (task.status.kind !== 'held' || toRun.includes(task)) continue;
      task.status = { kind: 'ready' };
      toRun.push(task);
    }
    for (const task of state.tasks) {
      const open = openInterruptOf(task);
      if (!open || toRun.includes(task)) continue;
      if (keepIds) task.keepInterruptId = open.id;
      task.status = { kind: 'ready' };
      toRun.push(task);
    }
    // A paused subgraph gets the same command: its paused node re-runs there (same id on a plain continue, a new one
    // with the update), with the update's fields that the subgraph shares.
    for (const task of state.tasks) {
      const child = task.child;
      if (
        !child ||
        (child.interrupts.length === 0 && !child.nodeInterrupts?.length) ||
        Object.keys(child.answers).length > 0
      )
        continue;
      if (child.inNode) {
        // A graph called inside the node: the node runs again from its top. Its invoke() passes a plain continue on
        // to the paused child (its paused node re-runs with the same interrupt id), and after an update starts that
        // graph anew in a new child thread (LangGraph's re-run is a new task, with new ids).
        if (command.update) task.childEpoch = (task.childEpoch ?? 0) + 1;
        else task.childContinue = true;
        if (!toRun.includes(task)) toRun.push(task);
        continue;
      }
      const channels = state.spec!.nodes.find((n) => n.name === task.name)!.subgraph!.channels;
      const update = command.update
        ? Object.fromEntries(Object.entries(command.update).filter(([key]) => key in channels))
        : undefined;
      toChild(task, update && Object.keys(update).length ? { update } : {});
    }
  }
  return plan;
}

/** Hands the answers that arrived to their tasks, which re-run with them (adding them to `toRun`). */
export function takeAnswers(state: RunState, toRun: Task[]): void {
  for (const task of state.tasks) {
    const child = task.child;
    if (child?.inNode && Object.keys(child.answers).length) {
      // A graph called inside the node: the node runs again from its top and hands the answers to that graph's run.
      task.childAnswers = child.answers;
      child.interrupts = child.interrupts.filter((i) => i.id === undefined || !(i.id in child.answers));
      child.answers = {};
      if (!toRun.includes(task)) toRun.push(task);
    }
    if (task.status.kind !== 'interrupted' || task.status.answer === undefined) continue;
    task.resume.push(task.status.answer.value);
    task.answeredId = task.status.interrupt.id; // reused only if the node refuses the answer (response schema)
    task.answered = task.status.interrupt;
    task.status = { kind: 'ready' };
    if (!toRun.includes(task)) toRun.push(task);
  }
}

/** The interrupt a task raised, answered or not; for a task the run is parked on, the one it ran with. */
function interruptOf(task: Task) {
  return task.status.kind === 'interrupted'
    ? task.status.interrupt
    : task.status.kind === 'failed'
      ? task.answered
      : undefined;
}

/**
 * Puts the tasks the run is parked on back to run: each with the new answer to the interrupt it ran with when one
 * came (it replaces the answer the node failed with), else with the answers it had. Adds them to `toRun`.
 */
export function takeParked(state: RunState, toRun: Task[]): void {
  for (const task of state.tasks) {
    if (task.status.kind !== 'failed') continue;
    if (task.status.reanswer) task.resume[task.resume.length - 1] = task.status.reanswer.value;
    task.status = { kind: 'ready' };
    if (!toRun.includes(task)) toRun.push(task);
  }
}

/**
 * The graph engine's Workflow: one Workflow Execution runs one run of one thread. This file wires the run's
 * messages (Query, Signals, Updates) to the loop (loop.ts) and the pure parts (resume, snapshot, update-state).
 * Determinism: handlers change only the run state; the run's engine level is read back from history (patches.ts);
 * user code (nodes, routers, custom reducers, schemas) runs only in Activities.
 */
import { setDefaultSignalHandler, setHandler, workflowInfo, type ApplicationFailure } from '@temporalio/workflow';
import { ErrorCode, InvalidResumeError, NoPendingInterruptError } from '../errors.js';
import { failure, toFailure } from '../protocol/failures.js';
import {
  awaitStopUpdate,
  childPausedSignal,
  getStateQuery,
  resumeSignal,
  resumeUpdate,
  unknownSignalRefusal,
  updateStateUpdate,
} from '../protocol/messages.js';
import type { AwaitStopInput, ResumeInput, RunInput, UpdateStateInput } from '../protocol/payloads.js';
import type { StopState } from '../protocol/stop-state.js';
import type { ContinuedStop } from '../protocol/continue-as-new.js';
import { takesResumeValue } from '../protocol/pending.js';
import { GraphLoop } from './loop.js';
import { startInputProblem } from '../protocol/start-input.js';
import { EngineChange, recordedEngineLevel } from './patches.js';
import { oversize } from '../protocol/payload-size.js';
import { acceptMatch, justAnsweredMessage, matchPayload, type Match, type Refusal } from './resume.js';
import { newRunState, type RunState } from './run-state.js';
import { pendingOf, snapshotOf } from './snapshot.js';
import { updateState, updateStateProblem } from './update-state.js';

/** Runs one run of a thread. Exported as the default workflow: the Workflow Type is the graph's name. */
export async function graphWorkflow(run: RunInput = {}): Promise<StopState> {
  // At the first pause or failed node: records this worker's level, or refuses (a retried workflow task) a run
  // recorded by a newer one.
  return runGraph(run, () => recordedEngineLevel());
}

/**
 * Runs one run of a thread; `level` gives the run's engine level (see patches.ts), read where the behaviours of
 * different levels start to differ: a start input that is not a run's input, the first pause or failed node.
 * @param input As the starter sent it: checked here, since anyone can start a graph by name.
 */
export function runGraph(raw: unknown, level: () => number): Promise<StopState> {
  const info = workflowInfo();
  const state = newRunState({ level, threadId: info.workflowId, graph: info.workflowType, now: Date.now() });
  const problem = startInputProblem(raw);
  if (problem && state.level >= EngineChange.validatedStart) throw startInputFailure(state, problem);
  const input = (raw ?? {}) as RunInput;
  state.step = input.previous ? input.previous.step + 1 : -1;
  state.configurable = input.configurable;
  const loop = new GraphLoop(input, state);
  installHandlers(loop);
  loop.stream.install(loop.chain.counted);
  return loop.execute();
}

function installHandlers(loop: GraphLoop): void {
  const { state } = loop;
  const accept = (payload: ResumeInput, via: 'signal' | 'update') => {
    // Too large to carry (a Signal from any client; the Update's validator refuses it first): refused (level 3).
    const tooLarge =
      via === 'signal' ? oversizeRefusal(state.threadId, 'The resume sent to thread', payload) : undefined;
    const match: Match =
      tooLarge && state.level >= EngineChange.validatedStart
        ? { ok: false, reason: 'invalid', message: tooLarge }
        : matchPayload(state, payload);
    acceptMatch(state, match, via, payload, new Date().toISOString());
    if (!match.ok) loop.publish();
  };
  setHandler(getStateQuery, () => snapshotOf(state), {
    description: 'The thread state: values, next nodes, tasks with their pending interrupts.',
  });
  // Child runs report their pauses with the engine's own Signal, handled by name rather than registered: the
  // metadata Query lists registered handlers, and the Web UI offers them in its Signal form, where only `resume`
  // belongs. Any other name is refused in the open (level 3): a misspelt `Resume` must not vanish.
  setDefaultSignalHandler((name: string, ...args: unknown[]) => {
    if (name === childPausedSignal.name) return loop.subgraphs.childPaused(args[0]);
    if (state.level < EngineChange.validatedStart) return;
    acceptMatch(
      state,
      { ok: false, reason: 'invalid', message: unknownSignalRefusal(state.threadId, name) },
      'signal',
      undefined,
      new Date().toISOString(),
    );
    loop.publish();
  });
  setHandler(resumeSignal, (payload: ResumeInput) => accept(payload, 'signal'), {
    description: 'Resume a paused thread. Input: {"resume": <value>} or {"resume": {"<interruptId>": <value>}}.',
  });
  setHandler(
    resumeUpdate,
    // Not async: each async layer costs the SDK two promises (a stack capture each).
    (payload: ResumeInput): Promise<StopState | ContinuedStop> => {
      loop.chain.counted();
      const stop = state.stops;
      loop.stream.noteResume();
      accept(payload, 'update');
      return loop.waitForStop(stop);
    },
    {
      validator: (payload: ResumeInput) => {
        // A validator records nothing, so this check needs no engine level.
        const tooLarge = oversizeRefusal(state.threadId, 'The resume sent to thread', payload);
        if (tooLarge) throw failure(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge, { threadId: state.threadId });
        const match = matchPayload(state, payload);
        if (!match.ok) throw resumeError(state, match);
      },
      description:
        'Resume a paused thread and wait for its next stop; rejected (nothing recorded) when the value does not fit.',
    },
  );
  setHandler(
    updateStateUpdate,
    (input: UpdateStateInput) => {
      loop.chain.counted();
      return updateState(loop, input);
    },
    {
      validator: (input: UpdateStateInput) => {
        const tooLarge = oversizeRefusal(state.threadId, 'The updateState values sent to thread', input);
        if (tooLarge) throw failure(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge, { threadId: state.threadId });
        const problem = updateStateProblem(state, input);
        if (problem) throw failure(ErrorCode.UPDATE_STATE_REFUSED, problem, { threadId: state.threadId });
      },
      description:
        "Write state values on a paused thread (asNode: as that paused node's output). Pending interrupts are never dropped.",
    },
  );
  setHandler(
    awaitStopUpdate,
    ({ afterStop }: AwaitStopInput = {}) => {
      loop.chain.counted();
      return afterStop === undefined && state.status !== 'running'
        ? new Promise<StopState>((resolve) => resolve(loop.currentStop()))
        : loop.waitForStop(afterStop ?? state.stops);
    },
    { description: 'Wait until the thread pauses or ends; returns its state.' },
  );
}

/**
 * The Update's rejection for a refused resume: the caller's error class, with the pending ids; a resume that a racing
 * one beat to its interrupts is told so (no pending interrupt, with the status).
 */
function resumeError(state: RunState, refusal: Refusal): ApplicationFailure {
  if (refusal.justAnswered) {
    const message = justAnsweredMessage(state.threadId, state.status, refusal.justAnswered);
    return failure(ErrorCode.NO_PENDING_INTERRUPT, message, { threadId: state.threadId, status: state.status });
  }
  const error =
    refusal.reason === 'no_pending'
      ? new NoPendingInterruptError(state.threadId, state.status)
      : new InvalidResumeError(refusal.message, {
          threadId: state.threadId,
          pendingIds: pendingOf(state)
            .filter(takesResumeValue)
            .map((p) => p.id),
        });
  return toFailure(error) as ApplicationFailure;
}

/** The run's failure for a start input that is not a run's input: what is wrong, and how to start it right. */
function startInputFailure(state: RunState, problem: string): ApplicationFailure {
  const { taskQueue } = workflowInfo();
  return failure(
    ErrorCode.INVALID_INPUT,
    `Thread "${state.threadId}" (graph "${state.graph}") was started with an input it cannot run, so nothing ran: ` +
      `${problem} Start it again with the state wrapped, e.g. \`temporal workflow start --type ${state.graph} ` +
      `--task-queue ${taskQueue} --workflow-id ${state.threadId} --input '{"input": {...}}'\`, or with ` +
      `\`durable-graph\`'s client.`,
    { threadId: state.threadId },
  );
}

/** Why what was sent (`what`, then the thread id) is too large for the thread to carry, or undefined. */
function oversizeRefusal(threadId: string, what: string, payload: unknown): string | undefined {
  const found = oversize(`${what} "${threadId}"`, payload);
  if (!found) return undefined;
  return (
    `${found.sentence}: it was not applied and nothing changed. ` +
    `Keep large data out of the thread: store it elsewhere (a file, a bucket, a database) and send its reference.`
  );
}

/**
 * The approval graph and the 10-node chain written by hand as Temporal workflows: what a Temporal expert writes for
 * exactly these two graphs, with nothing generic. It is the limit scenario A (durable-graph) is measured against.
 * Determinism: only activity results and Update inputs change state; no Node built-ins.
 */
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
// The engine's own search-attribute keys and values, so B writes exactly what A writes (and the dev server's
// registered attributes serve both).
import {
  pendingNodesSearchAttribute,
  statusSearchAttribute,
  ThreadStatus,
} from '../../src/protocol/search-attributes.js';
import type * as activities from './activities.js';
import {
  CHAIN_LENGTH,
  awaitPauseUpdate,
  awaitResultUpdate,
  getStateQuery,
  resumeUpdate,
  type ApprovalQuestion,
  type ApprovalState,
  type ApprovalView,
  type ChainState,
} from './shared.js';

// Same timeout and retry budget as a durable-graph node's defaults (10 min, 3 attempts).
const acts = proxyActivities<typeof activities>({ startToCloseTimeout: '10 minutes', retry: { maximumAttempts: 3 } });
const localActs = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

/**
 * propose → human_review (asks; waits for the `resume` Update) → execute. Started with Update-with-Start on
 * `awaitPause`, which returns at the pause; `resume` returns at the end.
 */
export function rawApproval(input: Pick<ApprovalState, 'request'>): Promise<ApprovalView> {
  // Not async: no extra promise over a body written inline.
  return rawApprovalWith(input, false);
}

async function rawApprovalWith(
  input: Pick<ApprovalState, 'request'>,
  visible: boolean,
  rerun = false,
): Promise<ApprovalView> {
  const values: ApprovalState = { ...input };
  let status: ApprovalView['status'] = 'running';
  let question: ApprovalQuestion | undefined;
  let answer: { value: unknown } | undefined;
  const view = (): ApprovalView => (question ? { status, values, interrupt: question } : { status, values });

  setHandler(getStateQuery, view);
  setHandler(awaitPauseUpdate, async () => {
    await condition(() => status !== 'running');
    return view();
  });
  setHandler(
    resumeUpdate,
    async ({ resume }) => {
      answer = { value: resume };
      await condition(() => status === 'completed');
      return view();
    },
    {
      validator: ({ resume }) => {
        if (status !== 'interrupted' || answer !== undefined) throw new Error('Nothing is waiting for a resume.');
        if (resume === undefined || resume === null) throw new Error('Empty resume value.');
      },
    },
  );

  Object.assign(values, await acts.propose(values));
  question = await acts.humanReview(values);
  status = 'interrupted';
  if (visible) showPause(question);
  await condition(() => answer !== undefined);
  status = 'running';
  question = undefined;
  if (visible) hidePause();
  if (rerun) Object.assign(values, await localActs.reviewAnswer(values, answer!.value));
  else values.approved = answer!.value === true;
  Object.assign(values, await acts.execute(values));
  status = 'completed';
  // The contract: a thread that paused says how it ended, so a closed thread does not keep saying `running`.
  if (visible) upsertSearchAttributes([{ key: statusSearchAttribute, value: ThreadStatus.COMPLETED }]);
  await condition(allHandlersFinished);
  return view();
}

/**
 * rawApproval plus the pause visibility durable-graph gives every paused thread (the ops contract): at the pause, a
 * status search attribute and a memo with the question and the command that resumes it; at the resume, both taken
 * back; at the end, the final status. Five more events and five more visibility writes per cycle than rawApproval:
 * the same ones as A. (The client also starts it with A's static summary and details.)
 */
export function rawApprovalVisible(input: Pick<ApprovalState, 'request'>): Promise<ApprovalView> {
  return rawApprovalWith(input, true);
}

/**
 * rawApproval plus LangGraph's re-run of the interrupted node: after the resume, human_review runs again with the
 * answer (a local Activity, as durable-graph runs re-runs) and its result sets `approved`. The hand-written
 * workflow with the graph's semantics: one more activation, one Activity execution and a marker per cycle.
 */
export function rawApprovalRerun(input: Pick<ApprovalState, 'request'>): Promise<ApprovalView> {
  return rawApprovalWith(input, false, true);
}

/**
 * rawApprovalVisible and rawApprovalRerun together: the hand-written workflow with the graph's semantics (the re-run)
 * and the ops contract (the pause visibility). What is left between A and this is the generic engine's own cost.
 */
export function rawApprovalSame(input: Pick<ApprovalState, 'request'>): Promise<ApprovalView> {
  return rawApprovalWith(input, true, true);
}

function showPause(question: ApprovalQuestion): void {
  upsertSearchAttributes([
    { key: statusSearchAttribute, value: ThreadStatus.INTERRUPTED },
    { key: pendingNodesSearchAttribute, value: ['human_review'] },
  ]);
  const id = workflowInfo().workflowId;
  upsertMemo({
    pause: {
      node: 'human_review',
      question,
      resumeCommand: `temporal workflow update execute --workflow-id ${id} --name resume --input $'{"resume": <value>}'`,
    },
  });
}

function hidePause(): void {
  upsertSearchAttributes([
    { key: statusSearchAttribute, value: ThreadStatus.RUNNING },
    { key: pendingNodesSearchAttribute, value: [] },
  ]);
  upsertMemo({ pause: undefined });
}

/** Ten activities in a row. Started with `execute` (start + wait for the result) or Update-with-Start on `awaitResult`. */
export async function rawChain(input: ChainState): Promise<ChainState> {
  let state = input;
  let done = false;
  setHandler(awaitResultUpdate, async () => {
    await condition(() => done);
    return state;
  });
  for (let i = 0; i < CHAIN_LENGTH; i++) state = await acts.step(state);
  done = true;
  await condition(allHandlersFinished);
  return state;
}

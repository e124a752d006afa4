/**
 * The approval graph and the 10-node chain written by hand as Temporal workflows: what a Temporal expert writes for
 * exactly these two graphs, with nothing generic. It is the limit scenario A (durable-graph) is measured against.
 * Determinism: only activity results and Update inputs change state; no Node built-ins.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
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

/**
 * propose → human_review (asks; waits for the `resume` Update) → execute. Started with Update-with-Start on
 * `awaitPause`, which returns at the pause; `resume` returns at the end.
 */
export async function rawApproval(input: Pick<ApprovalState, 'request'>): Promise<ApprovalView> {
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
  await condition(() => answer !== undefined);
  status = 'running';
  question = undefined;
  values.approved = answer!.value === true;
  Object.assign(values, await acts.execute(values));
  status = 'completed';
  await condition(allHandlersFinished);
  return view();
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

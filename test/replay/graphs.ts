/**
 * Test-only graphs whose threads are recorded in `histories/` (by record.ts). Replay itself runs no node
 * code, but keep these definitions as they are: they document what each history exercised, and the
 * recorder needs them to record new files. Change a graph only together with a new name and new files.
 */
import { z } from 'zod';
import {
  Command,
  END,
  NodeInterrupt,
  START,
  Send,
  StateGraph,
  appendReducer,
  interrupt,
  step,
  withReducer,
} from '../../src/index.js';

const QuestionsState = z.object({ name: z.string().optional(), age: z.number().optional() });

/** Two `interrupt()` calls in one node: needs two resumes; the node body runs three times. */
function askNameAndAge() {
  const name = interrupt<string>({ question: 'name?' });
  const age = interrupt<number>({ question: `age of ${name}?` });
  return { name, age };
}

/** One node, two `interrupt()` calls: needs two resumes; the node body runs three times. */
export const twoQuestionsGraph = new StateGraph(QuestionsState)
  .addNode('ask', askNameAndAge)
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'replay-two-questions' });

const RoutingState = z.object({
  topic: z.string(),
  path: withReducer(z.array(z.string()), appendReducer, () => []),
  score: withReducer(
    z.number(),
    (current: number, update: number) => current + update,
    () => 0,
  ),
  summary: z.string().optional(),
});

/**
 * No interrupts; every kind of routing: a conditional edge from START (the `routeStart` local
 * Activity) fanning out to two nodes, a join, a custom reducer (the `applyWrites` local Activity), a
 * conditional edge with a path map, and a Command goto.
 */
export const routingGraph = new StateGraph(RoutingState)
  .addNode('left', () => ({ path: ['left'], score: 1 }))
  .addNode('right', () => ({ path: ['right'], score: 2 }))
  .addNode('merge', (s) => ({ path: ['merge'], summary: `score ${s.score}` }))
  .addNode('celebrate', () => new Command({ update: { path: ['celebrate'] }, goto: 'wrapup' }), { ends: ['wrapup'] })
  .addNode('wrapup', () => ({ path: ['wrapup'] }))
  .addConditionalEdges(START, (s) => (s.topic === 'both' ? ['left', 'right'] : ['left']))
  .addEdge(['left', 'right'], 'merge')
  .addConditionalEdges('merge', (s) => (s.score > 2 ? 'high' : 'low'), { high: 'celebrate', low: END })
  .addEdge('wrapup', END)
  .compile({ name: 'replay-routing' });

/** Two nodes that interrupt in the same superstep, then a join: answered by id (resume map), one at a time. */
export const parallelQuestionsGraph = new StateGraph(
  z.object({ left: z.string().optional(), right: z.string().optional(), both: z.string().optional() }),
)
  .addNode('askLeft', () => ({ left: interrupt<string>({ side: 'left' }) }))
  .addNode('askRight', () => ({ right: interrupt<string>({ side: 'right' }) }))
  .addNode('combine', (s) => ({ both: `${s.left}+${s.right}` }))
  .addEdge(START, 'askLeft')
  .addEdge(START, 'askRight')
  .addEdge(['askLeft', 'askRight'], 'combine')
  .addEdge('combine', END)
  .compile({ name: 'replay-parallel-questions' });

/** A node that always fails: retried once, then the run fails with NODE_FAILED. */
export const failingGraph = new StateGraph(z.object({ attempts: z.number().optional() }))
  .addNode(
    'flaky',
    () => {
      throw new TypeError('the downstream service is down');
    },
    { retryPolicy: { maxAttempts: 2, initialInterval: 10 } },
  )
  .addEdge(START, 'flaky')
  .compile({ name: 'replay-failing' });

const LogState = z.object({
  log: withReducer(z.array(z.string()), appendReducer, () => []),
  note: z.string().optional(),
});

/** Send fan-out from START: one `review` task per topic, each interrupting; answered by an id map. */
export const sendReviewGraph = new StateGraph(
  z.object({
    topics: z.array(z.string()).default([]),
    jokes: withReducer(z.array(z.string()), appendReducer, () => []),
  }),
)
  .addNode('review', (arg) => {
    const topic = (arg as unknown as { topic: string }).topic;
    return { jokes: [`${topic}:${interrupt<string>({ topic })}`] };
  })
  .addConditionalEdges(START, (s) => s.topics.map((topic) => new Send('review', { topic })))
  .addEdge('review', END)
  .compile({ name: 'replay-send-interrupts' });

/** The child of `subgraphParentGraph`: prepares, then interrupts. Runs as a Temporal child workflow. */
export const reviewSubgraph = new StateGraph(LogState)
  .addNode('child_prep', () => ({ log: ['child_prep'] }))
  .addNode('child_ask', () => ({ note: interrupt<string>({ question: 'from the child' }), log: ['child_ask'] }))
  .addEdge(START, 'child_prep')
  .addEdge('child_prep', 'child_ask')
  .addEdge('child_ask', END)
  .compile({ name: 'replay-review-subgraph' });

/** A compiled graph used as the node `sub`: its interrupt surfaces in the parent; resuming the parent resumes the child. */
export const subgraphParentGraph = new StateGraph(LogState)
  .addNode('parent_pre', () => ({ log: ['parent_pre'] }))
  .addNode('sub', reviewSubgraph)
  .addNode('parent_post', (s) => ({ log: [`parent_post:${s.note}`] }))
  .addEdge(START, 'parent_pre')
  .addEdge('parent_pre', 'sub')
  .addEdge('sub', 'parent_post')
  .addEdge('parent_post', END)
  .compile({ name: 'replay-with-subgraph' });

function draftThenSend(name: string, options: { interruptBefore?: string[]; interruptAfter?: string[] }) {
  return new StateGraph(LogState)
    .addNode('draft', () => ({ log: ['draft'] }))
    .addNode('send', () => ({ log: ['send'] }))
    .addEdge(START, 'draft')
    .addEdge('draft', 'send')
    .addEdge('send', END)
    .compile({ name, ...options });
}

/** Static breakpoint before `send`: continued with invoke(null). */
export const beforeSendGraph = draftThenSend('replay-before-send', { interruptBefore: ['send'] });

/** Static breakpoint after `draft`: continued with a plain `{}` resume Signal. */
export const afterDraftGraph = draftThenSend('replay-after-draft', { interruptAfter: ['draft'] });

/** updateState(config, values, 'review') on the paused `review` counts as its output; invoke(null) runs `after`. */
export const updateAsNodeGraph = new StateGraph(
  z.object({ approved: z.boolean().optional(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
)
  .addNode('review', () => ({ approved: interrupt<boolean>('ok?') }))
  .addNode('after', (s) => ({ log: [`after:${s.approved}`] }))
  .addEdge(START, 'review')
  .addEdge('review', 'after')
  .addEdge('after', END)
  .compile({ name: 'replay-update-as-node' });

/** A node that interrupts and reads `note`: driven by Command({ resume, update }), Command({ update }) and invoke(null). */
export const commandInputGraph = new StateGraph(LogState)
  .addNode('ask', (s) => ({ log: [`ask:${interrupt<string>({ question: 'ok?', note: s.note ?? null })}`] }))
  .addNode('finish', () => ({ log: ['finish'] }))
  .addEdge(START, 'ask')
  .addEdge('ask', 'finish')
  .addEdge('finish', END)
  .compile({ name: 'replay-command-input' });

/** step() side effects around two interrupts: memoised across both pauses. */
export const stepsGraph = new StateGraph(
  z.object({ draft: z.string().optional(), sent: z.number().optional(), verdict: z.string().optional() }),
)
  .addNode('work', async () => {
    const draft = await step('draft', async () => 'draft #1');
    const first = interrupt<string>({ draft });
    const sent = await step('email', () => 1);
    const second = interrupt<string>({ sent });
    return { draft, sent, verdict: `${first}/${second}` };
  })
  .addEdge(START, 'work')
  .compile({ name: 'replay-memoised-steps' });

/** interrupt() with a 1s deadline resumed by its onTimeout value (a durable timer). */
export const deadlineGraph = new StateGraph(z.object({ decision: z.string().optional() }))
  .addNode('ask', () => ({
    decision: interrupt<string>('approve?', { timeout: '1s', onTimeout: { resume: 'auto-rejected' } }),
  }))
  .addEdge(START, 'ask')
  .compile({ name: 'replay-deadline' });

/** interrupt() with a 1s deadline that fails the run when nobody answers (a run that ends from a pause). */
export const deadlineFailGraph = new StateGraph(z.object({ decision: z.string().optional() }))
  .addNode('ask', () => ({ decision: interrupt<string>('approve?', { timeout: '1s', onTimeout: 'fail' }) }))
  .addEdge(START, 'ask')
  .compile({ name: 'replay-deadline-fail' });

/** interrupt() with a responseSchema: a bad Signal is recorded as refused, a good answer resumes. */
export const responseSchemaGraph = new StateGraph(z.object({ approved: z.boolean().optional() }))
  .addNode('review', () => {
    const answer = interrupt(
      { question: 'approve?' },
      { responseSchema: z.object({ approved: z.boolean(), comment: z.string().optional() }) },
    );
    return { approved: answer.approved };
  })
  .addEdge(START, 'review')
  .compile({ name: 'replay-schema-review' });

/** A local-Activity node (`{ local: true }`) followed by a conditional edge with a path map. */
export const localRoutingGraph = new StateGraph(LogState)
  .addNode('classify', (s) => ({ log: ['classify'], note: s.note === 'urgent' ? 'fast' : 'slow' }), { local: true })
  .addNode('fast', () => ({ log: ['fast'] }), { local: true })
  .addNode('slow', () => ({ log: ['slow'] }))
  .addConditionalEdges('classify', (s) => (s.note === 'fast' ? 'go_fast' : 'go_slow'), {
    go_fast: 'fast',
    go_slow: 'slow',
  })
  .addEdge(START, 'classify')
  .addEdge('fast', END)
  .addEdge('slow', END)
  .compile({ name: 'replay-local-routing' });

/** Flips to false once the first run of `sendRerunGraph` has failed (the recorder then calls invoke(null)). */
export const sendRerunBroken = { b: true };

/** Send fan-out with a sibling; the Send to "b" fails until fixed: invoke(null) re-runs it alone, with its argument. */
export const sendRerunGraph = new StateGraph(
  z.object({
    topics: z.array(z.string()).default([]),
    jokes: withReducer(z.array(z.string()), appendReducer, () => []),
    best: z.string().optional(),
  }),
)
  .addNode('plan', () => ({ topics: ['a', 'b', 'c'] }))
  .addNode(
    'joke',
    (arg) => {
      const topic = (arg as unknown as { topic: string }).topic;
      if (topic === 'b' && sendRerunBroken.b) throw new Error('no joke about b');
      return { jokes: [`joke ${topic}`] };
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addNode('sibling', () => ({ best: 'sibling' }))
  .addNode('pick', (s) => ({ best: s.jokes.join(',') }))
  .addEdge(START, 'plan')
  .addConditionalEdges('plan', (s) => [...s.topics.map((topic) => new Send('joke', { topic })), 'sibling'])
  .addEdge('joke', 'pick')
  .addEdge('sibling', 'pick')
  .compile({ name: 'replay-send-rerun' });

/** `check` throws NodeInterrupt (R6) while x > 5: continued with updateState({ x: 1 }) then invoke(null). */
export const nodeInterruptGraph = new StateGraph(
  z.object({ x: z.number(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
)
  .addNode('a', () => ({ log: ['a'] }))
  .addNode('check', (s) => {
    if (s.x > 5) throw new NodeInterrupt(`x too big: ${s.x}`);
    return { log: ['check'] };
  })
  .addNode('b', () => ({ log: ['b'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'check')
  .addEdge('check', 'b')
  .addEdge('b', END)
  .compile({ name: 'replay-node-interrupt' });

/** The child of `parentCommandGraph`: `c2` hands the run to the parent with Command.PARENT; `c3` never runs. */
export const parentCommandChildGraph = new StateGraph(LogState)
  .addNode('c1', () => ({ log: ['c1'], note: 'from c1' }))
  .addNode('c2', () => new Command({ graph: Command.PARENT, goto: 'other', update: { log: ['c2'], note: 'from c2' } }))
  .addNode('c3', () => ({ log: ['c3'] }))
  .addEdge(START, 'c1')
  .addEdge('c1', 'c2')
  .addEdge('c2', 'c3')
  .addEdge('c3', END)
  .compile({ name: 'replay-parent-command-child' });

/** A subgraph node whose child returns Command.PARENT: the update is `sub`'s output; `other` (goto) and `post` (edge) run. */
export const parentCommandGraph = new StateGraph(LogState)
  .addNode('pre', () => ({ log: ['pre'] }))
  .addNode('sub', parentCommandChildGraph, { ends: ['other'] })
  .addNode('other', (s) => ({ log: [`other:${s.note}`] }))
  .addNode('post', () => ({ log: ['post'] }))
  .addEdge(START, 'pre')
  .addEdge('pre', 'sub')
  .addEdge('sub', 'post')
  .addEdge('post', END)
  .addEdge('other', END)
  .compile({ name: 'replay-parent-command' });

/** Called with invoke() inside `delegate` (R41): a thread of its own that pauses at `ask`. */
export const invokedReviewGraph = new StateGraph(LogState)
  .addNode('ask', () => ({ note: interrupt<string>({ question: 'from the invoked graph' }), log: ['ask'] }))
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'replay-invoked-review' });

/** `delegate` invokes `invokedReviewGraph`: its interrupt pauses the node; on resume the node re-runs, the child resumes. */
export const invokeInNodeGraph = new StateGraph(LogState)
  .addNode('delegate', async () => {
    const out = await invokedReviewGraph.invoke({});
    return { note: out.note, log: [`delegate:${out.note}`] };
  })
  .addNode('after', (s) => ({ log: [`after:${s.note}`] }))
  .addEdge(START, 'delegate')
  .addEdge('delegate', 'after')
  .addEdge('after', END)
  .compile({ name: 'replay-invoke-in-node' });

/** The child of `customStreamGraph`: writes "custom" chunks before and after its interrupt. */
export const customStreamChildGraph = new StateGraph(LogState)
  .addNode('work', (_s, config) => {
    config.writer({ from: 'work' });
    return { log: ['work'] };
  })
  .addNode('ask', (_s, config) => {
    config.writer({ from: 'ask-before' });
    const answer = interrupt<string>('ok?');
    config.writer({ from: 'ask-after', answer });
    return { log: [`ask:${answer}`] };
  })
  .addEdge(START, 'work')
  .addEdge('work', 'ask')
  .addEdge('ask', END)
  .compile({ name: 'replay-custom-stream-child' });

/** A parent that writes a "custom" chunk, then runs `customStreamChildGraph` as the node `sub`. */
export const customStreamGraph = new StateGraph(LogState)
  .addNode('pre', (_s, config) => {
    config.writer({ from: 'pre' });
    return { log: ['pre'] };
  })
  .addNode('sub', customStreamChildGraph)
  .addEdge(START, 'pre')
  .addEdge('pre', 'sub')
  .addEdge('sub', END)
  .compile({ name: 'replay-custom-stream' });

// Engine level 8: local segments (consecutive supersteps of `local: true` nodes in one local Activity).

/** START → l0 → l1 → l2 → l3 → END, every node `local: true`: one segment. */
export const localChainGraph = new StateGraph(LogState)
  .addNode('l0', () => ({ log: ['l0'] }), { local: true })
  .addNode('l1', () => ({ log: ['l1'] }), { local: true })
  .addNode('l2', () => ({ log: ['l2'] }), { local: true })
  .addNode('l3', () => ({ log: ['l3'] }), { local: true })
  .addEdge(START, 'l0')
  .addEdge('l0', 'l1')
  .addEdge('l1', 'l2')
  .addEdge('l2', 'l3')
  .addEdge('l3', END)
  .compile({ name: 'replay-local-chain' });

/** A local chain whose middle node asks a question: the segment stops there; after the resume, a new one runs on. */
export const localChainInterruptGraph = new StateGraph(LogState)
  .addNode('l0', () => ({ log: ['l0'] }), { local: true })
  .addNode('ask', () => ({ log: [`ask:${interrupt<string>('go on?')}`] }), { local: true })
  .addNode('l2', () => ({ log: ['l2'] }), { local: true })
  .addNode('l3', () => ({ log: ['l3'] }), { local: true })
  .addEdge(START, 'l0')
  .addEdge('l0', 'ask')
  .addEdge('ask', 'l2')
  .addEdge('l2', 'l3')
  .addEdge('l3', END)
  .compile({ name: 'replay-local-chain-interrupt' });

/** How many times `flaky` of `localFailRetryGraph` has run (it fails on its first run only). */
export const localFlakyRuns = { count: 0 };

/** A local chain with a conditional edge whose chosen node fails once: the engine runs it again alone and goes on. */
export const localFailRetryGraph = new StateGraph(LogState)
  .addNode('classify', (s) => ({ log: ['classify'], note: s.note === 'urgent' ? 'fast' : 'slow' }), { local: true })
  .addNode(
    'flaky',
    () => {
      localFlakyRuns.count++;
      if (localFlakyRuns.count === 1) throw new Error('flaky fails once');
      return { log: ['flaky'] };
    },
    { local: true, retryPolicy: { maxAttempts: 3, initialInterval: 10, maxInterval: 10 } },
  )
  .addNode('slow', () => ({ log: ['slow'] }), { local: true })
  .addNode('done', () => ({ log: ['done'] }), { local: true })
  .addConditionalEdges('classify', (s) => (s.note === 'fast' ? 'go_fast' : 'go_slow'), {
    go_fast: 'flaky',
    go_slow: 'slow',
  })
  .addEdge(START, 'classify')
  .addEdge('flaky', 'done')
  .addEdge('slow', 'done')
  .addEdge('done', END)
  .compile({ name: 'replay-local-fail-retry' });

/** As twoQuestionsGraph, compiled with `publishPauses: false`: pauses with no search-attribute or memo writes. */
export const quietQuestionsGraph = new StateGraph(QuestionsState)
  .addNode('ask', askNameAndAge)
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'replay-quiet-questions', publishPauses: false });

/** A tool-call review whose node fails on an edit without args: the thread parks, and the interrupt is answered again. */
export const parkedReviewGraph = new StateGraph(z.object({ call: z.string(), outcome: z.string().optional() }))
  .addNode(
    'review',
    (s) => {
      const answer = interrupt({ question: `Run ${s.call}?` }) as { action: string; args?: unknown };
      if (answer.action === 'edit' && answer.args === undefined) throw new Error('an edit needs "args"');
      return { outcome: `${answer.action} ${JSON.stringify(answer.args ?? null)}` };
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addEdge(START, 'review')
  .compile({ name: 'replay-parked-review' });

const CounterState = z.object({ steps: z.number().default(0) });

/**
 * An agent loop (a local `agent`, a regular `tool`) of `CAN_LOOP_STEPS` supersteps, recorded on a server that
 * suggests continue-as-new after a few dozen events: its runs hand over between supersteps (level 4).
 */
export const CAN_LOOP_STEPS = 40;
export const canLoopGraph = new StateGraph(CounterState)
  .addNode('agent', (s) => ({ steps: s.steps + 1 }), { local: true })
  .addNode('tool', (s) => ({ steps: s.steps + 1 }))
  .addEdge(START, 'agent')
  .addEdge('agent', 'tool')
  .addConditionalEdges('tool', (s) => (s.steps < CAN_LOOP_STEPS ? 'agent' : END), ['agent', END])
  .compile({ name: 'replay-can-loop' });

/** A pause that outlives its run: refused Signals grow the history until the run continues as new while paused. */
export const canPausedGraph = new StateGraph(z.object({ answer: z.string().optional(), after: z.boolean().optional() }))
  .addNode('ask', () => ({ answer: interrupt<string>('Which way?') }))
  .addNode('finish', () => ({ after: true }))
  .addEdge(START, 'ask')
  .addEdge('ask', 'finish')
  .addEdge('finish', END)
  .compile({ name: 'replay-can-paused' });

/**
 * One graph in two builds: "lacking" (hosted by the recorder's worker) has no "review"; "whole" (the client starts
 * the thread with it, and a second worker hosts it) has. The thread waits for a worker that has "review" (level 5).
 */
function reviewBuild(whole: boolean) {
  const graph = new StateGraph(LogState).addNode('draft', () => ({ log: ['draft'] })).addEdge(START, 'draft');
  if (!whole) return graph.addEdge('draft', END).compile({ name: 'replay-lacking-node' });
  return graph
    .addNode('review', () => ({ log: ['review'] }), { retryPolicy: { maxAttempts: 2, initialInterval: 10 } })
    .addEdge('draft', 'review')
    .addEdge('review', END)
    .compile({ name: 'replay-lacking-node' });
}
export const lackingNodeGraph = reviewBuild(false);
export const wholeNodeGraph = reviewBuild(true);

/**
 * getStateHistory's pure part (LangGraph R7, R10, R51, R52): snapshots rebuilt from recorded histories
 * (test/replay/histories) and from small hand-made event lists, with no server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { decodeRunHistory } from '../../../../src/client/history/decode.js';
import {
  checkpointIdOf,
  runIdOfCheckpoint,
  selectSnapshots,
  snapshotsOfRun,
  stateHistoryOf,
  type RunEvent,
  type RunHistory,
  type StateHistorySnapshot,
} from '../../../../src/client/history/state-history.js';
import type { ThreadState } from '../../../../src/protocol/payloads.js';
import type { GraphSpec } from '../../../../src/protocol/spec.js';
import { historyFromJson } from '../../../replay/history-json.js';

const THREAD = 'thread-1';

async function recorded(name: string): Promise<RunEvent[]> {
  const json = JSON.parse(
    readFileSync(new URL(`../../../replay/histories/v0.1.0/${name}.json`, import.meta.url), 'utf8'),
  );
  return decodeRunHistory(historyFromJson(json), loadDataConverter());
}

const newestFirst = (run: RunHistory) => snapshotsOfRun(run, THREAD).reverse();
const shape = (s: StateHistorySnapshot) => ({ step: s.metadata.step, source: s.metadata.source, next: s.next });

describe('snapshots of a recorded approval run (propose → human_review pauses → execute)', () => {
  it('gives 5 snapshots newest first: step 3 next [], 2 [execute], 1 [human_review], 0 [propose], -1 input [__start__] (R51)', async () => {
    const snapshots = newestFirst({ runId: 'run-a', events: await recorded('approval-approved') });
    assert.deepEqual(snapshots.map(shape), [
      { step: 3, source: 'loop', next: [] },
      { step: 2, source: 'loop', next: ['execute'] },
      { step: 1, source: 'loop', next: ['human_review'] },
      { step: 0, source: 'loop', next: ['propose'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(
      snapshots.map((s) => s.values),
      [
        {
          request: 'Q3 report',
          proposed_action: 'send email about Q3 report',
          approved: true,
          result: 'EXECUTED: send email about Q3 report',
        },
        { request: 'Q3 report', proposed_action: 'send email about Q3 report', approved: true },
        { request: 'Q3 report', proposed_action: 'send email about Q3 report' },
        { request: 'Q3 report' },
        {},
      ],
    );
    assert.deepEqual(snapshots[4]!.tasks, [
      { id: 'run-a:__start__', name: '__start__', interrupts: [], result: { request: 'Q3 report' } },
    ]);
    assert.deepEqual(
      snapshots.map((s) => s.config.configurable),
      [3, 2, 1, 0, -1].map((step) => ({ thread_id: THREAD, checkpoint_id: `run-a:${step}` })),
    );
    assert.ok(
      snapshots.every(
        (s) => s.metadata.thread_id === THREAD && s.runId === 'run-a' && !Number.isNaN(Date.parse(s.createdAt)),
      ),
    );
  });

  it('shows the interrupt (with the id the engine gave it) and the eventual result on the paused superstep (R10)', async () => {
    const paused = newestFirst({ runId: 'run-a', events: await recorded('approval-approved') })[2]!;
    assert.deepEqual(paused.tasks, [
      {
        id: '992ba432-6449-4066-96dc-7639f976fc7e',
        name: 'human_review',
        interrupts: [
          {
            id: '620863fbf57e4f338c6f596f58ce0190',
            value: { question: 'Approve this action?', proposed_action: 'send email about Q3 report' },
          },
        ],
        result: { approved: true },
      },
    ]);
  });

  it('finds the interrupt id from the memo alone, and from the Update results alone', async () => {
    const events = await recorded('approval-approved');
    for (const dropped of ['memo', 'stopState'] as const) {
      const paused = newestFirst({ runId: 'r', events: events.filter((e) => e.type !== dropped) })[2]!;
      assert.equal(paused.tasks[0]!.interrupts[0]?.id, '620863fbf57e4f338c6f596f58ce0190', `without ${dropped} events`);
    }
  });

  it('ends at the paused superstep while the run is still paused: interrupt, no result', async () => {
    const events = await recorded('approval-approved');
    const firstStop = events.findIndex((e) => e.type === 'stopState');
    const snapshots = newestFirst({ runId: 'r', events: events.slice(0, firstStop + 1) });
    assert.deepEqual(snapshots.map(shape), [
      { step: 1, source: 'loop', next: ['human_review'] },
      { step: 0, source: 'loop', next: ['propose'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.equal(snapshots[0]!.tasks[0]!.interrupts.length, 1);
    assert.equal('result' in snapshots[0]!.tasks[0]!, false);
  });

  it('reads a thread resumed by Signal (no Update results: ids come from the memo)', async () => {
    const snapshots = newestFirst({ runId: 'r', events: await recorded('started-by-name') });
    assert.deepEqual(
      snapshots.map((s) => s.metadata.step),
      [3, 2, 1, 0, -1],
    );
    assert.deepEqual(
      snapshots[2]!.tasks[0]!.interrupts.map((i) => i.id),
      ['2dd95032c1c74c82bf2f4076a976b46d'],
    );
  });
});

describe('snapshots of other recorded runs', () => {
  it('two interrupt() calls in one node: one superstep whose task shows its last interrupt and its result (as LangGraph)', async () => {
    const snapshots = newestFirst({ runId: 'r', events: await recorded('two-interrupts') });
    assert.deepEqual(snapshots.map(shape), [
      { step: 1, source: 'loop', next: [] },
      { step: 0, source: 'loop', next: ['ask'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(snapshots[1]!.tasks[0]!.interrupts, [
      { id: 'e30a424d631a4318a0460e71f1c6583d', value: { question: 'age of Ada?' } },
    ]);
    assert.deepEqual(snapshots[1]!.tasks[0]!.result, { name: 'Ada', age: 36 });
  });

  it('parallel interrupts answered one at a time: each task keeps its own interrupt id, values are the superstep start', async () => {
    const events = await recorded('parallel-interrupts-by-id');
    for (const variant of [events, events.filter((e) => e.type !== 'stopState')]) {
      const step0 = newestFirst({ runId: 'r', events: variant }).find((s) => s.metadata.step === 0)!;
      assert.deepEqual(step0.values, {});
      assert.deepEqual(step0.next, ['askLeft', 'askRight']);
      assert.deepEqual(
        step0.tasks.map((t) => [t.name, t.interrupts.map((i) => i.id), t.result]),
        [
          ['askLeft', ['0932481af92a457f89ddbe13f78b2edc'], { left: 'L' }],
          ['askRight', ['d722998b4a3c4935b72d1b2739624a2f'], { right: 'R' }],
        ],
      );
    }
  });

  it('a failed run contributes what it has: the failing superstep with the task error, no final snapshot', async () => {
    const snapshots = newestFirst({ runId: 'r', events: await recorded('node-failed') });
    assert.deepEqual(snapshots.map(shape), [
      { step: 0, source: 'loop', next: ['flaky'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(snapshots[0]!.tasks[0]!.error, { name: 'TypeError', message: 'the downstream service is down' });
  });
});

// Hand-made events for cases no recorded history covers.
let clock = Date.parse('2026-01-01T00:00:00Z');
const at = () => new Date((clock += 1000));
let eventIds = 0;
function scheduled(
  step: number,
  node: string,
  taskId: string,
  state: Record<string, unknown>,
): Extract<RunEvent, { type: 'nodeScheduled' }> {
  const task = { node, taskId, step, state };
  return { type: 'nodeScheduled', at: at(), eventId: String(++eventIds), task };
}
const updated = (s: { eventId: string }, update: Record<string, unknown> | null): RunEvent => ({
  type: 'nodeCompleted',
  at: at(),
  scheduledEventId: s.eventId,
  result: { kind: 'update', update, next: [] },
});
const interrupted = (s: { eventId: string }, value: unknown): RunEvent => ({
  type: 'nodeCompleted',
  at: at(),
  scheduledEventId: s.eventId,
  result: { kind: 'interrupt', index: 0, value },
});
const memo = (step: number, interrupts: Array<{ id: string; node: string; value: unknown }>): RunEvent => ({
  type: 'memo',
  at: at(),
  memo: { status: interrupts.length ? 'interrupted' : 'running', step, interrupts, resumeCommand: null },
});
function state(
  step: number,
  values: Record<string, unknown>,
  status: ThreadState['status'],
  rest: Partial<ThreadState> = {},
): ThreadState {
  return {
    threadId: THREAD,
    graph: 'g',
    status,
    values,
    next: [],
    tasks: [],
    interrupts: [],
    metadata: { source: 'loop', step },
    createdAt: at().toISOString(),
    stops: 1,
    rejectedResumes: [],
    ...rest,
  };
}

/** Two turns of a one-node graph (`x` writes n + 1): the second run continues from the first's final state. */
function twoTurns(): RunHistory[] {
  const a0 = scheduled(0, 'x', 'a0', { n: 1 });
  const first: RunHistory = {
    runId: 'run-1',
    events: [
      { type: 'started', at: at(), input: { input: { n: 1 } } },
      a0,
      updated(a0, { n: 2 }),
      { type: 'closed', at: at(), status: 'completed', result: state(1, { n: 2 }, 'completed') },
    ],
  };
  const b0 = scheduled(3, 'x', 'b0', { n: 5 });
  const second: RunHistory = {
    runId: 'run-2',
    events: [
      { type: 'started', at: at(), input: { input: { n: 5 }, previous: { values: { n: 2 }, step: 1 } } },
      b0,
      updated(b0, { n: 6 }),
      { type: 'closed', at: at(), status: 'completed', result: state(4, { n: 6 }, 'completed') },
    ],
  };
  return [first, second];
}

describe('several runs of one thread', () => {
  it('spans every run newest first; the second run continues the step count (R50) and its input snapshot holds the previous values', async () => {
    const history = await stateHistoryOf(twoTurns(), THREAD);
    assert.deepEqual(
      history.map((s) => [s.runId, s.metadata.step, s.metadata.source, s.values]),
      [
        ['run-2', 4, 'loop', { n: 6 }],
        ['run-2', 3, 'loop', { n: 5 }],
        ['run-2', 2, 'input', { n: 2 }],
        ['run-1', 1, 'loop', { n: 2 }],
        ['run-1', 0, 'loop', { n: 1 }],
        ['run-1', -1, 'input', {}],
      ],
    );
    assert.deepEqual(history[2]!.tasks[0]!.result, { n: 5 });
  });

  it('links each snapshot to the one before it, across runs (parentConfig)', async () => {
    const history = await stateHistoryOf(twoTurns(), THREAD);
    for (let i = 0; i < history.length - 1; i++) assert.deepEqual(history[i]!.parentConfig, history[i + 1]!.config);
    assert.equal(history.at(-1)!.parentConfig, undefined);
  });

  it('applies limit, filter: { source } and before (R52)', async () => {
    const runs = twoTurns();
    assert.deepEqual(
      (await stateHistoryOf(runs, THREAD, { limit: 2 })).map((s) => s.metadata.step),
      [4, 3],
    );
    assert.deepEqual(
      (await stateHistoryOf(runs, THREAD, { filter: { source: 'input' } })).map((s) => s.metadata.step),
      [2, -1],
    );
    assert.deepEqual(
      (await stateHistoryOf(runs, THREAD, { filter: { source: 'input' }, limit: 1 })).map((s) => s.metadata.step),
      [2],
    );
    const before = { configurable: { checkpoint_id: checkpointIdOf('run-2', 2) } };
    assert.deepEqual(
      (await stateHistoryOf(runs, THREAD, { before, limit: 2 })).map((s) => s.config.configurable.checkpoint_id),
      ['run-1:1', 'run-1:0'],
    );
    assert.deepEqual(await stateHistoryOf(runs, THREAD, { limit: 0 }), []);
  });

  it('stops reading older snapshots once the limit is reached (at most one beyond the last yielded)', async () => {
    let pulled = 0;
    function* source() {
      for (const s of twoTurns().reverse().flatMap(newestFirst)) {
        pulled++;
        yield s;
      }
    }
    const out: StateHistorySnapshot[] = [];
    for await (const s of selectSnapshots(source(), { limit: 2 })) out.push(s);
    assert.equal(out.length, 2);
    assert.equal(pulled, 3);
  });

  it('reads the run id back from a checkpoint id', () => {
    assert.equal(runIdOfCheckpoint(checkpointIdOf('a:b-c', -1)), 'a:b-c');
    assert.equal(runIdOfCheckpoint(`${checkpointIdOf('run-1', 4)}:u17`), 'run-1');
    assert.equal(runIdOfCheckpoint('not-ours'), undefined);
  });
});

describe('cases the recorded histories do not cover', () => {
  it('Send fan-out: interrupts of several tasks of one node are matched to their tasks by value', () => {
    const w1 = scheduled(0, 'worker', 't1', {});
    const w2 = scheduled(0, 'worker', 't2', {});
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      w1,
      w2,
      interrupted(w2, { item: 2 }),
      interrupted(w1, { item: 1 }),
      memo(0, [
        { id: 'id-2', node: 'worker', value: { item: 2 } },
        { id: 'id-1', node: 'worker', value: { item: 1 } },
      ]),
    ];
    const [paused] = newestFirst({ runId: 'r', events });
    assert.deepEqual(paused!.next, ['worker', 'worker'], 'next repeats the node once per task (R12)');
    assert.deepEqual(
      paused!.tasks.map((t) => [t.id, t.interrupts[0]?.id]),
      [
        ['t1', 'id-1'],
        ['t2', 'id-2'],
      ],
    );
  });

  it('a resumed task that interrupts again gets the new id; a task whose earlier id is still pending keeps it', () => {
    const l = scheduled(0, 'left', 'L', {});
    const r = scheduled(0, 'right', 'R', {});
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      l,
      r,
      interrupted(l, 'l1'),
      interrupted(r, 'r1'),
      memo(0, [
        { id: 'l1', node: 'left', value: 'l1' },
        { id: 'r1', node: 'right', value: 'r1' },
      ]),
    ];
    events.push(memo(0, [{ id: 'l1', node: 'left', value: 'l1' }]));
    const r2 = scheduled(0, 'right', 'R', {});
    events.push(
      r2,
      interrupted(r2, 'r2'),
      memo(0, [
        { id: 'l1', node: 'left', value: 'l1' },
        { id: 'r2', node: 'right', value: 'r2' },
      ]),
    );
    const [paused] = newestFirst({ runId: 'r', events });
    assert.deepEqual(
      paused!.tasks.map((t) => t.interrupts),
      [[{ id: 'l1', value: 'l1' }], [{ id: 'r2', value: 'r2' }]],
    );
  });

  it('Command({ resume, update }): the paused superstep shows the updated values the node re-ran with (R27)', () => {
    const first = scheduled(0, 'review', 'T', { draft: 'v1' });
    const again = scheduled(0, 'review', 'T', { draft: 'v2' });
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      first,
      interrupted(first, 'ok?'),
      memo(0, [{ id: 'i', node: 'review', value: 'ok?' }]),
      again,
      updated(again, null),
    ];
    const [step0] = newestFirst({ runId: 'r', events });
    assert.deepEqual(step0!.values, { draft: 'v2' });
    assert.equal(step0!.tasks.length, 1);
    assert.equal(step0!.tasks[0]!.result, null);
  });

  it('a run paused at a static breakpoint before a superstep shows that superstep from the recorded stop', () => {
    const a = scheduled(0, 'a', 'A', {});
    const stop = state(1, { done: 'a' }, 'interrupted', {
      next: ['b'],
      tasks: [{ id: 'B', name: 'b', interrupts: [] }],
      pausedAt: 'before',
    });
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      a,
      updated(a, { done: 'a' }),
      { type: 'stopState', at: at(), state: stop },
    ];
    const [paused] = newestFirst({ runId: 'r', events });
    assert.deepEqual(shape(paused!), { step: 1, source: 'loop', next: ['b'] });
    assert.deepEqual(paused!.values, { done: 'a' });
    assert.deepEqual(paused!.tasks, [{ id: 'B', name: 'b', interrupts: [] }], 'a breakpoint has no interrupt (R5)');
  });

  it('a run abandoned while paused (terminated) ends at its paused superstep', () => {
    const a = scheduled(0, 'ask', 'A', {});
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      a,
      interrupted(a, 'q'),
      memo(0, [{ id: 'i', node: 'ask', value: 'q' }]),
      { type: 'closed', at: at(), status: 'terminated', error: { name: 'TerminatedFailure', message: 'abandoned' } },
    ];
    const snapshots = newestFirst({ runId: 'r', events });
    assert.deepEqual(snapshots.map(shape), [
      { step: 0, source: 'loop', next: ['ask'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(snapshots[0]!.tasks[0]!.interrupts, [{ id: 'i', value: 'q' }]);
  });

  it('updateState on a paused superstep: an "update" snapshot after it; the superstep keeps the values it paused with (R31)', () => {
    const first = scheduled(0, 'review', 'T', { draft: 'v1' });
    const again = scheduled(0, 'review', 'T', { draft: 'v2' });
    const edited = state(0, { draft: 'v2' }, 'interrupted', {
      next: ['review'],
      tasks: [{ id: 'T', name: 'review', interrupts: [{ id: 'i', value: 'ok?' }] }],
    });
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      first,
      interrupted(first, 'ok?'),
      memo(0, [{ id: 'i', node: 'review', value: 'ok?' }]),
      { type: 'stateUpdated', at: at(), eventId: '40', state: edited },
      again,
      updated(again, { done: true }),
    ];
    const snapshots = newestFirst({ runId: 'r', events });
    assert.deepEqual(snapshots.map(shape), [
      { step: 0, source: 'update', next: ['review'] },
      { step: 0, source: 'loop', next: ['review'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(
      snapshots.map((s) => s.values),
      [{ draft: 'v2' }, { draft: 'v1' }, {}],
    );
    assert.equal(snapshots[0]!.config.configurable.checkpoint_id, 'r:0:u40');
    assert.deepEqual(snapshots[0]!.tasks, [
      { id: 'T', name: 'review', interrupts: [{ id: 'i', value: 'ok?' }], result: { done: true } },
    ]);
  });

  it('updateState(..., asNode) completes the paused task: its result comes from the reported state', () => {
    const review = scheduled(0, 'review', 'T', {});
    const asNode = state(0, { approved: true }, 'interrupted', {
      tasks: [{ id: 'T', name: 'review', interrupts: [], result: { approved: true } }],
    });
    const events: RunEvent[] = [
      { type: 'started', at: at(), input: {} },
      review,
      interrupted(review, 'ok?'),
      memo(0, [{ id: 'i', node: 'review', value: 'ok?' }]),
      { type: 'stateUpdated', at: at(), eventId: '9', state: asNode },
    ];
    const loop = newestFirst({ runId: 'r', events }).find((s) => s.metadata.source === 'loop')!;
    assert.deepEqual(loop.tasks, [
      { id: 'T', name: 'review', interrupts: [{ id: 'i', value: 'ok?' }], result: { approved: true } },
    ]);
  });
});

describe("a thread's first input snapshot", () => {
  const channels = {
    log: { reducer: 'append', hasDefault: true, default: [] },
    items: { reducer: 'last', hasDefault: true, default: ['x'] },
    name: { reducer: 'last', hasDefault: false },
  };
  const spec = { channels } as unknown as GraphSpec;

  it('shows the defaults of reducer fields, not of plain fields, as LangGraph does (the spec the start recorded, or the one passed)', () => {
    const fromInput: RunHistory = {
      runId: 'r',
      events: [{ type: 'started', at: at(), input: { input: { name: 'n' } }, spec }],
    };
    const [input] = snapshotsOfRun(fromInput, THREAD);
    assert.deepEqual(input!.values, { log: [] });
    assert.deepEqual(input!.tasks, [{ id: 'r:__start__', name: '__start__', interrupts: [], result: { name: 'n' } }]);
    const byName: RunHistory = { runId: 'r', events: [{ type: 'started', at: at(), input: { input: null } }] };
    assert.deepEqual(snapshotsOfRun(byName, THREAD)[0]!.values, {}, 'no spec known: nothing to show');
    assert.deepEqual(snapshotsOfRun(byName, THREAD, spec)[0]!.values, { log: [] });
    assert.equal(
      'result' in snapshotsOfRun(byName, THREAD)[0]!.tasks[0]!,
      false,
      'an empty input wrote nothing: no result, as LangGraph',
    );
  });

  it("of a later run shows the previous run's values only", () => {
    const later: RunHistory = {
      runId: 'r2',
      events: [
        { type: 'started', at: at(), input: { input: null, previous: { values: { name: 'kept' }, step: 3 } }, spec },
      ],
    };
    assert.deepEqual(snapshotsOfRun(later, THREAD)[0]!.values, { name: 'kept' });
  });
});

describe('snapshots of a recorded subgraph child run that ended with Command.PARENT', () => {
  it("shows the node that returned it with LangGraph's ParentCommand error and no result; no snapshot after it", async () => {
    const snapshots = newestFirst({ runId: 'run-c', events: await recorded('subgraph-parent-command-child') });
    assert.deepEqual(snapshots.map(shape), [
      { step: 1, source: 'loop', next: ['c2'] },
      { step: 0, source: 'loop', next: ['c1'] },
      { step: -1, source: 'input', next: ['__start__'] },
    ]);
    assert.deepEqual(snapshots[0]!.values, { log: ['pre', 'c1'], note: 'from c1' });
    assert.deepEqual(
      snapshots[0]!.tasks.map(({ id: _id, ...task }) => task),
      [{ name: 'c2', interrupts: [], error: { name: 'ParentCommand', message: '' } }],
    );
    assert.deepEqual(
      snapshots[1]!.tasks.map((t) => t.result),
      [{ log: ['c1'], note: 'from c1' }],
    );
  });
});

describe('snapshots of a thread paused across a continue-as-new (recorded: the paused run and the run it handed over to)', () => {
  async function recordedDev(name: string): Promise<RunEvent[]> {
    const json = JSON.parse(
      readFileSync(new URL(`../../../replay/histories/v0.2.0-dev/${name}.json`, import.meta.url), 'utf8'),
    );
    return decodeRunHistory(historyFromJson(json), loadDataConverter());
  }

  it('shows the paused step once, from the newer run, with its interrupt and the answer it took', async () => {
    const runs: RunHistory[] = [
      { runId: 'before', events: await recordedDev('continue-as-new-paused') },
      { runId: 'after', events: await recordedDev('continue-as-new-paused-next') },
    ];
    const history = await stateHistoryOf(runs, THREAD);
    assert.deepEqual(
      history.map((s) => [s.runId, s.metadata.step, s.metadata.source]),
      [
        ['after', 2, 'loop'],
        ['after', 1, 'loop'],
        ['after', 0, 'loop'],
        ['before', -1, 'input'],
      ],
    );
    const [ask] = history[2]!.tasks;
    assert.equal(ask!.name, 'ask');
    assert.deepEqual(ask!.interrupts, [{ id: 'ba66d83faffd60f3d1aa850909e9831e', value: 'Which way?' }]);
    assert.deepEqual(ask!.result, { answer: 'left' });
  });

  it('shows the paused step from the paused run while it is the only run', async () => {
    const before = await recordedDev('continue-as-new-paused');
    const history = await stateHistoryOf([{ runId: 'only', events: before }], THREAD);
    assert.deepEqual(
      history.map((s) => [s.metadata.step, s.metadata.source]),
      [
        [0, 'loop'],
        [-1, 'input'],
      ],
    );
  });
});

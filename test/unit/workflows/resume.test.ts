/**
 * resume.ts without a server: how a command is matched against the run's pause, what an accepted one changes, and
 * what the loop is asked to do when it goes on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptMatch,
  justAnsweredMessage,
  matchPayload,
  takeAnswers,
  takeCommands,
} from '../../../src/workflows/resume.js';
import { answerOf, iid, specOf, stateOf, taskOf } from '../../helpers/run-state.js';

const paused = (tasks = [taskOf('a', 'task-a', { interrupt: { id: iid(1), value: 'q?' } })]) =>
  stateOf({ status: 'interrupted', pausedAt: 'interrupt', tasks });
const ids = (() => {
  let n = 0;
  return () => `new-${++n}`;
})();

describe('matchPayload', () => {
  const cases: Array<{
    name: string;
    state: ReturnType<typeof stateOf>;
    payload: unknown;
    ok: boolean;
    reason?: string;
    message?: RegExp;
  }> = [
    {
      name: 'takes a plain value for the one pending interrupt',
      state: paused(),
      payload: { resume: 'yes' },
      ok: true,
    },
    { name: 'takes a falsy value', state: paused(), payload: { resume: false }, ok: true },
    {
      name: 'refuses a resume on a run with nothing pending',
      state: stateOf(),
      payload: { resume: 1 },
      ok: false,
      reason: 'no_pending',
      message: /no pending interrupt/,
    },
    {
      name: 'refuses a payload without the resume key',
      state: paused(),
      payload: { approve: true },
      ok: false,
      reason: 'invalid',
      message: /must be a JSON object/,
    },
    {
      name: 'refuses an unknown interrupt id',
      state: paused(),
      payload: { resume: { [iid(2)]: 1 } },
      ok: false,
      reason: 'invalid',
      message: new RegExp(`"${iid(2)}".*not pending`),
    },
    {
      name: 'refuses a goto to a node the graph does not have',
      state: paused(),
      payload: { goto: 'nope' },
      ok: false,
      reason: 'invalid',
      message: /unknown node/,
    },
    {
      name: 'refuses a plain value while two interrupts are pending',
      state: paused([
        taskOf('a', 'ta', { interrupt: { id: iid(1), value: 1 } }),
        taskOf('b', 'tb', { interrupt: { id: iid(2), value: 2 } }),
      ]),
      payload: { resume: 'x' },
      ok: false,
      reason: 'invalid',
      message: /2 pending interrupts/,
    },
    {
      name: 'refuses a value while the only pause is a NodeInterrupt',
      state: paused([taskOf('a', 'ta', { nodeInterrupt: { value: 'too big' } })]),
      payload: { resume: 1 },
      ok: false,
      reason: 'invalid',
      message: /NodeInterrupt/,
    },
    {
      name: 'takes a continue at a breakpoint',
      state: stateOf({ status: 'interrupted', pausedAt: 'before', tasks: [taskOf('a', 'ta')] }),
      payload: {},
      ok: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const match = matchPayload(c.state, c.payload);
      assert.equal(match.ok, c.ok, JSON.stringify(match));
      if (!match.ok) {
        assert.equal(match.reason, c.reason);
        assert.match(match.message, c.message!);
      }
    });
  }

  it('names the task whose response schema refused the answer, so the refusal is shown on it', () => {
    const task = taskOf('a', 'ta', {
      interrupt: {
        id: iid(1),
        value: 'q',
        response_schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
    });
    const match = matchPayload(paused([task]), { resume: { ok: 'yes' } });
    assert.equal(match.ok, false);
    assert.ok(!match.ok && match.schemaRefusedBy === task);
  });
});

describe('acceptMatch', () => {
  it('puts an answer on its task and queues nothing else', () => {
    const state = paused();
    acceptMatch(state, matchPayload(state, { resume: 'yes' }), 'signal', { resume: 'yes' }, 'now');
    assert.deepEqual(answerOf(state.tasks[0]!), { value: 'yes' });
    assert.deepEqual(state.commands, []);
  });

  it("queues an answer for a subgraph's interrupt on the task, for its child run", () => {
    const state = paused([
      taskOf('sub', 'ts', {
        child: { workflowId: 'w', interrupts: [{ id: iid(3), value: 'q' }], answers: {}, busy: false },
      }),
    ]);
    acceptMatch(state, matchPayload(state, { resume: 7 }), 'update', { resume: 7 }, 'now');
    assert.deepEqual(state.tasks[0]!.child!.answers, { [iid(3)]: 7 });
  });

  it("queues a command with an update or goto, and takes the call's configurable keys", () => {
    const state = paused();
    const payload = { update: { x: 1 }, configurable: { user: 'ada' } };
    acceptMatch(state, matchPayload(state, payload), 'update', payload, 'now');
    assert.equal(state.commands.length, 1);
    assert.deepEqual(state.commands[0]!.update, { x: 1 });
    assert.deepEqual(state.configurable, { user: 'ada' });
  });

  it('records a refusal (the last 20) and shows a schema refusal on its task', () => {
    const task = taskOf('a', 'ta', { interrupt: { id: iid(1), value: 'q', response_schema: { type: 'number' } } });
    const state = paused([task]);
    for (let i = 0; i < 21; i++)
      acceptMatch(state, matchPayload(state, { resume: 'not a number' }), 'signal', undefined, `t${i}`);
    assert.equal(state.rejected.length, 20);
    assert.equal(state.rejected[0]!.at, 't1');
    assert.equal(task.refused?.name, 'ZodError');
    assert.equal(answerOf(task), undefined);
  });

  it('remembers what a Signal answered, so a resume that came second is told it was just answered', () => {
    const state = paused();
    const signal = { resume: true };
    acceptMatch(state, matchPayload(state, signal), 'signal', signal, '2026-01-01T00:00:00.000Z');
    const late = matchPayload(state, { resume: false });
    assert.ok(!late.ok);
    assert.equal(late.reason, 'no_pending');
    // The Signal's own refusal record keeps the engine's message: only the Update's error says more.
    assert.match(late.message, /has no pending interrupt/);
    assert.deepEqual(late.justAnswered, {
      via: 'signal',
      at: '2026-01-01T00:00:00.000Z',
      stops: 0,
      interrupts: [{ id: iid(1), node: 'a' }],
    });
    const named = matchPayload(state, { resume: { [iid(1)]: false } });
    assert.ok(!named.ok && named.justAnswered?.interrupts[0]?.id === iid(1));
    const message = justAnsweredMessage('t', 'running', late.justAnswered);
    assert.match(
      message,
      new RegExp(
        `Interrupt "${iid(1)}" \\(node "a"\\) of thread "t" was just answered by a resume Signal at 2026-01-01T00:00:00.000Z`,
      ),
    );
    assert.match(
      message,
      /not applied and nothing changed, and the thread runs on with that answer \(status: running\)/,
    );
    // Once the run stopped again, a refusal is about the new stop, not the old answer.
    state.stops++;
    const later = matchPayload(state, { resume: false });
    assert.ok(!later.ok && later.justAnswered === undefined);
  });
});

describe('takeCommands and takeAnswers', () => {
  it('re-runs an answered task with its answer, remembering which interrupt it answers', () => {
    const state = paused();
    acceptMatch(state, matchPayload(state, { resume: 'yes' }), 'signal', undefined, 'now');
    const plan = takeCommands(state, ids);
    takeAnswers(state, plan.toRun);
    const [task] = state.tasks;
    assert.deepEqual(plan.toRun, [task]);
    assert.deepEqual(task!.resume, ['yes']);
    assert.equal(task!.answeredId, iid(1));
    assert.equal(task!.status.kind, 'ready');
  });

  it('keeps the interrupt id on a plain continue, and gives a new one after an update', () => {
    for (const [payload, keeps] of [
      [{}, true],
      [{ update: { x: 1 } }, false],
    ] as const) {
      const state = paused();
      acceptMatch(state, matchPayload(state, payload), 'update', payload, 'now');
      const plan = takeCommands(state, ids);
      assert.deepEqual(
        plan.toRun.map((t) => t.name),
        ['a'],
      );
      assert.equal(state.tasks[0]!.keepInterruptId, keeps ? iid(1) : undefined);
      assert.deepEqual(plan.writes, 'update' in payload ? [payload.update] : []);
    }
  });

  it('adds a task for a goto beside the resumed ones, with a new id', () => {
    const state = paused();
    state.spec = specOf(['a', 'b']);
    acceptMatch(state, matchPayload(state, { goto: 'b' }), 'update', undefined, 'now');
    const plan = takeCommands(state, () => 'fresh');
    assert.deepEqual(
      state.tasks.map((t) => [t.name, t.id]),
      [
        ['a', 'task-a'],
        ['b', 'fresh'],
      ],
    );
    assert.deepEqual(
      plan.toRun.map((t) => t.name),
      ['b', 'a'],
    );
  });

  it("forwards a subgraph's answers to its child run, which counts as running again", () => {
    const child = {
      workflowId: 'w',
      interrupts: [{ id: iid(3), value: 'q' }],
      answers: { [iid(3)]: 'ok' },
      busy: false,
    };
    const state = paused([taskOf('sub', 'ts', { child })]);
    const plan = takeCommands(state, ids);
    assert.deepEqual(
      plan.childCommands.map((c) => c.command),
      [{ resume: { [iid(3)]: 'ok' } }],
    );
    assert.deepEqual(child.interrupts, []);
    assert.equal(child.busy, true);
  });
});

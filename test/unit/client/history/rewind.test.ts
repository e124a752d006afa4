/**
 * Rewinds, read from hand-made histories whose event ids follow Temporal's: where a rewind resets to for an answer
 * sent as an Update or as a Signal, what it undoes, the reason it records, and how the audit trail shows a reset run
 * (no second start, no copied answers, the rewind with who and why, the answers it undid).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditOf, auditOfRun, type AuditEvent, type AuditRunHistory } from '../../../../src/client/history/audit.js';
import { formatRewindReason, readResetReason } from '../../../../src/client/history/rewind-reason.js';
import { rewindPoints, undoneBy } from '../../../../src/client/history/rewind-points.js';

const THREAD = 'thread-1';
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const QUESTION = { question: 'Approve?' };
const t = (ms: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, 0, ms));

/** Builds a run's decoded events with the event ids Temporal would give them (undecoded events still take an id). */
function history() {
  let next = 1;
  const events: AuditEvent[] = [];
  const id = () => String(next++);
  const h = {
    events,
    started(ms = 0, identity = 'alice') {
      events.push({ type: 'started', at: t(ms), eventId: id(), identity, input: { input: { x: 1 } } });
      return h;
    },
    /** A workflow task (scheduled, started, completed); returns its WorkflowTaskCompleted event id. */
    task(ms: number) {
      id(); // WorkflowTaskScheduled
      const startedId = id();
      events.push({ type: 'workflowTaskStarted', at: t(ms), eventId: startedId });
      const completedId = id();
      events.push({ type: 'workflowTaskCompleted', eventId: completedId, startedEventId: startedId });
      return completedId;
    },
    /** A node Activity: scheduled, started, completed (not read by the audit). */
    activity() {
      next += 3;
      return h;
    },
    /** A node Activity that returned an interrupt of `node`. */
    interruptingActivity(node: string) {
      const scheduledEventId = id();
      next += 2;
      events.push({ type: 'nodeInterrupted', node, value: QUESTION, scheduledEventId });
      return h;
    },
    /** The engine-level marker a worker records at the run's first pause. */
    level(level: number) {
      id();
      events.push({ type: 'engineLevel', level });
      return h;
    },
    memo(interrupts: Array<{ id: string; node: string }>, taskEventId: string, ms: number) {
      events.push({
        type: 'memo',
        at: t(ms),
        eventId: id(),
        taskEventId,
        memo: interrupts.length
          ? {
              status: 'interrupted',
              step: 1,
              interrupts: interrupts.map((i) => ({ ...i, value: QUESTION })),
              resumeCommand: null,
            }
          : null,
      });
      return h;
    },
    signal(ms: number, input: unknown, identity = 'bob') {
      events.push({ type: 'signal', at: t(ms), eventId: id(), identity, input });
      return h;
    },
    update(ms: number, input: unknown, identity = 'bob') {
      events.push({ type: 'update', at: t(ms), eventId: id(), identity, name: 'resume', input });
      return h;
    },
    completed() {
      id();
      events.push({ type: 'closed', status: 'completed' });
      return h;
    },
  };
  return h;
}

/** A thread paused at A (published by the task completed at `pausedIn`), answered `false` by an Update. */
function answeredByUpdate() {
  const h = history().started(0);
  h.task(1);
  h.activity();
  const pausedIn = h.task(3);
  h.memo([{ id: A, node: 'review' }], pausedIn, 3);
  const acceptedIn = h.task(10);
  h.update(10, { resume: false });
  h.memo([], acceptedIn, 10);
  h.completed();
  return { run: { runId: 'run-1', events: h.events } as AuditRunHistory, pausedIn, acceptedIn };
}

/** The same pause answered by a Signal that came right after it. */
function answeredBySignal() {
  const h = history().started(0);
  h.task(1);
  h.activity();
  const pausedIn = h.task(3);
  h.memo([{ id: A, node: 'review' }], pausedIn, 3);
  h.signal(10, { resume: false });
  const handledIn = h.task(11);
  h.memo([], handledIn, 11);
  h.completed();
  return { run: { runId: 'run-1', events: h.events } as AuditRunHistory, pausedIn, handledIn };
}

const pointsOf = (run: AuditRunHistory) => rewindPoints(run, auditOfRun(run, THREAD));

describe('where a rewind goes back to', () => {
  it('resets an answer sent as an Update to the workflow task that accepted it: the interrupt keeps its id', () => {
    const { run, acceptedIn } = answeredByUpdate();
    const [pause] = pointsOf(run);
    assert.equal(pause!.id, A);
    assert.equal(pause!.node, 'review');
    assert.deepEqual(pause!.value, QUESTION);
    assert.equal(pause!.resetEventId, acceptedIn);
    assert.equal(pause!.keepsId, true);
    assert.deepEqual(
      [pause!.answer!.identity, pause!.answer!.via, pause!.answer!.value, pause!.pending],
      ['bob', 'update', false, false],
    );
  });

  it('resets an answer sent as a Signal to the task before it, which published the pause: the id is made again', () => {
    const { run, pausedIn } = answeredBySignal();
    const [pause] = pointsOf(run);
    assert.equal(pause!.resetEventId, pausedIn);
    assert.equal(pause!.keepsId, false);
    assert.equal(pause!.answer!.via, 'signal');
  });

  it('keeps the id of a Signal-answered pause from engine level 2, whose ids derive from the task the Activity ran', () => {
    const h = history().started(0);
    h.task(1);
    h.interruptingActivity('review');
    const pausedIn = h.task(3);
    h.level(2);
    h.memo([{ id: A, node: 'review' }], pausedIn, 3);
    h.signal(10, { resume: false });
    h.task(11);
    const [pause] = pointsOf({ runId: 'run-1', events: h.events });
    assert.equal(pause!.resetEventId, pausedIn);
    assert.equal(pause!.keepsId, true);

    // The same history without the marker (a 0.1.0 run): the re-run task draws a new id.
    const level0 = { runId: 'run-1', events: h.events.filter((e) => e.type !== 'engineLevel') };
    assert.equal(pointsOf(level0)[0]!.keepsId, false);
  });

  it('goes back to the last task before a Signal when a task came between the pause and the Signal', () => {
    const h = history().started(0);
    h.activity();
    const pausedIn = h.task(3);
    h.memo([{ id: A, node: 'review' }], pausedIn, 3);
    const between = h.task(5); // e.g. a stream read, or a refused resume
    h.signal(10, { resume: false });
    h.task(11);
    const [pause] = pointsOf({ runId: 'run-1', events: h.events });
    assert.equal(pause!.resetEventId, between);
    assert.equal(pause!.keepsId, true);
  });

  it('has no reset point for a pending pause, and lists what an answered one would undo', () => {
    const h = history().started(0);
    h.activity();
    const first = h.task(3);
    h.memo([{ id: A, node: 'ask1' }], first, 3);
    const acceptedIn = h.task(10);
    h.update(10, { resume: 'one' });
    h.activity();
    const second = h.task(12);
    h.memo([{ id: B, node: 'ask2' }], second, 12);
    const run = { runId: 'run-1', events: h.events };
    const entries = auditOfRun(run, THREAD);
    const [ask1, ask2] = rewindPoints(run, entries);
    assert.deepEqual([ask1!.id, ask1!.resetEventId, ask1!.pending], [A, acceptedIn, false]);
    assert.deepEqual([ask2!.id, ask2!.resetEventId, ask2!.pending], [B, undefined, true]);
    assert.deepEqual(
      undoneBy(entries, acceptedIn).map((e) => e.interrupts.map((i) => i.value)),
      [['one']],
    );
  });
});

describe("a rewind's reason", () => {
  it('names the pause and who asked, and reads back even with quotes in the names', () => {
    const reason = formatRewindReason({
      rewoundTo: { id: A, node: 'review "final"' },
      identity: 'alice@ops: "night"',
      reason: 'wrong amount: 12 not 120',
    });
    assert.equal(
      reason,
      `durable-graph rewind to interrupt ${A} (node "review \\"final\\"") by "alice@ops: \\"night\\"": wrong amount: 12 not 120`,
    );
    assert.deepEqual(readResetReason(reason), {
      identity: 'alice@ops: "night"',
      rewoundTo: { id: A, node: 'review "final"' },
      reason: 'wrong amount: 12 not 120',
    });
  });

  it("reads the stock CLI's `<user>: <reason>`, with our words inside it or not, and any other reason as words", () => {
    assert.deepEqual(readResetReason('root: wrong answer'), { identity: 'root', reason: 'wrong answer' });
    const ours = formatRewindReason({ rewoundTo: { id: A, node: 'review' }, identity: 'planner', reason: '' });
    assert.deepEqual(readResetReason(`ops: ${ours}`), {
      identity: 'ops',
      rewoundTo: { id: A, node: 'review' },
      reason: '',
    });
    assert.deepEqual(readResetReason('went back'), { identity: '', reason: 'went back' });
  });
});

describe('the audit trail of a rewound thread', () => {
  it('shows one start, the answer undone, and the rewind with who, why and where to, instead of a second start', () => {
    const baseHistory = answeredByUpdate();
    const boundary = Number(baseHistory.acceptedIn) - 2;
    const copied = baseHistory.run.events.filter(
      (e) => e.type !== 'closed' && (!('eventId' in e) || Number(e.eventId) <= boundary + 1),
    );
    const next: AuditRunHistory = { runId: 'run-2', events: [...copied] };
    // Event ids of the new run continue where the copy stops: the reset event takes the reset point's id.
    const resetAt = Number(baseHistory.acceptedIn);
    next.events.push({
      type: 'reset',
      at: t(40),
      eventId: String(resetAt),
      baseRunId: 'run-1',
      newRunId: 'run-2',
      boundary,
      ...readResetReason(
        formatRewindReason({ rewoundTo: { id: A, node: 'review' }, identity: 'carol', reason: 'wrong answer' }),
      ),
    });
    next.events.push(
      { type: 'workflowTaskStarted', at: t(41), eventId: String(resetAt + 2) },
      { type: 'workflowTaskCompleted', eventId: String(resetAt + 3), startedEventId: String(resetAt + 2) },
      {
        type: 'update',
        at: t(50),
        eventId: String(resetAt + 7),
        identity: 'dave',
        name: 'resume',
        input: { resume: true },
      },
    );

    const entries = auditOf([next, baseHistory.run], THREAD);
    assert.deepEqual(
      entries.map((e) => [e.runId, e.action, e.identity]),
      [
        ['run-1', 'start', 'alice'],
        ['run-1', 'resume', 'bob'],
        ['run-2', 'rewind', 'carol'],
        ['run-2', 'resume', 'dave'],
      ],
    );
    const [, undone, rewind, again] = entries;
    assert.deepEqual(undone!.undoneBy, { runId: 'run-2', eventId: String(resetAt) });
    assert.equal(rewind!.at, t(40).toISOString());
    assert.equal(rewind!.reason, 'wrong answer');
    assert.deepEqual(rewind!.rewoundTo, { id: A, node: 'review' });
    assert.deepEqual(rewind!.interrupts, [{ id: A, node: 'review' }], 'pending again, as the copied memo says');
    assert.deepEqual(rewind!.undone, [{ id: A, node: 'review', value: false }]);
    assert.deepEqual(again!.interrupts, [{ id: A, node: 'review', value: true }]);
    assert.equal(again!.undoneBy, undefined);
  });

  it("drops the base run's termination by the reset, keeps copies when the base run is gone, and names a stock reset's user", () => {
    const baseHistory = answeredBySignal();
    const boundary = Number(baseHistory.pausedIn) - 2;
    const copied = baseHistory.run.events.filter(
      (e) => e.type !== 'closed' && e.type !== 'memo' && (!('eventId' in e) || Number(e.eventId) <= boundary + 1),
    );
    // Reset while the base run was open: Temporal terminated it.
    const base = {
      runId: 'run-1',
      events: [
        ...baseHistory.run.events.filter((e) => e.type !== 'closed'),
        { type: 'terminated', at: t(30), eventId: '99', identity: 'history-resetter', reason: 'root: oops' },
        { type: 'closed', status: 'terminated' },
      ] as AuditEvent[],
    };
    const resetAt = Number(baseHistory.pausedIn);
    const next: AuditRunHistory = {
      runId: 'run-2',
      events: [
        ...copied,
        {
          type: 'reset',
          at: t(30),
          eventId: String(resetAt),
          baseRunId: 'run-1',
          newRunId: 'run-2',
          boundary,
          ...readResetReason('root: oops'),
        },
        { type: 'workflowTaskStarted', at: t(31), eventId: String(resetAt + 2) },
        { type: 'workflowTaskCompleted', eventId: String(resetAt + 3), startedEventId: String(resetAt + 2) },
        {
          type: 'memo',
          at: t(31),
          eventId: String(resetAt + 4),
          taskEventId: String(resetAt + 3),
          memo: {
            status: 'interrupted',
            step: 1,
            interrupts: [{ id: B, node: 'review', value: QUESTION }],
            resumeCommand: null,
          },
        },
      ],
    };
    const entries = auditOf([base, next], THREAD);
    assert.deepEqual(
      entries.map((e) => [e.runId, e.action, e.identity]),
      [
        ['run-1', 'start', 'alice'],
        ['run-1', 'resume', 'bob'],
        ['run-2', 'rewind', 'root'],
      ],
    );
    const rewind = entries[2]!;
    assert.equal(rewind.reason, 'oops');
    assert.deepEqual(
      rewind.rewoundTo,
      { id: A, node: 'review' },
      'a stock reset goes back to the first answer it undid',
    );
    assert.deepEqual(rewind.interrupts, [{ id: B, node: 'review' }], 're-opened under a new id');

    // The base run removed (retention): the reset run's copied start is the only record of it, so it stays.
    const alone = auditOf([next], THREAD);
    assert.deepEqual(
      alone.map((e) => [e.action, e.identity]),
      [
        ['start', 'alice'],
        ['rewind', 'root'],
      ],
    );
  });
});

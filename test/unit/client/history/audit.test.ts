/**
 * The audit trail's pure part: entries rebuilt from hand-made event lists, with no server. How pending
 * interrupts are followed between memo upserts, and how a Signal's verdict is recomputed or taken from the
 * engine's own record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditOf, auditOfRun, type AuditEvent } from '../../../../src/client/history/audit.js';
import type { ThreadMemo } from '../../../../src/protocol/memo.js';
import type { RejectedResume, ThreadState } from '../../../../src/protocol/payloads.js';

const THREAD = 'thread-1';
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const t = (ms: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, 0, ms));
let nextId = 1;
const id = () => String(nextId++);

const started = (ms = 0, identity = 'alice'): AuditEvent => ({
  type: 'started',
  at: t(ms),
  eventId: id(),
  identity,
  input: { input: { x: 1 } },
  spec: { nodes: [{ name: 'review' }, { name: 'send' }] } as never,
});
const memo = (
  interrupts: Array<{ id: string; node: string; value?: unknown }>,
  status: ThreadMemo['status'] = interrupts.length ? 'interrupted' : 'running',
): AuditEvent => ({
  type: 'memo',
  memo: {
    status,
    step: 1,
    interrupts: interrupts.map((i) => ({ value: null, ...i })),
    resumeCommand: null,
  },
});
/** A workflow task that started at `ms` and completed. */
const task = (ms: number): AuditEvent[] => [
  { type: 'workflowTaskStarted', at: t(ms) },
  { type: 'workflowTaskCompleted' },
];
const signal = (ms: number, input: unknown, identity = 'bob'): AuditEvent => ({
  type: 'signal',
  at: t(ms),
  eventId: id(),
  identity,
  input,
});
const update = (ms: number, name: 'resume' | 'updateState', input: unknown, identity = 'alice'): AuditEvent => ({
  type: 'update',
  at: t(ms),
  eventId: id(),
  identity,
  name,
  input,
});
const state = (rejectedResumes: RejectedResume[]): AuditEvent => ({
  type: 'state',
  state: { tasks: [], metadata: { step: 1 }, rejectedResumes } as unknown as ThreadState,
});
const rejectedAt = (ms: number, reason = 'engine says no'): RejectedResume => ({
  at: t(ms).toISOString(),
  via: 'signal',
  reason,
});

const audit = (events: AuditEvent[]) => auditOfRun({ runId: 'run-1', events }, THREAD);

describe('audit trail of one run', () => {
  it('lists the start, and each resume with the interrupt it answered (ids and nodes from the memo)', () => {
    const entries = audit([
      started(0),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      ...task(5),
      update(6, 'resume', { resume: 'ok' }),
      memo([]),
      ...task(7),
      memo([{ id: B, node: 'send' }]),
    ]);
    assert.deepEqual(
      entries.map((e) => [e.action, e.via, e.identity, e.outcome, e.outcomeFrom]),
      [
        ['start', undefined, 'alice', 'applied', 'history'],
        ['resume', 'update', 'alice', 'applied', 'history'],
      ],
    );
    assert.deepEqual(entries[0]!.input, { input: { x: 1 } }, 'the spec is not part of what the person sent');
    assert.deepEqual(entries[1]!.interrupts, [{ id: A, node: 'review', value: 'ok' }]);
    assert.deepEqual(entries[1]!.pending, [{ id: A, node: 'review' }]);
    assert.equal(entries[1]!.at, t(6).toISOString());
  });

  it("recomputes a signal the engine has not recorded a verdict for, with the engine's own message", () => {
    const entries = audit([
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      signal(10, { resume: { [B]: 1 } }),
      ...task(11),
    ]);
    const s = entries[1]!;
    assert.equal(s.outcome, 'rejected');
    assert.equal(s.outcomeFrom, 'recomputed');
    assert.deepEqual(s.interrupts, []);
    assert.deepEqual(s.pending, [{ id: A, node: 'review' }]);
    assert.match(
      s.reason!,
      new RegExp(`names interrupt id\\(s\\) "${B}" that are not pending. Pending: "${A}" \\(node "review"\\)`),
    );
  });

  it("takes the verdict from a later ThreadState's rejected list, matched by the handling task's time", () => {
    const events = [
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      signal(10, { resume: 'looks fine to me' }), // recomputed: applied; but the engine refused it (say, a schema this view did not know)
      ...task(12),
      signal(20, { resume: 'second try' }),
      ...task(22),
      memo([]),
      state([rejectedAt(12, 'does not match its response schema')]),
    ];
    const [, first, second] = audit(events);
    assert.deepEqual(
      [first!.outcome, first!.outcomeFrom, first!.reason, first!.interrupts],
      ['rejected', 'engine', 'does not match its response schema', []],
    );
    assert.deepEqual([second!.outcome, second!.outcomeFrom], ['applied', 'engine']);
    // The recomputed view had already counted A as answered by the first signal; the engine record corrects the verdicts.
  });

  it('keeps the recomputed verdict when the engine list may have dropped the entry (20 kept)', () => {
    const full = Array.from({ length: 20 }, (_, i) => rejectedAt(100 + i));
    const entries = audit([
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      signal(10, { resume: 1 }),
      ...task(12),
      state(full),
    ]);
    assert.deepEqual([entries[1]!.outcome, entries[1]!.outcomeFrom], ['applied', 'recomputed']);
  });

  it('judges signals handled in one task in order: a second answer to the same interrupt finds it answered', () => {
    const entries = audit([
      started(),
      ...task(1),
      memo([
        { id: A, node: 'review' },
        { id: B, node: 'send' },
      ]),
      signal(10, { resume: { [A]: 1 } }, 'bob'),
      signal(11, { resume: { [A]: 2 } }, 'carol'),
      ...task(12),
      state([rejectedAt(12, 'engine: A is not pending')]),
    ]);
    const [, bob, carol] = entries;
    assert.deepEqual([bob!.outcome, bob!.interrupts], ['applied', [{ id: A, node: 'review', value: 1 }]]);
    assert.deepEqual(
      [carol!.outcome, carol!.reason, carol!.outcomeFrom],
      ['rejected', 'engine: A is not pending', 'engine'],
    );
    assert.deepEqual(carol!.pending, [{ id: B, node: 'send' }]);
  });

  it('refuses a second plain answer to the only interrupt, as the engine does: it is not taken for a breakpoint', () => {
    const events = [
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      signal(10, { resume: true }, 'bob'),
      signal(11, { resume: false }, 'carol'),
      ...task(12),
    ];
    const [, bob, carol] = audit(events);
    assert.deepEqual([bob!.outcome, bob!.interrupts], ['applied', [{ id: A, node: 'review', value: true }]]);
    assert.deepEqual([carol!.outcome, carol!.outcomeFrom], ['rejected', 'recomputed']);
    assert.match(carol!.reason!, /has no pending interrupt/);
    const confirmed = audit([...events, state([rejectedAt(12, 'engine: nothing pending')])]);
    assert.deepEqual(
      confirmed.slice(1).map((e) => [e.outcome, e.outcomeFrom, e.reason]),
      [
        ['applied', 'engine', undefined],
        ['rejected', 'engine', 'engine: nothing pending'],
      ],
    );
  });

  it('refuses a Signal after an Update answered the only interrupt', () => {
    const [, answered, late] = audit([
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      ...task(9),
      update(10, 'resume', { resume: true }),
      signal(11, { resume: false }),
      ...task(12),
    ]);
    assert.deepEqual([answered!.outcome, answered!.interrupts], ['applied', [{ id: A, node: 'review', value: true }]]);
    assert.equal(late!.outcome, 'rejected');
  });

  it('checks answers against a response schema the node recorded, as the engine does', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const entries = audit([
      started(),
      { type: 'nodeInterrupted', node: 'review', value: { q: 1 }, responseSchema: schema, scheduledEventId: '0' },
      ...task(1),
      memo([{ id: A, node: 'review', value: { q: 1 } }]),
      signal(10, { resume: { ok: 'yes' } }),
      ...task(11),
      signal(20, { resume: { ok: true } }),
      ...task(21),
    ]);
    assert.equal(entries[1]!.outcome, 'rejected');
    assert.match(
      entries[1]!.reason!,
      new RegExp(
        `Resume for interrupt "${A}" \\(node "review", thread "${THREAD}"\\) does not match its response schema: field "ok": expected boolean, got "yes"\\. Sent: `,
      ),
    );
    assert.equal(entries[2]!.outcome, 'applied');
  });

  it('says a signal no worker has handled yet is unprocessed, and one a run never handled too', () => {
    const waiting = audit([started(), ...task(1), memo([{ id: A, node: 'review' }]), signal(10, { resume: 1 })]);
    assert.deepEqual([waiting[1]!.outcome, waiting[1]!.interrupts], ['unprocessed', []]);
    assert.match(waiting[1]!.reason!, /no worker has handled it yet/);
    const ended = audit([
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      signal(10, { resume: 1 }),
      { type: 'terminated', at: t(20), eventId: id(), identity: 'ops', reason: 'cleanup' },
      { type: 'closed', status: 'terminated' },
    ]);
    assert.match(ended[1]!.reason!, /the run ended \(terminated\) before a worker handled it/);
  });

  it('lists updateState (asNode completes that paused node), terminations with the interrupts they abandoned, and signals with no pause', () => {
    const entries = audit([
      started(),
      ...task(1),
      memo([
        { id: A, node: 'review' },
        { id: B, node: 'send' },
      ]),
      ...task(5),
      update(6, 'updateState', { values: { x: 2 } }),
      update(7, 'updateState', { values: { x: 3 }, asNode: 'send' }),
      memo([{ id: A, node: 'review' }]),
      { type: 'terminated', at: t(9), eventId: id(), identity: 'ops', reason: 'abandoned' },
      { type: 'closed', status: 'terminated' },
    ]);
    assert.deepEqual(
      entries.map((e) => [
        e.action,
        e.identity,
        e.interrupts.map((i) => `${i.id.slice(0, 1)}:${i.node}`),
        e.reason ?? '',
      ]),
      [
        ['start', 'alice', [], ''],
        ['updateState', 'alice', [], ''],
        ['updateState', 'alice', ['b:send'], ''],
        ['terminate', 'ops', ['a:review'], 'abandoned'],
      ],
    );
    const idle = audit([started(), signal(3, { resume: true }), ...task(4)]);
    assert.equal(idle[1]!.outcome, 'rejected');
    assert.match(idle[1]!.reason!, /has no pending interrupt/);
  });

  it('reads a removed memo (once nothing is pending) as nothing pending: a late answer is rejected', () => {
    const removed: AuditEvent = { type: 'memo', memo: null };
    const entries = audit([
      started(),
      ...task(1),
      memo([{ id: A, node: 'review' }]),
      ...task(5),
      update(6, 'resume', { resume: 'ok' }),
      removed,
      signal(8, { resume: 'again' }),
      ...task(9),
    ]);
    assert.deepEqual(entries[1]!.interrupts, [{ id: A, node: 'review', value: 'ok' }]);
    const late = entries[2]!;
    assert.equal(late.outcome, 'rejected');
    assert.deepEqual(late.pending, []);
    assert.match(late.reason!, /has no pending interrupt/);
    // A memo still listing an interrupt after a partial resume keeps it answerable.
    const partial = audit([
      started(),
      ...task(1),
      memo([
        { id: A, node: 'review' },
        { id: B, node: 'send' },
      ]),
      ...task(5),
      update(6, 'resume', { resume: { [A]: 1 } }),
      memo([{ id: B, node: 'send' }], 'running'),
      signal(8, { resume: 2 }),
      ...task(9),
    ]);
    assert.equal(partial[2]!.outcome, 'applied');
    assert.deepEqual(partial[2]!.interrupts, [{ id: B, node: 'send', value: 2 }]);
  });

  it("checks a goto against the graph's nodes, and a breakpoint pause accepts a plain continue", () => {
    const entries = audit([
      started(),
      ...task(1),
      {
        type: 'memo',
        memo: {
          status: 'interrupted',
          step: 1,
          interrupts: [],
          resumeCommand: null,
          breakpoint: { at: 'before', nodes: ['send'] },
        },
      },
      signal(10, { goto: ['nowhere'] }),
      ...task(11),
      signal(20, {}),
      ...task(21),
    ]);
    assert.equal(entries[1]!.outcome, 'rejected');
    assert.match(entries[1]!.reason!, /unknown node\(s\) "nowhere"/);
    assert.equal(entries[2]!.outcome, 'applied');
  });

  describe('of a graph compiled with publishPauses: false (no memo)', () => {
    const quietStart = (ms = 0): AuditEvent => ({
      type: 'started',
      at: t(ms),
      eventId: id(),
      identity: 'alice',
      input: { input: {} },
      spec: { nodes: [{ name: 'review' }, { name: 'send' }], publishPauses: false } as never,
    });
    /** The ThreadState an Update returned at a stop: paused with these interrupts, or ended. */
    const stopped = (
      interrupts: Array<{ id: string; node: string }>,
      rejectedResumes: RejectedResume[] = [],
    ): AuditEvent => ({
      type: 'state',
      state: {
        status: interrupts.length ? 'interrupted' : 'completed',
        tasks: interrupts.map((i) => ({ id: `task-${i.node}`, name: i.node, interrupts: [{ id: i.id, value: null }] })),
        metadata: { step: 1 },
        rejectedResumes,
      } as unknown as ThreadState,
    });

    it('learns what is pending from the ThreadStates the Updates returned', () => {
      const entries = audit([
        quietStart(),
        ...task(1),
        stopped([{ id: A, node: 'review' }]),
        ...task(5),
        update(6, 'resume', { resume: 'ok' }),
        ...task(7),
        stopped([{ id: B, node: 'send' }]),
        signal(9, { resume: 'go' }),
        ...task(10),
      ]);
      assert.deepEqual(
        entries.map((e) => [e.action, e.via, e.outcome, e.outcomeFrom]),
        [
          ['start', undefined, 'applied', 'history'],
          ['resume', 'update', 'applied', 'history'],
          ['resume', 'signal', 'applied', 'recomputed'],
        ],
      );
      assert.deepEqual(entries[1]!.interrupts, [{ id: A, node: 'review', value: 'ok' }]);
      assert.deepEqual(entries[2]!.pending, [{ id: B, node: 'send' }]);
      assert.deepEqual(entries[2]!.interrupts, [{ id: B, node: 'send', value: 'go' }]);
    });

    it("says a signal is unknown when no Update reported the pause, until the engine's own record decides", () => {
      const open = audit([quietStart(), ...task(1), signal(9, { resume: 'go' }), ...task(10)]);
      assert.equal(open[1]!.outcome, 'unknown');
      assert.equal(open[1]!.pending, undefined, 'what was pending is not claimed');
      assert.match(open[1]!.reason!, /publishPauses: false/);
      const ended = audit([quietStart(), ...task(1), signal(9, { resume: 'go' }), ...task(10), stopped([])]);
      assert.deepEqual([ended[1]!.outcome, ended[1]!.outcomeFrom], ['applied', 'engine']);
      const refused = audit([
        quietStart(),
        ...task(1),
        signal(9, { resume: 'go' }),
        ...task(10),
        stopped([], [rejectedAt(10, 'engine: nothing pending')]),
      ]);
      assert.deepEqual([refused[1]!.outcome, refused[1]!.reason], ['rejected', 'engine: nothing pending']);
    });

    it('forgets what was pending when a timer fires (an interrupt deadline may have answered it)', () => {
      const entries = audit([
        quietStart(),
        ...task(1),
        stopped([{ id: A, node: 'review' }]),
        { type: 'timerFired' },
        ...task(5),
        signal(9, { resume: 'late' }),
        ...task(10),
      ]);
      assert.equal(entries[1]!.outcome, 'unknown');
      assert.equal(entries[1]!.outcomeFrom, 'none');
    });

    it("takes the engine's verdict for several unknown signals handled in one task", () => {
      const applied = audit([
        quietStart(),
        ...task(1),
        signal(8, { resume: { [A]: 1 } }),
        signal(9, { resume: 2 }),
        ...task(10),
        stopped([]),
      ]);
      assert.deepEqual(
        applied.slice(1).map((e) => [e.outcome, e.outcomeFrom]),
        [
          ['applied', 'engine'],
          ['applied', 'engine'],
        ],
      );
      assert.deepEqual(applied[1]!.interrupts, [{ id: A, node: '?', value: 1 }]);
      const one = audit([
        quietStart(),
        ...task(1),
        signal(8, { resume: 1 }),
        signal(9, { resume: 2 }),
        ...task(10),
        stopped([], [rejectedAt(10, 'engine: answered already')]),
      ]);
      assert.deepEqual(
        one.slice(1).map((e) => e.outcome),
        ['unknown', 'unknown'],
        'which of the two was refused is not known',
      );
    });

    it('forgets what was pending once an applied action lets the run go on', () => {
      const entries = audit([
        quietStart(),
        ...task(1),
        stopped([{ id: A, node: 'review' }]),
        signal(5, { resume: 'ok' }),
        ...task(6),
        signal(9, { resume: 'again' }),
        ...task(10),
      ]);
      assert.equal(entries[1]!.outcome, 'applied');
      assert.equal(entries[2]!.outcome, 'unknown', 'the run may have paused again without a record');
    });
  });

  it('orders several runs by start time', () => {
    const later = { runId: 'run-2', events: [started(1000, 'bob')] };
    const earlier = { runId: 'run-1', events: [started(0, 'alice')] };
    assert.deepEqual(
      auditOf([later, earlier], THREAD).map((e) => [e.runId, e.identity]),
      [
        ['run-1', 'alice'],
        ['run-2', 'bob'],
      ],
    );
  });
});

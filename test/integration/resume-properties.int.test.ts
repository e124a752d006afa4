/**
 * Property-based test of the resume path against the real dev server: arbitrary resume bodies (any JSON, unicode,
 * null, numbers, `{ id: value }` maps with right, stale, unknown and look-alike ids, payloads of the wrong shape),
 * sent by the `resume` Signal (the raw payload, as `temporal workflow signal` sends it) and by the Update
 * (`invoke(new Command({ resume }))`), one at a time or several at once, to threads with one or several pending
 * interrupts (parallel nodes, and several `interrupt()` calls in one node). A model of the documented rules
 * (docs/guide.md "Several pending interrupts", "What a resume carries") predicts each single resume; racing ones are
 * checked against the order the audit trail reports. Always: a resume never answers the wrong interrupt, never
 * answers one twice, never loses a pending one, and a refused one is a typed error (Update) or recorded as rejected
 * (Signal).
 *
 * Reproduce a failure with the seed and path fast-check prints: DG_PROPERTY_SEED=<seed> DG_PROPERTY_PATH=<path>.
 * DG_PROPERTY_RUNS sets the number of runs (default 12, each with several threads at once); DG_PROPERTY_SHRINK=1
 * shrinks a failure (slow: every attempt talks to the server).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import type { AuditEntry } from '../../src/client.js';
import {
  Command,
  END,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  isDurableGraphError,
  withReducer,
} from '../../src/index.js';
import type { StateSnapshot } from '../../src/client.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

const NODES = ['a', 'b', 'c'] as const;
type NodeName = (typeof NODES)[number];
type Snapshot = StateSnapshot<{ plan: Record<string, number>; answers: Array<{ node: string; values: unknown[] }> }>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What the runs exercised, printed at the end: the outcome of each resume by how it was sent and what it was. */
const tally = new Map<string, number>();
const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

/** Node bodies started, `<thread> <node>` → count: the external record of how often each node ran. */
const bodies = new Map<string, number>();

/** Each node asks `plan[node]` questions in a row; its interrupt payload says which one, so the test can tell them apart. */
function asker(node: NodeName) {
  return (s: { plan: Record<string, number> }, config: { configurable: { thread_id: string } }) => {
    const key = `${config.configurable.thread_id} ${node}`;
    bodies.set(key, (bodies.get(key) ?? 0) + 1);
    const values: unknown[] = [];
    for (let k = 0; k < (s.plan[node] ?? 0); k++) values.push(interrupt({ node, k }));
    return { answers: [{ node, values }] };
  };
}

const graph = new StateGraph(
  z.object({
    plan: z.record(z.string(), z.number()),
    answers: withReducer(
      z.array(z.object({ node: z.string(), values: z.array(z.unknown()) })),
      appendReducer,
      () => [],
    ),
  }),
)
  .addNode('a', asker('a'))
  .addNode('b', asker('b'))
  .addNode('c', asker('c'))
  .addEdge(START, 'a')
  .addEdge(START, 'b')
  .addEdge(START, 'c')
  .addEdge('a', END)
  .addEdge('b', END)
  .addEdge('c', END)
  .compile({ name: 'resume_properties' });

// ---- What is generated ------------------------------------------------------------------------------------------

/** Object keys: any string, plus the ones that trip up naive code. */
const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'resume', 'id', '') },
);
const jsonArb: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.constantFrom(0, false, '', 'yes', '✓ oui — 是的 🎉', '\u0000', '\ud800'),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;
const hexId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });

/**
 * A resume body, resolved against the interrupts pending when it is sent: a bare value; a map from some pending ids
 * (picked by position) to values, maybe with an unknown id, an id answered before, an id in capitals (not an id:
 * the map is then a plain object value) or a key that is not an id (the same); or, by Signal only, a payload that is
 * not `{"resume": …}` at all.
 */
type Body =
  | { kind: 'bare'; value: Json }
  | {
      kind: 'map';
      picks: number[];
      values: Json[];
      extra: 'none' | 'unknown' | 'stale' | 'capitals' | 'plain key';
      unknownId: string;
    }
  | { kind: 'malformed'; payload: Json; shape: 'no resume' | 'extra key' | 'not an object' };
interface Action {
  via: 'signal' | 'update';
  body: Body;
}

const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bare' as const), value: jsonArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('map' as const),
      picks: fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }),
      values: fc.array(jsonArb, { minLength: 3, maxLength: 3 }),
      extra: fc.constantFrom('none', 'none', 'none', 'unknown', 'stale', 'capitals', 'plain key'),
      unknownId: hexId,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('malformed' as const),
      payload: jsonArb,
      shape: fc.constantFrom('no resume', 'extra key', 'not an object'),
    }),
  },
);
const actionArb: fc.Arbitrary<Action> = fc.record({ via: fc.constantFrom('signal', 'update'), body: bodyArb });
/** Mostly one resume at a time (predicted exactly), sometimes two or three at once (racing). */
const batchArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(actionArb).map((a): Action[] => a) },
  { weight: 1, arbitrary: fc.array(actionArb, { minLength: 2, maxLength: 3 }) },
);
const planArb = fc.record({ a: fc.nat(2), b: fc.nat(2), c: fc.nat(2) }).filter((p) => p.a + p.b + p.c > 0);
const threadArb = fc.record({ plan: planArb, batches: fc.array(batchArb, { minLength: 1, maxLength: 5 }) });
type ThreadCase = { plan: Record<NodeName, number>; batches: Action[][] };

// ---- The model: the documented rules, written apart from the engine ------------------------------------------------

interface Pending {
  id: string;
  node: NodeName;
  k: number;
}
type Expected =
  { ok: true; answers: Array<{ id: string; value: unknown }> } | { ok: false; reason: 'invalid' | 'no_pending' };

const ID = /^[0-9a-f]{32}$/;

/** The `{ <interruptId>: value }` form: an object whose keys are all interrupt ids (32 lowercase hex digits). */
function isIdMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => ID.test(k));
}

/** What the docs say happens to `payload` when `pending` are the unanswered interrupts. */
function expectedOutcome(payload: unknown, pending: readonly Pending[]): Expected {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { ok: false, reason: 'invalid' };
  if (Object.keys(payload).some((k) => k !== 'resume') || !('resume' in payload))
    return { ok: false, reason: 'invalid' };
  if (pending.length === 0) return { ok: false, reason: 'no_pending' };
  const value = (payload as { resume: unknown }).resume;
  if (value === null || value === undefined) return { ok: false, reason: 'invalid' };
  if (isIdMap(value)) {
    const keys = Object.keys(value);
    if (keys.some((k) => !pending.some((p) => p.id === k))) return { ok: false, reason: 'invalid' };
    return { ok: true, answers: keys.map((id) => ({ id, value: value[id] })) };
  }
  if (pending.length > 1) return { ok: false, reason: 'invalid' };
  return { ok: true, answers: [{ id: pending[0]!.id, value }] };
}

/** Turns a generated body into the payload sent, given what is pending and what was answered before. */
function payloadOf(body: Body, pending: readonly Pending[], answeredIds: readonly string[]): unknown {
  if (body.kind === 'bare') return { resume: body.value };
  if (body.kind === 'malformed') {
    if (body.shape === 'no resume') return { answer: body.payload };
    if (body.shape === 'extra key') return { resume: body.payload, note: 'extra' };
    return typeof body.payload === 'object' && body.payload !== null && !Array.isArray(body.payload)
      ? [body.payload]
      : body.payload;
  }
  const map: Record<string, unknown> = {};
  const ids = [...new Set(body.picks.map((p) => pending[p % Math.max(1, pending.length)]?.id))].filter(
    (id): id is string => id !== undefined,
  );
  ids.forEach((id, i) => (map[id] = body.values[i]));
  if (body.extra === 'unknown' || ids.length === 0) map[body.unknownId] = body.values[2];
  if (body.extra === 'stale') map[answeredIds[0] ?? body.unknownId] = body.values[2];
  if (body.extra === 'plain key') map.note = body.values[2];
  if (body.extra === 'capitals' && ids[0]) {
    delete map[ids[0]];
    map[ids[0].toUpperCase()] = body.values[0];
  }
  return { resume: map };
}

// ---- Driving one thread ----------------------------------------------------------------------------------------------

const config = (id: string) => ({ configurable: { thread_id: id } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The interrupts a state shows, by the (node, k) their payloads name. */
function pendingIn(interrupts: ReadonlyArray<{ id: string; value: unknown }>): Pending[] {
  return interrupts
    .map((i) => ({ id: i.id, ...(i.value as { node: NodeName; k: number }) }))
    .sort((x, y) => x.node.localeCompare(y.node));
}

const resumes = (entries: AuditEntry[]) => entries.filter((e) => e.action === 'resume');

/** A thread under test: its model (what each node was answered, what is pending) and its checks. */
class ThreadRun {
  readonly id = threadId('props');
  /** node → the answers it got, in order: the k-th is the k-th interrupt()'s value. */
  readonly answered: Record<NodeName, unknown[]> = { a: [], b: [], c: [] };
  readonly answeredIds: string[] = [];
  pending: Pending[] = [];
  signalsSent = 0;
  rejectedSignals = 0;
  auditSeen = 0;
  readonly log: string[] = [];

  constructor(
    readonly env: GraphTestEnv,
    readonly plan: Record<NodeName, number>,
  ) {}

  get app() {
    return this.env.client.graph(graph);
  }

  fail(message: string): never {
    assert.fail(`${message}\nthread ${this.id}, plan ${JSON.stringify(this.plan)}\n${this.log.join('\n')}`);
  }

  /** The unanswered interrupts as the model has them: for each node, its next question. */
  modelPending(): Array<{ node: NodeName; k: number }> {
    return NODES.filter((n) => this.answered[n].length < this.plan[n]).map((node) => ({
      node,
      k: this.answered[node].length,
    }));
  }

  async start(): Promise<void> {
    const first = await this.app.invoke({ plan: this.plan }, config(this.id));
    this.pending = pendingIn(first.__interrupt__ ?? []);
    this.check(this.pending, 'after the start');
  }

  /** Checks that `shown` is exactly the model's unanswered interrupts, and that a still-pending one kept its id. */
  check(shown: Pending[], when: string): void {
    const expected = this.modelPending();
    const got = shown.map(({ node, k }) => ({ node, k }));
    if (JSON.stringify(got) !== JSON.stringify(expected))
      this.fail(`${when}: pending ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }

  /** Sends one batch of resumes at once, waits until the engine handled them all, and checks the outcome. */
  async send(batch: Action[]): Promise<void> {
    const before = this.pending;
    const sent = batch.map((action) => {
      const via = action.body.kind === 'malformed' ? 'signal' : action.via;
      return { via, payload: payloadOf(action.body, before, this.answeredIds) };
    });
    this.log.push(`send ${JSON.stringify(sent)} with pending ${JSON.stringify(before)}`);
    const results = await Promise.all(
      sent.map(async ({ via, payload }) => {
        if (via === 'signal') {
          await this.env.client.temporal.workflow.getHandle(this.id).signal('resume', payload);
          this.signalsSent++;
          return { via, payload, outcome: 'sent' as const };
        }
        const resume = (payload as { resume: unknown }).resume;
        try {
          const result = await this.app.invoke(new Command({ resume }), config(this.id));
          return { via, payload, outcome: 'applied' as const, result };
        } catch (error) {
          if (!isDurableGraphError(error)) this.fail(`the Update was refused with an untyped error: ${String(error)}`);
          return { via, payload, outcome: 'refused' as const, code: error.code, message: error.message };
        }
      }),
    );
    const { entries, state } = await this.settle();
    this.log.push(`results ${JSON.stringify(results.map((r) => ('code' in r ? r.code : r.outcome)))}`);

    // The engine's verdicts, in the order it handled them: drive the model with them.
    const fresh = resumes(entries).slice(this.auditSeen);
    this.auditSeen = resumes(entries).length;
    const appliedUpdates = results.filter((r) => r.outcome === 'applied').length;
    if (fresh.filter((e) => e.via === 'update').length !== appliedUpdates)
      this.fail(`the audit lists ${fresh.filter((e) => e.via === 'update').length} Updates, ${appliedUpdates} applied`);
    if (fresh.filter((e) => e.via === 'signal').length !== sent.filter((s) => s.via === 'signal').length)
      this.fail(`the audit lists a different number of Signals than were sent: ${JSON.stringify(fresh)}`);
    for (const entry of fresh) {
      if (entry.outcome === 'rejected') {
        if (entry.via !== 'signal' || !entry.reason) this.fail(`rejected without a reason: ${JSON.stringify(entry)}`);
        this.rejectedSignals++;
        continue;
      }
      if (entry.outcome !== 'applied') this.fail(`a resume left ${entry.outcome}: ${JSON.stringify(entry)}`);
      const match = sent.find((s) => s.via === entry.via && isDeepStrictEqual(s.payload, entry.input));
      if (!match) this.fail(`the audit shows an input that was not sent: ${JSON.stringify(entry)}`);
      const resume = (match.payload as { resume: unknown }).resume;
      for (const answer of entry.interrupts) {
        if (this.answeredIds.includes(answer.id)) this.fail(`interrupt ${answer.id} answered twice`);
        // The model's next unanswered question of that node; when it was pending before the batch, it had this id.
        const node = answer.node as NodeName;
        const k = this.answered[node]?.length;
        if (k === undefined || k >= this.plan[node])
          this.fail(`an answer went to node ${node}, which had no question left: ${JSON.stringify(entry)}`);
        const known = before.find((p) => p.node === node && p.k === k);
        if ((known && known.id !== answer.id) || (!known && before.some((p) => p.id === answer.id)))
          this.fail(`an answer went to the wrong interrupt: ${JSON.stringify(entry)}`);
        const meant = isIdMap(resume) ? resume[answer.id] : resume;
        if (!isDeepStrictEqual(answer.value, meant)) this.fail(`interrupt ${answer.id} got another resume's value`);
        this.answered[node].push(meant);
        this.answeredIds.push(answer.id);
      }
    }

    // One resume at a time: the model predicts it exactly.
    if (sent.length === 1) {
      const [one] = sent;
      const result = results[0]!;
      const expected = expectedOutcome(one!.payload, before);
      if (one!.via === 'update') {
        if (expected.ok !== (result.outcome === 'applied'))
          this.fail(`the Update was ${result.outcome}, expected ${JSON.stringify(expected)}`);
        if (!expected.ok) {
          const code = expected.reason === 'invalid' ? 'INVALID_RESUME' : 'NO_PENDING_INTERRUPT';
          if (!('code' in result) || result.code !== code)
            this.fail(`refused with ${'code' in result ? result.code : '?'}, expected ${code}`);
        }
      } else {
        const verdict = fresh.find((e) => e.via === 'signal')?.outcome;
        if (verdict !== (expected.ok ? 'applied' : 'rejected'))
          this.fail(`the Signal was ${verdict}, expected ${JSON.stringify(expected)}`);
      }
      if (expected.ok) {
        const answeredNow = fresh.flatMap((e) => e.interrupts.map((i) => ({ id: i.id, value: i.value })));
        if (!isDeepStrictEqual(answeredNow, expected.answers))
          this.fail(`answered ${JSON.stringify(answeredNow)}, expected ${JSON.stringify(expected.answers)}`);
      }
    }
    const kinds = batch.map((a) => (a.body.kind === 'map' ? `map+${a.body.extra}` : a.body.kind));
    for (const [i, r] of results.entries())
      if (r.via === 'update') count(`${sent.length > 1 ? 'racing ' : ''}Update ${kinds[i]} ${r.outcome}`);
    for (const e of fresh.filter((f) => f.via === 'signal'))
      count(`${sent.length > 1 ? 'racing ' : ''}Signal ${e.outcome}${sent.length === 1 ? ` ${kinds[0]}` : ''}`);
    count(`batches of ${sent.length} with ${before.length} pending`);
    for (const r of results)
      if (r.outcome === 'refused' && r.code !== 'INVALID_RESUME' && r.code !== 'NO_PENDING_INTERRUPT')
        this.fail(`an Update was refused with ${r.code}: ${r.message}`);

    // Nothing lost: what is pending now is exactly what the model has unanswered, and a still-pending interrupt kept its id.
    const now = pendingIn(state.tasks.flatMap((t) => t.interrupts));
    this.check(now, 'after the resumes');
    for (const p of now) {
      const old = before.find((b) => b.node === p.node && b.k === p.k);
      if (old && old.id !== p.id) this.fail(`pending interrupt ${p.node}#${p.k} changed id from ${old.id} to ${p.id}`);
    }
    const waiting = state.tasks.filter((t) => t.interrupts.length > 0).map((t) => t.name);
    if (JSON.stringify(waiting.sort()) !== JSON.stringify(now.map((p) => p.node)))
      this.fail(`getState().tasks waiting ${JSON.stringify(waiting)}, interrupts ${JSON.stringify(now)}`);
    if (state.status !== (now.length ? 'interrupted' : 'completed')) this.fail(`status ${state.status}`);
    if (state.rejectedResumes.filter((r) => r.via === 'signal').length !== Math.min(20, this.rejectedSignals))
      this.fail(`rejectedResumes ${JSON.stringify(state.rejectedResumes)}; ${this.rejectedSignals} Signals refused`);
    this.pending = now;
  }

  /** Waits until every Signal sent was handled and no node runs; returns the audit trail and the state then. */
  async settle(): Promise<{ entries: AuditEntry[]; state: Snapshot }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const entries = await this.app.getAuditTrail(config(this.id));
      const signals = resumes(entries).filter((e) => e.via === 'signal');
      if (signals.length === this.signalsSent && signals.every((e) => e.outcome !== 'unprocessed')) {
        const state = await this.app.getState(config(this.id));
        if (state.status !== 'running') return { entries, state };
      }
      if (Date.now() > deadline) this.fail('the resumes were not handled within 60 s');
      await sleep(50);
    }
  }

  /** The run's history: how many workflow tasks failed or timed out, and the event types in order (for a message). */
  async history(): Promise<{ failedTasks: number; summary: string }> {
    const events = (await this.env.client.temporal.workflow.getHandle(this.id).fetchHistory()).events ?? [];
    return {
      failedTasks: events.filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)
        .length,
      summary: events.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')) ?? '?').join(' '),
    };
  }

  /** Answers what is left (by id, one Update), then checks the end: values, node bodies, and a resume refused. */
  async finish(): Promise<void> {
    if (this.pending.length > 0)
      await this.send([
        {
          via: 'update',
          body: { kind: 'map', picks: [0, 1, 2], values: ['x', 'y', 'z'], extra: 'none', unknownId: '' },
        },
      ]);
    if (this.pending.length > 0) await this.finish();
    const state = await this.app.getState(config(this.id));
    if (state.status !== 'completed') this.fail(`ended ${state.status}`);
    for (const node of NODES) {
      const got = state.values.answers.filter((a) => a.node === node);
      if (got.length !== 1 || !isDeepStrictEqual(got[0]!.values, this.answered[node]))
        this.fail(`node ${node} ended with ${JSON.stringify(got)}, expected ${JSON.stringify(this.answered[node])}`);
      const runs = bodies.get(`${this.id} ${node}`) ?? 0;
      const extra = runs - (this.plan[node] + 1);
      if (extra === 0) continue;
      // A node runs at least once per answer: a workflow task that failed (a Signal that came in while the worker
      // completed it: UnhandledCommand) or timed out runs the re-run's local Activity again. Any other extra run,
      // or a missing one, is a resume applied twice or lost.
      const { failedTasks, summary } = await this.history();
      if (extra < 0 || extra > failedTasks)
        this.fail(`node ${node} ran ${runs} times for ${this.plan[node]} answers; history: ${summary}`);
      count('node re-run again after a failed workflow task');
    }
    await assert.rejects(
      this.app.invoke(new Command({ resume: 'late' }), config(this.id)),
      (error: unknown) => isDurableGraphError(error) && error.code === 'NO_PENDING_INTERRUPT',
    );
  }
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

const runs = Number(process.env.DG_PROPERTY_RUNS ?? 12);
const seed = process.env.DG_PROPERTY_SEED === undefined ? undefined : Number(process.env.DG_PROPERTY_SEED);
const path = process.env.DG_PROPERTY_PATH;

describe('resume path, property-based', () => {
  it('never answers the wrong interrupt, never answers one twice, never loses a pending one, and refuses with a typed error or a recorded rejection', async () => {
    await withGraphs([graph], async (env) => {
      await fc.assert(
        fc.asyncProperty(fc.array(threadArb, { minLength: 3, maxLength: 3 }), async (threads: ThreadCase[]) => {
          // Every thread runs to its end before a failure is reported, so none is left talking to a closed connection.
          const outcomes = await Promise.allSettled(
            threads.map(async ({ plan, batches }) => {
              const run = new ThreadRun(env, plan);
              await run.start();
              for (const batch of batches) {
                if (run.pending.length === 0) break;
                await run.send(batch);
              }
              await run.finish();
            }),
          );
          for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
        }),
        {
          numRuns: runs,
          ...(seed === undefined ? {} : { seed }),
          ...(path === undefined ? {} : { path }),
          endOnFailure: process.env.DG_PROPERTY_SHRINK !== '1',
        },
      );
      console.log(
        `resume outcomes over ${runs} runs: ${[...tally]
          .sort()
          .map(([what, n]) => `${what} × ${n}`)
          .join('; ')}`,
      );
    });
  });
});

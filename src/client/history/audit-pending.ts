/**
 * What was pending at each point of a run's history, as the audit trail follows it event by event, and the
 * engine's verdict on a command against it, recomputed with the engine's own matching code. The memo upserts
 * say what is pending; a graph compiled with `publishPauses: false` writes none, so there only the ThreadStates
 * its Updates returned say, and between them what is pending is not known.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ThreadMemo } from '../../protocol/memo.js';
import type { ThreadState } from '../../protocol/payloads.js';
import { takesResumeValue } from '../../protocol/pending.js';
import { checkResponse, schemaRefusal } from '../../protocol/response-schema.js';
import { matchCommand, type CommandMatch } from '../../protocol/resume.js';
import type { AuditEvent } from './audit-events.js';
import { gotoOf } from './command-payload.js';

interface Pending {
  id: string;
  node: string;
  schema?: Record<string, unknown>;
}

/** The interrupts pending in one run, updated as its events are read in history order. */
export class PendingInterrupts {
  readonly #threadId: string;
  /** The graph's node names, once a spec named them. */
  #nodes: string[] | undefined;
  #pending: Pending[] = [];
  #pausedAt: 'interrupt' | 'before' | 'after' | undefined;
  /**
   * False while what is pending cannot be read from history: in a run of a graph compiled with `publishPauses:
   * false` (no memo), from its start and after each applied action, until an Update's ThreadState says.
   */
  #known = true;
  #published = true;
  /** Pauses with a response schema: the memo does not carry the schema an answer is checked against. */
  readonly #raised: Array<Extract<AuditEvent, { type: 'nodeInterrupted' }>> = [];

  constructor(threadId: string) {
    this.#threadId = threadId;
  }

  /** Whether history tells what is pending at this point. */
  get known(): boolean {
    return this.#known;
  }

  /** The graph's nodes and whether it publishes its pauses (without a memo, what is pending is unknown for now). */
  learnGraph(nodes: string[], publishPauses: boolean): void {
    this.#nodes = nodes;
    if (!publishPauses) {
      this.#published = false;
      this.#forget();
    }
  }

  noteRaised(event: Extract<AuditEvent, { type: 'nodeInterrupted' }>): void {
    this.#raised.push(event);
  }

  /** A memo upsert lists what is pending; `null` (memo removed) means nothing is. */
  readMemo(memo: ThreadMemo | null): void {
    if (!memo) {
      this.#pending = [];
      this.#pausedAt = undefined;
      return;
    }
    this.#pending = (Array.isArray(memo.interrupts) ? memo.interrupts : []).map((i) => {
      const schema = [...this.#raised]
        .reverse()
        .find((r) => r.node === i.node && isDeepStrictEqual(r.value, i.value))?.responseSchema;
      return schema ? { id: i.id, node: i.node, schema } : { id: i.id, node: i.node };
    });
    this.#pausedAt = memo.status !== 'interrupted' ? undefined : (memo.breakpoint?.at ?? 'interrupt');
  }

  /** A ThreadState the run recorded: with no memo, the stop it describes is the record of what is pending. */
  readState(state: ThreadState): void {
    if (this.#published) return;
    if (state.status === 'running') {
      this.#forget();
      return;
    }
    this.#pending =
      state.status !== 'interrupted'
        ? []
        : state.tasks.flatMap((t) =>
            (Array.isArray(t.interrupts) ? t.interrupts : [])
              .filter(takesResumeValue)
              .map((i) =>
                i.response_schema ? { id: i.id, node: t.name, schema: i.response_schema } : { id: i.id, node: t.name },
              ),
          );
    this.#pausedAt = state.status === 'interrupted' ? (state.pausedAt ?? 'interrupt') : undefined;
    this.#known = true;
  }

  /** The run went on (an applied command, a timer that may have answered): with no memo, its next pause is not in history. */
  runWentOn(): void {
    if (!this.#published) this.#forget();
  }

  /** What is pending, as an audit entry lists it. */
  view(): Array<{ id: string; node: string }> {
    return this.#pending.map((p) => ({ id: p.id, node: p.node }));
  }

  nodeOf(id: string): string {
    return this.#pending.find((p) => p.id === id)?.node ?? '?';
  }

  /** The first pending interrupt of a node (the one an updateState with `asNode` completes). */
  firstOfNode(node: string): { id: string; node: string } | undefined {
    return this.#pending.find((p) => p.node === node);
  }

  /**
   * The engine marks answered interrupts at once: a second command in the same workflow task no longer sees them,
   * and once all are answered the run is no longer paused (a further resume has nothing to answer, as in
   * `matchPayload`: it is refused, not taken for a breakpoint's).
   */
  answer(ids: readonly string[]): void {
    const before = this.#pending.length;
    this.#pending = this.#pending.filter((p) => !ids.includes(p.id));
    if (before > 0 && this.#pending.length === 0 && this.#pausedAt === 'interrupt') this.#pausedAt = undefined;
  }

  /** The engine's verdict on a command, recomputed with its own matching code. */
  judge(input: unknown): CommandMatch {
    const pending = this.#pending;
    const pausedAt = this.#pausedAt;
    const goto = gotoOf(input);
    const match = matchCommand(
      input,
      { pending, ...(pausedAt ? { pausedAt } : {}), nodes: this.#nodes ?? goto },
      this.#threadId,
    );
    if (!match.ok) return match;
    for (const a of match.answers) {
      const target = pending.find((p) => p.id === a.id);
      const problem = target?.schema ? checkResponse(target.schema, a.value) : undefined;
      if (problem) {
        return {
          ok: false,
          reason: 'invalid',
          message: schemaRefusal(a.id, target!.node, this.#threadId, problem),
        };
      }
    }
    return match;
  }

  #forget(): void {
    this.#known = false;
    this.#pending = [];
    this.#pausedAt = undefined;
  }
}

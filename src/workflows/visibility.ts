/**
 * Makes a thread's pauses visible outside the worker: search attributes (for `temporal workflow list`) and a memo
 * (for `temporal workflow describe`, readable with no worker running), plus the Web UI's current details.
 * Determinism: writes only from workflow state; called at the same points on replay.
 */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { MEMO_KEY, type ThreadMemo } from '../protocol/memo.js';
import { pendingNodesSearchAttribute, statusSearchAttribute } from '../protocol/search-attributes.js';
import { takesResumeValue } from '../protocol/pending.js';
import { renderDetails, resumeCommand } from './details.js';
import { type StatusView } from './snapshot.js';

/**
 * Writes status, pending nodes, memo and current details; skips what has not changed since the last call.
 *
 * Both describe pauses and nothing else. The memo is written while something is pending (a pause, or interrupts
 * still open after a partial resume) and removed once nothing is. The search attributes are written at a pause, and
 * afterwards only to take back what they claim (`interrupted`, or pending nodes): a run that never paused writes
 * none, and the end of a resumed run does not rewrite `running` to `completed` / `failed` (the Workflow's own
 * ExecutionStatus says that). A paused-then-resumed run makes 4 status writes.
 */
export class StatusPublisher {
  /** The JSON last written, so unchanged values are not written again; '' = never written. */
  #lastSearch = '';
  #lastMemo = '';
  /** The search attributes last written say `interrupted` or name pending nodes. */
  #searchClaimsPause = false;

  publish(view: StatusView): void {
    if (view.status === 'interrupted' || view.status === 'error') {
      this.#writeSearch(view);
      this.#writeMemo(view);
    } else {
      if (this.#searchClaimsPause) this.#writeSearch(view);
      if (view.pending.length) this.#writeMemo(view);
      else this.#removeMemo();
    }
    setCurrentDetails(renderDetails(view));
  }

  #writeSearch(view: StatusView): void {
    const nodes = [...new Set([...view.pending.map((p) => p.node), ...(view.breakpoint?.nodes ?? [])])];
    const search = JSON.stringify([view.status, nodes]);
    if (search === this.#lastSearch) return;
    this.#lastSearch = search;
    this.#searchClaimsPause = view.status === 'interrupted' || view.status === 'error' || nodes.length > 0;
    upsertSearchAttributes([
      { key: statusSearchAttribute, value: view.status },
      { key: pendingNodesSearchAttribute, value: nodes },
    ]);
  }

  #writeMemo(view: StatusView): void {
    const memo: ThreadMemo = {
      status: view.status,
      step: view.step,
      interrupts: view.pending
        .filter(takesResumeValue)
        .map((p) => ({ id: p.id, node: p.node, value: p.value, ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}) })),
      resumeCommand:
        view.pending.length || view.breakpoint || view.failures
          ? resumeCommand(view.threadId, view.pending.filter(takesResumeValue))
          : null,
    };
    const held = view.pending.filter((p) => !takesResumeValue(p));
    if (held.length) memo.nodeInterrupts = held.map((p) => ({ node: p.node, value: p.value }));
    if (view.breakpoint) memo.breakpoint = view.breakpoint;
    if (view.failures)
      memo.failures = view.failures.map(({ node, error, interrupt }) => ({
        node,
        error,
        ...(interrupt ? { interrupt } : {}),
      }));
    const memoText = JSON.stringify(memo);
    if (memoText === this.#lastMemo) return;
    this.#lastMemo = memoText;
    upsertMemo({ [MEMO_KEY]: memo });
  }

  /** Removes the memo key, if one was written (the SDK sends an undefined value as a removal). */
  #removeMemo(): void {
    if (this.#lastMemo === '' || this.#lastMemo === REMOVED) return;
    this.#lastMemo = REMOVED;
    upsertMemo({ [MEMO_KEY]: undefined });
  }
}

/** #lastMemo after the memo key was removed (never the JSON of a memo). */
const REMOVED = 'removed';

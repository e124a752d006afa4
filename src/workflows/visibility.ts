/**
 * Makes a thread's pauses visible outside the worker: search attributes (for `temporal workflow list`) and a memo
 * (for `temporal workflow describe`, readable with no worker running), plus the Web UI's current details.
 * Determinism: writes only from workflow state; called at the same points on replay; what is written beyond
 * 0.1.0's writes is gated on the run's engine level (patches.ts).
 */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { MEMO_KEY, type ThreadMemo } from '../protocol/memo.js';
import type { PublishedVisibility } from '../protocol/payloads.js';
import { pendingNodesSearchAttribute, statusSearchAttribute } from '../protocol/search-attributes.js';
import { takesResumeValue } from '../protocol/pending.js';
import { renderDetails, resumeCommand } from './details.js';
import { EngineChange } from './patches.js';
import { type StatusView } from './snapshot.js';

/**
 * Writes status, pending nodes, memo and current details; skips what has not changed since the last call.
 *
 * The memo describes pauses and nothing else: it is written while something is pending (a pause, or interrupts
 * still open after a partial resume) and removed once nothing is. The search attributes are written at a pause, and
 * afterwards to take back what they claim: a run that never paused writes none. At engine level `truthfulPauses` a
 * run that had paused also writes its final status when it ends (`completed`, `failed`), so a closed thread does not
 * keep saying `running` (a paused-then-resumed run makes 5 status writes); a level-0 run rewrites the status at its
 * end only while it still claims a pause (4 writes).
 */
export class StatusPublisher {
  /** The JSON last written, so unchanged values are not written again; '' = never written. */
  #lastSearch = '';
  #lastMemo = '';
  /** The pending nodes last written, as JSON; '' = never written. */
  #lastNodes = '';
  /** The search attributes last written say `interrupted` or name pending nodes. */
  #searchClaimsPause = false;

  /** What was last written, for the next run when this one continues as new (level 6). */
  carried(): PublishedVisibility {
    return {
      search: this.#lastSearch,
      nodes: this.#lastNodes,
      memo: this.#lastMemo,
      claimsPause: this.#searchClaimsPause,
    };
  }

  /**
   * Starts from what the previous run of the thread wrote (a continue-as-new: Temporal gives this run the same memo
   * and search attributes): a pause it published is taken back here, and its final status written, as if one run.
   */
  takeOver(published: PublishedVisibility): void {
    this.#lastSearch = published.search;
    this.#lastNodes = published.nodes;
    this.#lastMemo = published.memo;
    this.#searchClaimsPause = published.claimsPause;
  }

  publish(view: StatusView): void {
    if (view.status === 'interrupted' || view.status === 'error') {
      this.#writeSearch(view);
      this.#writeMemo(view);
    } else {
      if (this.#searchClaimsPause || this.#tellsEnd(view)) this.#writeSearch(view);
      if (view.pending.length) this.#writeMemo(view);
      else this.#removeMemo();
    }
    setCurrentDetails(renderDetails(view));
  }

  /** A run that wrote a status before (it paused) and now ends: its final status is written (level ≥ 1). */
  #tellsEnd(view: StatusView): boolean {
    if (view.status === 'running' || this.#lastSearch === '') return false;
    return view.level >= EngineChange.truthfulPauses;
  }

  #writeSearch(view: StatusView): void {
    const nodes = [...new Set([...view.pending.map((p) => p.node), ...(view.breakpoint?.nodes ?? [])])];
    const search = JSON.stringify([view.status, nodes]);
    if (search === this.#lastSearch) return;
    const nodesText = JSON.stringify(nodes);
    // Level 1 writes only the attribute that changed (the final status, after a resume emptied the nodes).
    const onlyStatus = view.level >= EngineChange.truthfulPauses && this.#lastNodes === nodesText;
    this.#lastSearch = search;
    this.#lastNodes = nodesText;
    this.#searchClaimsPause = view.status === 'interrupted' || view.status === 'error' || nodes.length > 0;
    upsertSearchAttributes([
      { key: statusSearchAttribute, value: view.status },
      ...(onlyStatus ? [] : [{ key: pendingNodesSearchAttribute, value: nodes }]),
    ]);
  }

  #writeMemo(view: StatusView): void {
    const truthful = view.level >= EngineChange.truthfulPauses;
    const command =
      view.pending.length || view.breakpoint || view.failures
        ? resumeCommand(view.threadId, view.pending.filter(takesResumeValue), view.level)
        : null;
    const memo: ThreadMemo = {
      status: view.status,
      step: view.step,
      // Level 1: the command first, so the Web UI's Memo tab shows it above the (long) response schemas.
      ...(truthful ? { resumeCommand: command } : {}),
      interrupts: view.pending.filter(takesResumeValue).map((p) => ({
        id: p.id,
        node: p.node,
        value: p.value,
        ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}),
        // So `durable-graph show` can print what is expected with no worker running.
        ...(truthful && p.response_schema ? { response_schema: p.response_schema } : {}),
      })),
      resumeCommand: command,
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

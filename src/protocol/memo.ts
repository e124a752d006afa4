/**
 * The memo a paused thread carries, readable with `temporal workflow describe` even when no worker runs.
 */
import type { ThreadStatus } from './search-attributes.js';

/** Memo key of {@link ThreadMemo}. */
export const MEMO_KEY = 'durableGraph';

/**
 * What the engine writes to the memo when a thread pauses. The memo describes pauses only: it
 * is removed once nothing is pending any more (after a partial resume it lists the interrupts still open, with
 * status `running`); older threads rewrote it on every resume and at the end.
 */
export interface ThreadMemo {
  status: ThreadStatus;
  step: number;
  interrupts: Array<{ id: string; node: string; value: unknown; expiresAt?: string }>;
  /** The `temporal workflow signal ...` command that resumes the thread, or null when nothing is pending. */
  resumeCommand: string | null;
  /** Pauses raised by NodeInterrupt: no id, no resume value (`{}` runs the node again). Absent when none. */
  nodeInterrupts?: Array<{ node: string; value: unknown }>;
  /** Present while paused at a static breakpoint. */
  breakpoint?: { at: 'before' | 'after'; nodes: string[] };
  /**
   * Present while parked on failed nodes (status `error`): each node, its error, and the interrupt it ran with the
   * answer to (also listed in `interrupts`, to be answered again). `{}` as the resume Signal runs them again.
   */
  failures?: Array<{
    node: string;
    error: { name: string; message: string };
    interrupt?: { id: string; answer: unknown };
  }>;
}

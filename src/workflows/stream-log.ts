/**
 * The chunk log behind `stream()`: LangGraph's "values", "updates" and "custom" chunks of one run, in order.
 * Determinism: every entry is derived from what the engine already records (Activity results, merged
 * state, stops, accepted resume Updates), so replay on any worker rebuilds the same log at the same
 * offsets. Recording issues no commands; only a reader's own `pollStream` Update adds history events.
 */
import { type ApplicationFailure, condition, currentUpdateInfo, setHandler, workflowInfo } from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { failure } from '../protocol/failures.js';
import type { InterruptInfo, RunInput } from '../protocol/payloads.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import {
  INTERRUPT_KEY,
  STREAM_MODES,
  pollStreamUpdate,
  readStreamQuery,
  type StreamChunk,
  type StreamReadInput,
  type StreamReadResult,
  type SubgraphStream,
} from '../protocol/stream.js';

/** `continued`: the run continued as new here; the log goes on in the next run, at the same offsets. */
type Entry = StreamChunk | SubgraphStream | { stop: ThreadStatus } | { continued: true };

/** What a finished task adds to the stream (a NodeResult is one): its custom chunks and, unless it paused, its update. */
type TaskOutput =
  | { kind: 'update'; update: Record<string, unknown> | null; custom?: unknown[] }
  | { kind: 'interrupt'; custom?: unknown[] };

/** A read returns at most about this many characters of JSON (Update results go into history; 2 MiB is the hard limit). */
const MAX_READ_CHARS = 512 * 1024;

/** The chunk log of one run. The engine calls the recording methods; readers use the Update and Query it installs. */
export class StreamLog {
  /** Entries from absolute offset `#base` on; older segments are dropped (see {@link stopped}). */
  #entries: Entry[] = [];
  #base = 0;
  /** Absolute offset where the segment being recorded began. */
  #segmentStart = 0;
  /** Where each accepted resume Update's chunks begin, by Update Id. */
  readonly #resumeAt = new Map<string, number>();
  /**
   * The offsets `pollStream` reads are waiting at (one per waiting read). A stop never drops the entries from the
   * lowest one on: the read runs after its condition held, and the run may have stopped again by then.
   */
  readonly #waitingAt: number[] = [];
  /** Set when a paused run resumes: LangGraph re-emits the state in "values" mode before anything else. */
  #resumedValues = false;
  #stopped = false;
  readonly #values: () => Record<string, unknown>;

  /** @param values reads the engine's current state (merged values) when a "values" chunk is recorded. */
  constructor(values: () => Record<string, unknown>) {
    this.#values = values;
  }

  /** Registers the `pollStream` Update and the `readStream` Query; `counted` is told of each read Update. */
  install(counted: () => void = () => undefined): void {
    setHandler(
      pollStreamUpdate,
      async (input) => {
        counted();
        const from = this.#start(input);
        this.#waitingAt.push(from);
        try {
          await condition(() => this.#hasChunkFor(from, input));
        } finally {
          this.#waitingAt.splice(this.#waitingAt.indexOf(from), 1);
        }
        return this.#read(from, input);
      },
      {
        // A rejected Update writes nothing to history: refuse reads that could only wait or fail.
        validator: (input) => void this.#start(input, true),
        description:
          'Long-poll the stream of chunks (values, updates, custom) from an offset; returns at a pause or the end of the run.',
      },
    );
    setHandler(readStreamQuery, (input) => this.#read(this.#start(input), input), {
      description: 'Read the stream of chunks from an offset without waiting (for a run that has closed).',
    });
  }

  /** The run's input was merged: LangGraph emits the state when the input wrote something, or the run began with a Command. */
  started(input: Record<string, unknown> | null, command: RunInput['command']): void {
    if (command !== undefined || (input !== null && Object.keys(input).length > 0))
      this.#push({ mode: 'values', chunk: this.#values() });
  }

  /** A node's Activity (or a subgraph node's child run) returned: its custom chunks, then its update (an interrupted node has none). */
  taskFinished(node: string, result: TaskOutput): void {
    this.#flushResume();
    for (const chunk of result.custom ?? []) this.#push({ mode: 'custom', chunk });
    // LangGraph shows a node that wrote nothing as `{ node: {} }`.
    if (result.kind === 'update') this.#push({ mode: 'updates', chunk: { [node]: result.update ?? {} } });
  }

  /**
   * A subgraph node's child run started (`from` 0) or was resumed (`from` = where its log stood when it paused):
   * its chunks come next for readers that follow subgraphs (they read them from the child's own log).
   */
  subgraphRunning(subgraph: SubgraphStream['subgraph']): void {
    this.#flushResume();
    this.#push({ subgraph });
  }

  /**
   * A run that continues an earlier one as new: its log begins where that run's ended, at offset `offset`; `paused`
   * when that run was stopped there (a read at the end then waits for a resume only when it says so).
   */
  startAt(offset: number, paused: boolean): void {
    this.#base = offset;
    this.#segmentStart = offset;
    this.#stopped = paused;
  }

  /**
   * The run continues as new: the last entry of this run's log, which ends every read (waiting ones too, so their
   * Updates finish before the run closes). Readers go on from the same offset in the next run, which this returns.
   */
  continued(): number {
    this.#flushResume();
    const offset = this.#end();
    this.#push({ continued: true });
    return offset;
  }

  /** The offset the next entry gets (a child reports it to its parent when it pauses: its resume streams from there). */
  get end(): number {
    return this.#end();
  }

  /** A superstep's writes were merged; LangGraph emits the state only when some node wrote something. */
  stepFinished(wrote: boolean): void {
    this.#flushResume();
    if (wrote) this.#push({ mode: 'values', chunk: this.#values() });
  }

  /** The paused run goes on: the next chunk is the (possibly edited) state it resumes from. */
  resumed(): void {
    this.#stopped = false;
    this.#resumedValues = true;
  }

  /** Called by the `resume` Update handler: remembers where the chunks of this resume begin. */
  noteResume(): void {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) this.#resumeAt.set(id, this.#end());
  }

  /**
   * The run paused, completed or failed: a pause adds LangGraph's `{ __interrupt__ }` chunk ("updates", then
   * "values"), and every stop ends the segment a reader follows. At a pause, segments before the one just ended are
   * dropped, so the log holds at most two segments (a reader may still be reading the one that just ended), and
   * never what a waiting read still has to return. The run's last stop drops nothing: the log no longer grows, and
   * a run can pause and end in one Workflow Task (an interrupt raised again after its deadline passed), before the
   * reader of the segment that paused has read it.
   */
  stopped(
    status: ThreadStatus,
    interrupts: ReadonlyArray<Omit<InterruptInfo, 'id'> & { id?: string; node?: string; expiresAt?: string }>,
  ): void {
    this.#flushResume();
    if (status === 'interrupted') {
      // The same list invoke() returns as __interrupt__ (LangGraph's fields: no node, no deadline).
      const chunk = { [INTERRUPT_KEY]: interrupts.map(({ node: _node, expiresAt: _expiresAt, ...info }) => info) };
      this.#push({ mode: 'updates', chunk });
      this.#push({ mode: 'values', chunk });
    }
    this.#push({ stop: status });
    this.#stopped = true;
    const ended = this.#segmentStart;
    this.#segmentStart = this.#end();
    if (status === 'interrupted') this.#dropBefore(Math.min(ended, ...this.#waitingAt));
  }

  /** Drops the entries before absolute offset `offset`, and the resume offsets that pointed into them. */
  #dropBefore(offset: number): void {
    this.#entries = this.#entries.slice(offset - this.#base);
    this.#base = offset;
    for (const [id, at] of this.#resumeAt) if (at < this.#base) this.#resumeAt.delete(id);
  }

  #flushResume(): void {
    if (!this.#resumedValues) return;
    this.#resumedValues = false;
    this.#push({ mode: 'values', chunk: this.#values() });
  }

  #push(entry: Entry): void {
    this.#entries.push(entry);
  }

  #end(): number {
    return this.#base + this.#entries.length;
  }

  /** The absolute offset a read starts at; throws (rejecting the Update) when there is nothing it could read. */
  #start(input: StreamReadInput, validating = false): number {
    const modes = input?.modes;
    if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => !STREAM_MODES.includes(m))) {
      throw streamFailure(
        `Stream modes must be a non-empty list of ${STREAM_MODES.map((m) => `"${m}"`).join(', ')}; got ${JSON.stringify(modes)}.`,
      );
    }
    let from = input.from;
    if (input.afterResume !== undefined) {
      from = this.#resumeAt.get(input.afterResume);
      if (from === undefined)
        throw streamFailure(
          `No accepted resume Update "${input.afterResume}" in this run's stream (it was refused, or its segment was dropped). Read the thread's state with getState(config) instead.`,
        );
    }
    if (typeof from !== 'number' || !Number.isInteger(from) || from < this.#base || from > this.#end()) {
      throw streamFailure(
        `Stream offset ${JSON.stringify(from)} is outside the log this run keeps (${this.#base}..${this.#end()}); a stream can resume from its last offset only while the run has not paused twice past it. Read the thread's state with getState(config) instead.`,
      );
    }
    // Waiting at the end of a stopped run would last until someone else resumes it: refuse instead.
    if (validating && input.afterResume === undefined && !input.resuming && from === this.#end() && this.#stopped) {
      throw streamFailure(
        `Nothing to stream from offset ${from}: the run is stopped there. Resume it with stream(new Command({ resume })).`,
      );
    }
    return from;
  }

  #hasChunkFor(from: number, input: StreamReadInput): boolean {
    for (let i = from - this.#base; i < this.#entries.length; i++) {
      if (this.#wanted(this.#entries[i]!, input)) return true;
    }
    return false;
  }

  /** A stop ends every read; chunks of the asked modes and, when asked, subgraph entries are returned. */
  #wanted(entry: Entry, input: StreamReadInput): boolean {
    return (
      'stop' in entry ||
      'continued' in entry ||
      ('subgraph' in entry ? input.subgraphs === true : input.modes.includes(entry.mode))
    );
  }

  /** Chunks of `modes` from `from` up to the first stop (included), cut to about {@link MAX_READ_CHARS}. */
  #read(from: number, input: StreamReadInput): StreamReadResult {
    const chunks: StreamReadResult['chunks'] = [];
    let size = 0;
    let i = from - this.#base;
    for (; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if ('stop' in entry)
        return { chunks, next: this.#base + i + 1, stopped: entry.stop, more: i + 1 < this.#entries.length };
      // The next run's log starts at this offset (the marker itself is not carried).
      if ('continued' in entry) return { chunks, next: this.#base + i, more: false, continuedAsNew: true };
      if (!this.#wanted(entry, input)) continue;
      if ('subgraph' in entry) {
        chunks.push(entry);
        continue;
      }
      size += JSON.stringify(entry.chunk ?? null).length;
      if (size > MAX_READ_CHARS && chunks.length > 0) break;
      chunks.push(entry);
    }
    return { chunks, next: this.#base + i, more: i < this.#entries.length };
  }
}

/** A refused read, naming the thread whose stream it was. */
function streamFailure(message: string): ApplicationFailure {
  const threadId = workflowInfo().workflowId;
  return failure(ErrorCode.STREAM_READ, `Reading the stream of thread "${threadId}": ${message}`, { threadId });
}

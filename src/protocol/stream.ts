/**
 * The streaming contract between the engine and the client: the chunk log a run keeps in memory, the
 * `pollStream` Update that long-polls it while the run is open, and the `readStream` Query that reads it
 * once the run has closed. Plain JSON only.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { InterruptInfo } from './payloads.js';
import type { ThreadStatus } from './search-attributes.js';

/** LangGraph's stream modes that durable-graph supports. */
export const StreamMode = {
  /** The whole state after each step that wrote something (and the paused state again when a run resumes). */
  VALUES: 'values',
  /** `{ [node]: update }` per finished node. */
  UPDATES: 'updates',
  /** What nodes passed to `config.writer(chunk)`. */
  CUSTOM: 'custom',
} as const;
export type StreamMode = (typeof StreamMode)[keyof typeof StreamMode];

export const STREAM_MODES: readonly StreamMode[] = Object.values(StreamMode);

/** LangGraph's key for the chunk that announces a pause. */
export const INTERRUPT_KEY = '__interrupt__';

/** The chunk LangGraph emits in "updates" and "values" mode when a run pauses. */
export interface InterruptChunk {
  __interrupt__: InterruptInfo[];
}

/** One chunk of the log, as the consumer receives it. */
export interface StreamChunk {
  mode: StreamMode;
  chunk: unknown;
}

/**
 * Where a subgraph node's child run streams: the reader reads the child's own log from `from` to its next
 * stop (a pause or its end), then goes on with this log. Recorded when the child run starts (`from` 0) and each
 * time the parent resumes it (`from` = the offset the child reported when it paused).
 */
export interface SubgraphStream {
  subgraph: {
    /** LangGraph's namespace element for the child: `<node>:<task id>`. */
    ns: string;
    workflowId: string;
    runId: string;
    from: number;
  };
}

/**
 * Input of the `pollStream` Update and the `readStream` Query: where to read from, and which modes.
 * Give `from` (an offset returned by an earlier read) or `afterResume` (the Update Id of an accepted
 * `resume` Update: read from where that resume began).
 */
export interface StreamReadInput {
  modes: StreamMode[];
  from?: number;
  afterResume?: string;
  /** Also return where subgraph runs stream ({@link SubgraphStream} entries, in log order). @default false */
  subgraphs?: boolean;
  /**
   * Wait at `from` even when the run is stopped there: the reader knows a resume is on its way (a parent
   * resuming its subgraph's run). @default false
   */
  resuming?: boolean;
}

/** What one read returns. */
export interface StreamReadResult {
  /** Chunks of the requested modes (and, when asked, subgraph entries), in log order. */
  chunks: Array<StreamChunk | SubgraphStream>;
  /** The offset to read from next. */
  next: number;
  /** Set when the read reached the end of a segment: the run paused, completed or failed there. */
  stopped?: ThreadStatus;
  /** True when more of the log is already there after `next` (the read was cut to keep the result small). */
  more: boolean;
  /**
   * Set when the read reached the end of this run's log because the run continued as new: read on from `next` in
   * the run it continued into (the Run Id `WorkflowExecutionContinuedAsNew` names).
   */
  continuedAsNew?: true;
}

/**
 * Long-polls the chunk log: returns at once when there are chunks (or a stop) at or after the offset,
 * otherwise when the run records some. Each call costs the run 2 history events (+ a Workflow Task when
 * none was due), and counts against the run's Update limit.
 */
export const pollStreamUpdate = defineUpdate<StreamReadResult, [StreamReadInput]>('pollStream');

/** Reads the chunk log without waiting; for a run that has closed (Updates need an open run). */
export const readStreamQuery = defineQuery<StreamReadResult, [StreamReadInput]>('readStream');

/**
 * LangGraph's `config.writer` for one node execution: the chunks travel with the node's Activity result
 * (the "custom" stream mode), so they reach a stream exactly once, when the node finishes or pauses.
 */
import { UnserializableValueError } from '../errors.js';
import { findNonJsonValue } from '../protocol/json.js';
import type { NodeResult } from '../protocol/payloads.js';

export interface StreamWriter {
  /** The function handed to the node as `config.writer`. */
  write: (chunk: unknown) => void;
  /** Adds the chunks written so far to the node's result (nothing when there are none, keeping old results' shape). */
  attach<R extends NodeResult>(result: R): R;
}

/** A writer for one execution of `node`; a chunk that would not survive serialization fails the node at once. */
export function createStreamWriter(where: { threadId: string; node: string }): StreamWriter {
  const chunks: unknown[] = [];
  return {
    write: (chunk) => {
      const problem = findNonJsonValue(chunk);
      if (problem) {
        throw new UnserializableValueError(
          `config.writer() in node "${where.node}" (thread "${where.threadId}") got a chunk that would not survive serialization: ${problem}. Write plain JSON.`,
          where,
        );
      }
      chunks.push(structuredClone(chunk)); // as it was when written, like a chunk LangGraph streams at once
    },
    attach: (result) => (chunks.length ? { ...result, custom: [...chunks] } : result),
  };
}

/** The writer of code that runs outside a node's Activity (conditional edges from START): chunks are dropped. */
export function dropChunk(_chunk: unknown): void {}

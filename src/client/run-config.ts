/**
 * What every call of a graph handle reads first: which graph and server it talks to, the thread id of the caller's
 * config, and the workflow input a run starts with (checked here, before anything is sent).
 */
import { checkValueSize } from '../protocol/payload-size.js';
import { valueLimitOf } from '../server/data-converter.js';
import type { Client } from '@temporalio/client';
import { InvalidInputError, MissingThreadIdError, describe } from '../errors.js';
import type { CompiledGraph } from '../graph/compiled-graph.js';
import { findNonJsonValue } from '../protocol/json.js';
import type { RunInput } from '../protocol/payloads.js';
import { withSpecToSend } from '../protocol/spec-header.js';
import type { RunConfig } from './types.js';

/** The graph a handle runs and the server it runs on. */
export interface HandleContext {
  readonly temporal: Client;
  readonly taskQueue: string;
  /** The graph's name: the Workflow Type. */
  readonly name: string;
  /** The compiled graph, when the handle was made from one (typed state, input checked on the client). */
  readonly compiled?: CompiledGraph | undefined;
  /** The server's address, when known: SERVER_UNREACHABLE names it. */
  readonly address?: string | undefined;
}

/** The config's thread id. @throws {@link MissingThreadIdError} when it is missing or blank. */
export function threadIdOf(config: RunConfig | undefined): string {
  const threadId = (config as { configurable?: { thread_id?: unknown } } | undefined)?.configurable?.thread_id;
  if (typeof threadId !== 'string' || threadId.trim() === '') throw new MissingThreadIdError(threadId);
  return threadId;
}

/**
 * The `configurable` keys other than `thread_id`, checked to be plain JSON (they are recorded in history with the
 * run and handed to every node); undefined when there are none. A key holding `undefined` is left out, as JSON would.
 */
export function extraConfigurable(config: RunConfig, threadId: string): Record<string, unknown> | undefined {
  const extra = Object.entries(config.configurable).filter(
    ([key, value]) => key !== 'thread_id' && value !== undefined,
  );
  for (const [key, value] of extra) {
    const problem = findNonJsonValue(value, `configurable.${key}`);
    if (problem) {
      throw new InvalidInputError(
        `config.configurable.${key} for thread "${threadId}" would not survive serialization unchanged: ${problem}. ` +
          `Configurable values are recorded with the run and passed to nodes as JSON: pass plain JSON (ids, names, settings), and create clients or callbacks in the worker's code instead. Nothing was started.`,
        { threadId },
      );
    }
  }
  return extra.length ? Object.fromEntries(extra) : undefined;
}

/** The workflow input of a new run: the input (parsed by the compiled graph when there is one), limits and config. */
export function runInputOf(ctx: HandleContext, input: unknown, config: RunConfig, threadId: string): RunInput {
  const run: RunInput = {};
  if (ctx.compiled) {
    const parsed = ctx.compiled.parseInput(input, threadId);
    run.input = Object.keys(parsed).length ? parsed : null;
    withSpecToSend(run, ctx.compiled.spec); // sent as a header, not in the input
  } else {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InvalidInputError(
        `Input for thread "${threadId}" must be an object of state fields, got ${describe(input)}.`,
        { threadId },
      );
    }
    run.input = input as Record<string, unknown>;
  }
  // With External Storage the input travels as a claim: only what cannot be stored is refused.
  const limit = valueLimitOf(ctx.temporal.options.loadedDataConverter);
  checkValueSize(threadId, 'the input', run.input, limit);
  if (config.recursionLimit !== undefined) run.recursionLimit = config.recursionLimit;
  const configurable = extraConfigurable(config, threadId);
  if (configurable) {
    checkValueSize(threadId, "the config's configurable keys", configurable, limit);
    run.configurable = configurable;
  }
  return run;
}

/**
 * The graph of `npm run bench:load`: propose → review (interrupt) → execute, with every node body counted per thread
 * in the process that runs it (the worker process), so the benchmark can check that each thread ran each node exactly
 * as often as it should: propose and execute once, review twice (its first run pauses, the re-run takes the answer).
 */
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { END, START, StateGraph, interrupt, type NodeConfig } from 'durable-graph';

/**
 * `<thread id> <node>` → node bodies started, in this process; `<thread id> <node> retry` → those started on a retry
 * of their Activity (attempt > 1: it timed out, or its worker was lost), to tell retries from re-executions.
 */
export const loadBodyCounts = new Map<string, number>();

function counted(config: NodeConfig, node: string): void {
  const key = `${config.configurable.thread_id} ${node}`;
  loadBodyCounts.set(key, (loadBodyCounts.get(key) ?? 0) + 1);
  if (Context.current().info.attempt > 1)
    loadBodyCounts.set(`${key} retry`, (loadBodyCounts.get(`${key} retry`) ?? 0) + 1);
}

export const loadGraph = new StateGraph(
  z.object({
    request: z.string(),
    proposal: z.string().optional(),
    answer: z.string().optional(),
    done: z.string().optional(),
  }),
)
  .addNode('propose', (s, config) => {
    counted(config, 'propose');
    return { proposal: `act on ${s.request}` };
  })
  .addNode('review', (s, config) => {
    counted(config, 'review');
    return { answer: interrupt<string>({ question: 'Go ahead?', proposal: s.proposal }) };
  })
  .addNode('execute', (s, config) => {
    counted(config, 'execute');
    return { done: `${s.proposal} (${s.answer})` };
  })
  .addEdge(START, 'propose')
  .addEdge('propose', 'review')
  .addEdge('review', 'execute')
  .addEdge('execute', END)
  .compile({ name: 'bench_load' });

/** Node bodies each thread must have started: the paused node runs twice (pause, then re-run with the answer). */
export const LOAD_EXPECTED_BODIES: Readonly<Record<string, number>> = { propose: 1, review: 2, execute: 1 };

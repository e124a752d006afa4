/**
 * Graphs for bench/worker-crash.ts, hosted by `durable-graph worker` in a process of its own so it can be killed. One
 * node, `work`, appends `<thread> <attempt> <epoch ms> <worker pid>` to `$CRASH_MARKERS` when an attempt starts, then either sleeps
 * (`sleepMs`) or blocks its event loop (`stallMs`, `stalls` times, as a CPU-bound step would) before it returns.
 * One graph per heartbeat timeout measured; `crash_default` sets none.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo } from '@temporalio/activity';
import { z } from 'zod';
import { END, START, StateGraph, type NodeOptions } from 'durable-graph';

const State = z.object({
  sleepMs: z.number().default(0),
  stallMs: z.number().default(0),
  stalls: z.number().default(0),
  done: z.boolean().optional(),
});

function crashGraph(name: string, options: NodeOptions = {}) {
  return new StateGraph(State)
    .addNode(
      'work',
      async (s) => {
        const { workflowExecution, attempt } = activityInfo();
        appendFileSync(
          process.env.CRASH_MARKERS!,
          `${workflowExecution?.workflowId} ${attempt} ${Date.now()} ${process.pid}\n`,
        );
        for (let i = 0; i < s.stalls; i++) {
          const until = Date.now() + s.stallMs;
          while (Date.now() < until); // a synchronous step: no timer, no heartbeat runs meanwhile
          await sleep(50);
        }
        await sleep(s.sleepMs);
        return { done: true };
      },
      options,
    )
    .addEdge(START, 'work')
    .addEdge('work', END)
    .compile({ name });
}

export const crash_default = crashGraph('crash_default');
export const crash_5s = crashGraph('crash_5s', { heartbeatTimeout: '5s' });
export const crash_20s = crashGraph('crash_20s', { heartbeatTimeout: '20s' });
export const crash_60s = crashGraph('crash_60s', { heartbeatTimeout: '60s' });

/**
 * The worker's side of the `runsOnSpec` sink: a thread keeps the graph shape recorded when it started, so a worker
 * whose graph has changed since runs new node code on old edges. It says so once per thread (the sink is called
 * on replay too, so a worker that picks a thread up after a restart says it as well).
 */
import { Runtime, type InjectedSinks } from '@temporalio/worker';
import type { AnyCompiledGraph } from '../graph/compiled-graph.js';
import type { GraphSinks } from '../protocol/sinks.js';

/** Threads warned about are forgotten past this many, so a long-lived worker's memory stays bounded. */
const MAX_REMEMBERED = 10_000;

export function specDriftSinks(
  graphs: readonly AnyCompiledGraph[],
  warn: (message: string, meta: Record<string, unknown>) => void = (message, meta) =>
    Runtime.instance().logger.warn(message, meta),
): InjectedSinks<GraphSinks> {
  const hashes = new Map(graphs.map((g) => [g.name, g.spec.hash]));
  const warned = new Set<string>();
  return {
    durableGraph: {
      runsOnSpec: {
        fn(info, recorded) {
          const current = hashes.get(info.workflowType);
          if (current === undefined || current === recorded || warned.has(info.workflowId)) return;
          if (warned.size >= MAX_REMEMBERED) warned.clear();
          warned.add(info.workflowId);
          warn(
            `Thread "${info.workflowId}" runs on the graph shape recorded when it started (spec ${recorded}); this worker's graph "${info.workflowType}" has changed (spec ${current}). Node code is the new code; edges follow the recorded shape.`,
            {
              workflowId: info.workflowId,
              workflowType: info.workflowType,
              recordedSpec: recorded,
              workerSpec: current,
            },
          );
        },
        callDuringReplay: true,
      },
    },
  };
}

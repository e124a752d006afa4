/**
 * The error of a worker asked to run a node its graph does not have: the thread started on other code (an older or
 * newer version of the graph). Retryable: another worker, or this thread moved to a version that has the node, can
 * run the step, so the step waits instead of failing the thread.
 */
import { UnknownNodeError } from '../errors.js';
import type { CompiledGraph } from '../graph/compiled-graph.js';

/** The Worker Deployment version a worker serves, to name it in messages (absent: the worker is not versioned). */
export interface ServedVersion {
  deploymentName: string;
  buildId: string;
}

/** Says which thread needs which node, which worker lacks it, and what an operator can do. */
export function unknownNodeError(
  graph: CompiledGraph,
  task: { threadId: string; node: string },
  version?: ServedVersion,
): UnknownNodeError {
  const { threadId, node } = task;
  // A versioned worker takes only the steps of threads that run on its version: that version lacks the node.
  const worker = version
    ? `this worker (build "${version.buildId}" of deployment "${version.deploymentName}", the version the thread runs on)`
    : 'this worker (not versioned)';
  const next = version
    ? `Move the thread to a build whose graph has "${node}": \`durable-graph move ${threadId} --build-id <build>\` ` +
      `(moveThread() from code); or, if build "${version.buildId}" is meant to have "${node}", run that build's code ` +
      'on its workers.'
    : `Keep a worker whose graph has "${node}" running until the thread finishes, and deploy with ` +
      `createWorker({ deployment }) so each thread stays on the code that started it (docs/deploys.md).`;
  return new UnknownNodeError(
    `Thread "${threadId}" needs node "${node}" of graph "${graph.name}", which ${worker} does not have: the thread ` +
      `started on code whose graph has it. The step is retried and goes on once a worker that has "${node}" takes it. ${next}`,
    { threadId, node },
  );
}

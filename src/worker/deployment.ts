/**
 * Worker Versioning for durable-graph workers: which deployment version a worker serves, and whether the threads it
 * starts stay on that version (pinned) or move to the deployment's current version at their next step (auto-upgrade).
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { InvalidInputError } from '../errors.js';
import { deploymentFieldProblem } from '../protocol/deployment-version.js';

/** The Worker Deployment version a worker belongs to (`createWorker({ deployment })`); see docs/deploys.md. */
export interface WorkerDeployment {
  /** The deployment's name: one per application, the same on every worker version, e.g. `"support-agent"`. */
  name: string;
  /** This worker's build: the same for every worker running the same code, new for new code, e.g. a git commit. */
  buildId: string;
  /**
   * Where a thread runs after a new version becomes current. `'pinned'`: every step of a thread runs on the
   * version that started it, until an operator moves it (`durable-graph move`); a thread paused on the old version
   * resumes there. `'auto-upgrade'`: a thread moves to the current version at its next step, so the new code must
   * still have every node and route of the graph shape the thread started with.
   * @default 'pinned'
   */
  threads?: 'pinned' | 'auto-upgrade';
}

/** The Temporal Worker option for `deployment`. */
export function workerDeploymentOptions(deployment: WorkerDeployment): WorkerDeploymentOptions {
  return {
    version: { deploymentName: deployment.name, buildId: deployment.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: deployment.threads === 'auto-upgrade' ? 'AUTO_UPGRADE' : 'PINNED',
  };
}

/**
 * Refuses a deployment the server would refuse, before anything connects: the worker would start, then stop at its
 * first poll with the server's words.
 * @throws {@link InvalidInputError} naming the field, the value and what to pass instead.
 */
export function checkDeployment(deployment: WorkerDeployment): void {
  const { name, buildId, threads } = deployment as unknown as Record<string, unknown>;
  const problem =
    field('name', deploymentFieldProblem('deployment name', name), name) ??
    field('buildId', deploymentFieldProblem('build id', buildId), buildId) ??
    (threads === undefined || threads === 'pinned' || threads === 'auto-upgrade'
      ? undefined
      : `threads ${JSON.stringify(threads)} is neither 'pinned' nor 'auto-upgrade'`);
  if (problem)
    throw new InvalidInputError(
      `createWorker({ deployment }): ${problem}; no worker was started. Pass { name, buildId }: one name per ` +
        'application, e.g. "support-agent", and a build id per version of its code, e.g. a git commit (docs/deploys.md).',
    );
}

function field(key: string, problem: string | undefined, value: unknown): string | undefined {
  return problem && `${key} ${JSON.stringify(value) ?? 'undefined'} ${problem}`;
}

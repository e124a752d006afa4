/**
 * Worker Versioning for durable-graph workers: which deployment version a worker serves, and whether the threads it
 * starts stay on that version (pinned) or move to the deployment's current version at their next step (auto-upgrade).
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';

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

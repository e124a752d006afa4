/**
 * Moving a thread between Worker Deployment versions: a versioning override set with the service's
 * UpdateWorkflowExecutionOptions, as `temporal workflow update-options` sets it. It applies from the thread's next
 * workflow task; a node already running finishes where it runs.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { InvalidInputError, ThreadFinishedError, ThreadNotFoundError } from '../errors.js';
import { deploymentFieldProblem } from '../protocol/deployment-version.js';
import { isClosedRunError } from './closed-run.js';
import { serviceErrorOf } from './service-errors.js';

/**
 * Where {@link GraphClient.moveThread} sends a thread: pinned to one deployment version (`{ deploymentName, buildId }`),
 * `'auto-upgrade'` (to the deployment's current version at its next step, and to every later current version), or
 * `'unset'` (drop the override: the thread follows the behaviour the workers that run it give it).
 */
export type ThreadVersionTarget = { deploymentName: string; buildId: string } | 'auto-upgrade' | 'unset';

/** Where a thread runs, as the server records it. */
export interface ThreadVersion {
  /** The version the thread's next task goes to; absent for a thread that no versioned worker has run. */
  version?: { deploymentName: string; buildId: string };
  /** `PINNED` or `AUTO_UPGRADE`; absent for an unversioned thread. */
  behavior?: 'PINNED' | 'AUTO_UPGRADE';
  /** Set when an operator moved the thread (`moveThread`, `temporal workflow update-options`). */
  override?: ThreadVersionTarget;
}

/**
 * Wire values of `temporal.api.enums.v1.VersioningBehavior` and `VersioningOverride.PinnedOverrideBehavior`: stable
 * protobuf numbers, so no value import of @temporalio/proto (a CommonJS module).
 */
const PINNED = 1;
const AUTO_UPGRADE = 2;
const PINNED_OVERRIDE_BEHAVIOR_PINNED = 1;

/**
 * Sets (or removes) the thread's versioning override and returns where it runs now.
 * @throws {@link InvalidInputError} for a target the server would refuse, before anything is sent.
 * @throws {@link ThreadNotFoundError}, {@link ThreadFinishedError} when there is no running thread to move.
 * @throws {@link InvalidInputError} for a build that has not polled the thread's task queue (the server refuses it).
 */
export async function moveThread(client: Client, threadId: string, to: ThreadVersionTarget): Promise<ThreadVersion> {
  const problem = targetProblem(to);
  if (problem)
    throw new InvalidInputError(
      `moveThread("${threadId}", ${JSON.stringify(to) ?? String(to)}): ${problem}; nothing was changed. Pass ` +
        `{ deploymentName, buildId } as the thread's workers were started with (createWorker({ deployment: { name, ` +
        `buildId } })), 'auto-upgrade' or 'unset'.`,
      { threadId },
    );
  const versioningOverride =
    to === 'unset'
      ? null
      : to === 'auto-upgrade'
        ? { autoUpgrade: true }
        : {
            pinned: {
              behavior: PINNED_OVERRIDE_BEHAVIOR_PINNED,
              version: { deploymentName: to.deploymentName, buildId: to.buildId },
            },
          };
  try {
    const response = await client.workflowService.updateWorkflowExecutionOptions({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: threadId },
      workflowExecutionOptions: { versioningOverride },
      updateMask: { paths: ['versioning_override'] },
    });
    return {
      ...(await threadVersion(client, threadId)),
      ...overrideOf(response.workflowExecutionOptions?.versioningOverride),
    };
  } catch (error) {
    if (notFound(error)) throw new ThreadNotFoundError(threadId);
    if (isClosedRunError(error)) throw new ThreadFinishedError(threadId, await endedAs(client, threadId));
    const absent = typeof to === 'object' ? versionNotPolling(error, threadId, to) : undefined;
    throw absent ?? serviceErrorOf(error, { threadId }) ?? error;
  }
}

/**
 * The server's refusal to pin a thread to a version that no worker has polled its task queue with (a build never
 * started there, or a typo), in words that say what to start; undefined for any other error.
 */
function versionNotPolling(
  error: unknown,
  threadId: string,
  to: { deploymentName: string; buildId: string },
): InvalidInputError | undefined {
  const { code, details } = (error ?? {}) as { code?: unknown; details?: unknown };
  const taskQueue = /is not present in task queue '([^']*)'/.exec(String(details))?.[1];
  if (code !== FAILED_PRECONDITION || taskQueue === undefined) return undefined;
  return new InvalidInputError(
    `Thread "${threadId}" was not moved to build "${to.buildId}" of deployment "${to.deploymentName}": no worker of ` +
      `that build has polled the thread's task queue "${taskQueue}", so the server has no such version there; ` +
      `nothing was changed. Check the deployment name and build id, or start that build's workers on the task queue first ` +
      `(\`durable-graph worker <module> --deployment ${to.deploymentName} --build-id ${to.buildId}\`), then move ` +
      `the thread again.`,
    { threadId, cause: error },
  );
}

/** gRPC status FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;

/** Why the server would refuse `to`, in words that follow the value; undefined when it would not. */
function targetProblem(to: unknown): string | undefined {
  if (to === 'auto-upgrade' || to === 'unset') return undefined;
  if (typeof to !== 'object' || to === null) return 'the target is neither a version nor "auto-upgrade" or "unset"';
  const { deploymentName, buildId } = to as Record<string, unknown>;
  const name = deploymentFieldProblem('deployment name', deploymentName);
  if (name) return `the deployment name ${JSON.stringify(deploymentName) ?? 'undefined'} ${name}`;
  const build = deploymentFieldProblem('build id', buildId);
  if (build) return `the build id ${JSON.stringify(buildId) ?? 'undefined'} ${build}`;
  return undefined;
}

/** How a thread's last run ended, lower case (`completed`, `failed`, ...), for a thread the server calls closed. */
async function endedAs(client: Client, threadId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(threadId).describe()).status.name.toLowerCase();
  } catch {
    return 'ended';
  }
}

/** Where a thread runs: its deployment version, versioning behaviour and override. */
export async function threadVersion(client: Client, threadId: string): Promise<ThreadVersion> {
  let info;
  try {
    info = (await client.workflow.getHandle(threadId).describe()).raw.workflowExecutionInfo?.versioningInfo;
  } catch (error) {
    if (notFound(error)) throw new ThreadNotFoundError(threadId);
    throw serviceErrorOf(error, { threadId }) ?? error;
  }
  return versionOf(info);
}

/** A thread's {@link ThreadVersion} from the server's `VersioningInfo`. */
export function versionOf(
  info: temporal.api.workflow.v1.IWorkflowExecutionVersioningInfo | null | undefined,
): ThreadVersion {
  const result: ThreadVersion = {};
  const version = info?.deploymentVersion;
  if (version?.buildId && version.deploymentName)
    result.version = { deploymentName: version.deploymentName, buildId: version.buildId };
  if (info?.behavior === PINNED) result.behavior = 'PINNED';
  if (info?.behavior === AUTO_UPGRADE) result.behavior = 'AUTO_UPGRADE';
  return { ...result, ...overrideOf(info?.versioningOverride) };
}

function overrideOf(
  override: temporal.api.workflow.v1.IVersioningOverride | null | undefined,
): Pick<ThreadVersion, 'override'> {
  if (override?.autoUpgrade) return { override: 'auto-upgrade' };
  const pinned = override?.pinned?.version;
  if (pinned?.buildId && pinned.deploymentName)
    return { override: { deploymentName: pinned.deploymentName, buildId: pinned.buildId } };
  return {};
}

/** No such thread (a closed one is NOT_FOUND too, "workflow execution already completed": not this). */
function notFound(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  const { code, details } = (error ?? {}) as { code?: unknown; details?: unknown };
  return code === 5 && !String(details).includes('completed');
}

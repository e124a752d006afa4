/**
 * What a Temporal server takes as a Worker Deployment name or build id, checked before anything is sent: the server
 * refuses the others at every poll, while the worker goes on as if it ran and never gets a task. Sandbox-safe.
 */

/** Which of the two a value is meant to be. */
export type DeploymentField = 'deployment name' | 'build id';

/**
 * Why `value` cannot be a deployment name or build id, as the end of a sentence that starts with the value
 * (`"a.b" contains "."…`); undefined when the server takes it. The server's rules (Temporal 1.31, default limits):
 * not empty, not starting with `__` (its own versions, e.g. `__unversioned__`), a name without `.` or `:` (they join
 * a name and a build id into a version string), at most {@link MAX_BYTES} bytes. A worker polling with any other
 * is refused at every poll and never gets a task, while it looks as if it runs.
 */
export function deploymentFieldProblem(field: DeploymentField, value: unknown): string | undefined {
  if (typeof value !== 'string') return `is not a string; a ${field} is text such as ${EXAMPLE[field]}`;
  if (value === '') return `is empty; a ${field} is text such as ${EXAMPLE[field]}`;
  if (value.startsWith('__'))
    return 'starts with "__", which Temporal keeps for its own versions (such as "__unversioned__")';
  const delimiter = field === 'deployment name' ? /[.:]/.exec(value)?.[0] : undefined;
  if (delimiter)
    return `contains "${delimiter}", which Temporal puts between a deployment name and a build id; use "-" or "_" instead`;
  // A lone surrogate would reach the server as U+FFFD: another name than the one given.
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (it holds half of a surrogate pair)';
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_BYTES[field]) return `is ${bytes} bytes long; Temporal takes at most ${MAX_BYTES[field]}`;
  return undefined;
}

/**
 * The longest the server takes with its default limits, in UTF-8 bytes: a build id, `limit.workerBuildIdSize` (255);
 * a name goes into the id of a Workflow the server runs for each version, whose length `limit.maxIDLength` (1,000)
 * bounds, after a 38-byte prefix and a separator: 480.
 */
export const MAX_BYTES: Readonly<Record<DeploymentField, number>> = { 'deployment name': 480, 'build id': 255 };

const EXAMPLE: Record<DeploymentField, string> = {
  'deployment name': '"support-agent"',
  'build id': 'a git commit',
};

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

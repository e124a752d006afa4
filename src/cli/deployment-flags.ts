/**
 * `--deployment` and `--build-id` as the server takes them, checked before anything connects (`worker`, `move`): the
 * server's refusal would come later and in its own words (a worker stops at its first poll).
 */
import { deploymentFieldProblem, type DeploymentField } from '../protocol/deployment-version.js';
import { CliError } from './context.js';

/**
 * @param outcome what did not happen, e.g. `no worker was started`.
 * @throws {@link CliError} naming the flag, its value and what to pass instead.
 */
export function checkVersionFlags(
  flags: { deployment?: string | undefined; buildId?: string | undefined },
  outcome: string,
): void {
  const checks: Array<[string, DeploymentField, string | undefined]> = [
    ['--deployment', 'deployment name', flags.deployment],
    ['--build-id', 'build id', flags.buildId],
  ];
  for (const [flag, field, value] of checks) {
    const problem = value === undefined ? undefined : deploymentFieldProblem(field, value);
    if (problem)
      throw new CliError(
        `${flag} ${JSON.stringify(value)}: the ${field} ${problem}; ${outcome}. ` +
          `For example: --deployment support-agent --build-id "$(git rev-parse --short HEAD)" (docs/deploys.md).`,
      );
  }
}

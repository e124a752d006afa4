import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerDeploymentOptions } from '../../../src/worker/deployment.js';

describe('workerDeploymentOptions', () => {
  it('pins threads to the version that started them by default', () => {
    assert.deepEqual(workerDeploymentOptions({ name: 'support', buildId: 'b1' }), {
      version: { deploymentName: 'support', buildId: 'b1' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    });
  });

  it("lets threads follow the current version with threads: 'auto-upgrade'", () => {
    const options = workerDeploymentOptions({ name: 'support', buildId: 'b1', threads: 'auto-upgrade' });
    assert.equal(options.defaultVersioningBehavior, 'AUTO_UPGRADE');
  });
});

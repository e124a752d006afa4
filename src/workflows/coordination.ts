/**
 * The local Activities the engine itself calls, which run user code on the worker: describing a graph started by
 * name, routing conditional edges, and merging writes through custom reducers.
 * Determinism: local Activities; their results are recorded in history as markers.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { GraphActivities } from '../protocol/activities.js';

export const coordination = proxyLocalActivities<Pick<GraphActivities, 'describeGraph' | 'routeStart' | 'applyWrites'>>(
  {
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 5 },
  },
);

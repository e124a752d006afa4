/**
 * The local Activities the engine itself calls, which run user code on the worker: describing a graph started by
 * name, routing conditional edges, and merging writes through custom reducers.
 * Determinism: local Activities; their results are recorded in history as markers.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import { OwnActivity, type GraphActivities } from '../protocol/activities.js';

const own = proxyLocalActivities<GraphActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 } });

export const coordination = {
  describeGraph: own[OwnActivity.describeGraph],
  routeStart: own[OwnActivity.routeStart],
  applyWrites: own[OwnActivity.applyWrites],
};

/**
 * idempotencyKey() inside a node: one key per task, the same on every attempt and every re-execution of the task
 * (a retry after an error, the re-run after a resume), different for another task.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, idempotencyKey, interrupt } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

const seen: Array<{ node: string; key: string }> = [];
let attempts = 0;

const graph = new StateGraph(z.object({ n: z.number(), ok: z.boolean().optional() }))
  .addNode(
    'charge',
    () => {
      seen.push({ node: 'charge', key: idempotencyKey('charge') });
      if (++attempts === 1) throw new Error('the payment API timed out');
      const ok = interrupt({ question: 'charged: confirm?' }) as boolean;
      return { ok };
    },
    { retryPolicy: { maxAttempts: 3, initialInterval: 10 } },
  )
  .addNode('notify', () => {
    seen.push({ node: 'notify', key: idempotencyKey('charge') });
    return {};
  })
  .addEdge(START, 'charge')
  .addEdge('charge', 'notify')
  .addEdge('notify', END)
  .compile({ name: 'idempotency-key' });

describe('idempotencyKey()', () => {
  it('is the same on every attempt and re-execution of a task, and differs between tasks and threads', async () => {
    await withGraphs([graph], async (env) => {
      const keysOf = async () => {
        const thread = threadId('idem');
        const config = { configurable: { thread_id: thread } };
        seen.length = 0;
        attempts = 0;
        const paused = await env.client.graph(graph).invoke({ n: 1 }, config);
        assert.ok(paused.__interrupt__);
        await env.client.graph(graph).invoke(new Command({ resume: true }), config);
        return { thread, keys: [...seen] };
      };
      const first = await keysOf();
      const charge = first.keys.filter((k) => k.node === 'charge').map((k) => k.key);
      assert.equal(charge.length, 3, 'a failed attempt, the attempt that paused, the re-run after the resume');
      assert.equal(new Set(charge).size, 1, JSON.stringify(charge));
      assert.ok(charge[0]!.startsWith(`idempotency-key:${first.thread}:`), charge[0]);
      assert.ok(charge[0]!.endsWith(':charge'), charge[0]);
      const notify = first.keys.find((k) => k.node === 'notify')!.key;
      assert.notEqual(notify, charge[0], 'another task, another key');

      const second = await keysOf();
      assert.notEqual(second.keys[0]!.key, charge[0], 'another thread, another key');
    });
  });
});

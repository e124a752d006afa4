/**
 * Command from nodes and as input (LangGraph R22, R26-R29, scenario g).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  InvalidDestinationError,
  NodeFailedError,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const State = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []), note: z.string().optional() });

function reviewGraph(seen: Array<string | undefined>) {
  return new StateGraph(State)
    .addNode(
      'ask',
      (s) => {
        seen.push(s.note);
        return { log: [`ask:${interrupt<string>('ok?')}`] };
      },
      { ends: ['side'] },
    )
    .addNode('side', () => ({ log: ['side'] }))
    .addNode('finish', () => ({ log: ['finish'] }))
    .addEdge(START, 'ask')
    .addEdge('ask', 'finish')
    .addEdge('side', END)
    .addEdge('finish', END)
    .compile({ name: 'command-input' });
}

describe('Command returned from a node', () => {
  it('applies the update and goes to goto, and the static edges of the node fire too (R26)', async () => {
    const graph = new StateGraph(State)
      .addNode('router', () => new Command({ update: { log: ['router'] }, goto: 'b' }), { ends: ['b'] })
      .addNode('a', () => ({ log: ['a'] }))
      .addNode('b', () => ({ log: ['b'] }))
      .addEdge(START, 'router')
      .addEdge('router', 'a')
      .compile({ name: 'command-goto' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('goto') } });
      assert.deepEqual(done.log, ['router', 'a', 'b']);
    });
  });

  it('fails the run with a clear error when goto names a node that does not exist', async () => {
    const graph = new StateGraph(State)
      .addNode('router', () => new Command({ goto: 'nowhere' as never }))
      .addEdge(START, 'router')
      .compile({ name: 'command-goto-missing' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('goto-missing');
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidDestinationError);
          assert.equal(error.code, 'INVALID_DESTINATION');
          assert.equal(error.node, 'router');
          assert.match(
            (error as Error).message,
            new RegExp(
              `Node "router" \\(thread "${thread}"\\) returned Command\\(\\{ goto: "nowhere" \\}\\) leads nowhere`,
            ),
          );
          return true;
        },
      );
    });
  });
});

describe('Command as invoke() input', () => {
  it('applies Command({ resume, update }) before the node re-runs, so the node sees the update (R27)', async () => {
    const seen: Array<string | undefined> = [];
    const graph = reviewGraph(seen);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('resume-update') } };
      await handle.invoke({}, config);
      const done = await handle.invoke(new Command({ resume: 'yes', update: { note: 'edited' } }), config);
      assert.deepEqual(seen, [undefined, 'edited']);
      assert.deepEqual(done.log, ['ask:yes', 'finish']);
      assert.equal(done.note, 'edited');
    });
  });

  it('runs the goto node of Command({ resume, goto }) in the same superstep as the resumed node (R28)', async () => {
    const graph = reviewGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('resume-goto') } };
      await handle.invoke({}, config);
      const done = await handle.invoke(new Command({ resume: 'yes', goto: 'side' }), config);
      assert.deepEqual(done.log, ['ask:yes', 'side', 'finish']);
    });
  });

  it('re-runs the paused node with a new interrupt id after Command({ update }) without resume (R29)', async () => {
    const seen: Array<string | undefined> = [];
    const graph = reviewGraph(seen);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('update-only') } };
      const first = await handle.invoke({}, config);
      const again = await handle.invoke(new Command({ update: { note: 'context' } }), config);
      assert.equal(again.__interrupt__!.length, 1);
      assert.notEqual(again.__interrupt__![0]!.id, first.__interrupt__![0]!.id);
      assert.deepEqual(seen, [undefined, 'context']);
      const done = await handle.invoke(new Command({ resume: 'fine' }), config);
      assert.deepEqual(done.log, ['ask:fine', 'finish']);
    });
  });

  it('re-runs the paused node, which pauses again with the same id, on invoke(null) (R25)', async () => {
    const seen: Array<string | undefined> = [];
    const graph = reviewGraph(seen);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('null') } };
      const first = await handle.invoke({}, config);
      const again = await handle.invoke(null, config);
      assert.deepEqual(again.__interrupt__, first.__interrupt__);
      assert.equal(seen.length, 2);
    });
  });

  it('on a thread that is not paused, Command({ update, goto }) writes the update and runs only the goto node (R22)', async () => {
    const graph = reviewGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('fresh-goto') } };
      const done = await handle.invoke(new Command({ update: { note: 'n' }, goto: 'finish' }), config);
      assert.deepEqual(done.log, ['finish']);
      assert.equal(done.note, 'n');
      const update = await handle.invoke(new Command({ update: { note: 'only' } }), config);
      assert.deepEqual(update.log, ['finish'], 'an update alone runs nothing');
      assert.equal(update.note, 'only');
    });
  });

  it('returns the final values for invoke(null) on a finished thread, and refuses it on a thread that never ran', async () => {
    const graph = reviewGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('null-finished') } };
      await handle.invoke({}, config);
      const done = await handle.invoke(new Command({ resume: 'y' }), config);
      assert.deepEqual(await handle.invoke(null, config), done);
      await assert.rejects(
        handle.invoke(null, { configurable: { thread_id: threadId('never') } }),
        /never ran: there is nothing to continue/,
      );
    });
  });
});

void NodeFailedError;

describe('Command.PARENT', () => {
  it('is refused as invoke() input: there is no parent graph (R30)', async () => {
    const graph = reviewGraph([]);
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke(new Command({ graph: Command.PARENT, goto: 'finish' }), {
          configurable: { thread_id: threadId('parent') },
        }),
        /there is no parent graph\. Pass new Command/,
      );
    });
  });
});

/**
 * Scenario C: the same graphs on LangGraph.js in this process, with MemorySaver or SqliteSaver (a file in a temp
 * dir), driven the same way: `invoke(input)` until `__interrupt__`, then `invoke(new Command({ resume: true }))`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, MemorySaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { langgraphApproval, langgraphChain, type Checkpointer } from '../graphs/langgraph.js';
import { expectEqual, ownMemory, type GraphKind, type Scenario } from '../scenario.js';
import type { MemorySample } from '../worker-protocol.js';

export type SaverKind = 'memory' | 'sqlite';

export class LangGraphScenario implements Scenario {
  readonly id: string;
  readonly system = 'C' as const;
  readonly graph: GraphKind;
  readonly label: string;
  readonly memorySource = 'bench process' as const;
  readonly #saverKind: SaverKind;
  #dir?: string;
  #saver?: Checkpointer;
  #approval?: ReturnType<typeof langgraphApproval>;
  #chain?: ReturnType<typeof langgraphChain>;

  constructor(graph: GraphKind, saver: SaverKind) {
    this.graph = graph;
    this.#saverKind = saver;
    this.id = `C.${graph}.${saver}`;
    this.label = saver === 'memory' ? 'LangGraph.js + MemorySaver' : 'LangGraph.js + SqliteSaver (file)';
  }

  async setup(): Promise<void> {
    if (this.#saverKind === 'memory') {
      this.#saver = new MemorySaver();
    } else {
      this.#dir = mkdtempSync(join(tmpdir(), 'durable-graph-bench-'));
      this.#saver = SqliteSaver.fromConnString(join(this.#dir, 'checkpoints.sqlite'));
    }
    this.#approval = langgraphApproval(this.#saver);
    this.#chain = langgraphChain(this.#saver);
  }

  async cycle(threadId: string): Promise<number[]> {
    const config = { configurable: { thread_id: threadId } };
    const t0 = performance.now();
    if (this.graph === 'approval') {
      const graph = this.#approval!;
      const paused = await graph.invoke({ request: 'Q3 report' }, config);
      expectEqual(`${threadId} paused`, (paused as { __interrupt__?: unknown[] }).__interrupt__?.length, 1);
      const t1 = performance.now();
      const done = await graph.invoke(new Command({ resume: true }), config);
      expectEqual(`${threadId} result`, done.result, 'EXECUTED: send email about Q3 report');
      return [t1 - t0, performance.now() - t1];
    }
    const done = await this.#chain!.invoke({ n: 0 }, config);
    expectEqual(`${threadId} n`, done.n, 10);
    return [performance.now() - t0];
  }

  async memory(options?: { gc?: boolean }): Promise<MemorySample> {
    if (options?.gc) (globalThis as { gc?: () => void }).gc?.();
    return ownMemory();
  }

  facts(): Record<string, unknown> {
    return this.#dir ? { sqliteFile: join(this.#dir, 'checkpoints.sqlite') } : {};
  }

  async teardown(): Promise<void> {
    if (this.#saver instanceof SqliteSaver) this.#saver.db.close();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }
}

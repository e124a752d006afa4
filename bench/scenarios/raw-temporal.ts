/**
 * Scenario B: the hand-written workflows of bench/raw/workflows.ts, on a plain `Worker.create` worker in its own
 * process, driven the way a Temporal expert would: Update-with-Start (`awaitPause`) returns at the pause, then the
 * `resume` Update returns at the end. The chain is started with `workflow.execute` (start + wait for the result, no
 * Update events) or, as variant, with Update-with-Start (`awaitResult`) like durable-graph's `invoke`. The approval's
 * variant `visible` also shows the pause to Temporal visibility, with the same writes as durable-graph (and is started with
 * the same Web UI summary and details); `rerun` runs
 * the interrupted node again after the resume, as LangGraph's semantics (and durable-graph) do; `same` does both.
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { runMetadata } from '../../src/protocol/run-metadata.js';
import { historySample } from '../history.js';
import type { rawApproval, rawApprovalRerun, rawApprovalSame, rawApprovalVisible, rawChain } from '../raw/workflows.js';
import { awaitPauseUpdate, awaitResultUpdate, resumeUpdate } from '../raw/shared.js';
import { expectEqual, type GraphKind, type Scenario } from '../scenario.js';
import { WorkerProcess } from '../worker-host.js';
import type { MemorySample } from '../worker-protocol.js';
import type { TemporalTarget } from './durable-graph.js';

/**
 * How B is driven. Chain: `execute` (default) or `update-with-start`. Approval: always Update-with-Start, plain
 * (`update-with-start`, default), `visible` (the pause also shown to Temporal visibility; see rawApprovalVisible),
 * `rerun` (the interrupted node runs again after the resume) or `same` (both: A's semantics and contract).
 */
export type RawVariant = 'execute' | 'update-with-start' | 'visible' | 'rerun' | 'same';

/** Each approval variant: its workflow (bench/raw/workflows.ts), its label in the tables, and what it adds to B. */
const APPROVAL_VARIANTS: Partial<
  Record<RawVariant, { workflow: string; label: string; pauseVisibility: boolean; rerun: boolean }>
> = {
  'update-with-start': {
    workflow: 'rawApproval',
    label: 'raw Temporal (Update-with-Start + resume Update)',
    pauseVisibility: false,
    rerun: false,
  },
  visible: {
    workflow: 'rawApprovalVisible',
    label: 'raw Temporal + pause visibility (search attributes + memo, as A)',
    pauseVisibility: true,
    rerun: false,
  },
  rerun: {
    workflow: 'rawApprovalRerun',
    label: 'raw Temporal + re-run of the interrupted node (local Activity, as A)',
    pauseVisibility: false,
    rerun: true,
  },
  same: {
    workflow: 'rawApprovalSame',
    label: "raw Temporal + pause visibility + re-run (A's semantics and contract)",
    pauseVisibility: true,
    rerun: true,
  },
};

export class RawTemporalScenario implements Scenario {
  readonly id: string;
  readonly system = 'B' as const;
  readonly graph: GraphKind;
  readonly label: string;
  readonly memorySource = 'worker process' as const;
  readonly taskQueue: string;
  readonly #target: TemporalTarget;
  readonly #variant: RawVariant;
  #worker?: WorkerProcess;
  #client?: Client;

  constructor(graph: GraphKind, target: TemporalTarget, variant?: RawVariant) {
    variant ??= graph === 'approval' ? 'update-with-start' : 'execute';
    if (graph === 'approval' ? variant === 'execute' : variant !== 'execute' && variant !== 'update-with-start') {
      throw new Error(
        `B.${graph} has no variant "${variant}" (approval: update-with-start, visible, rerun, same; chain10: execute, update-with-start)`,
      );
    }
    this.graph = graph;
    this.#variant = variant;
    const suffix =
      graph === 'approval'
        ? variant === 'update-with-start'
          ? ''
          : `.${variant}`
        : variant === 'update-with-start'
          ? '.uws'
          : '';
    this.id = `B.${graph}${suffix}`;
    this.label =
      graph === 'approval'
        ? APPROVAL_VARIANTS[variant]!.label
        : variant === 'update-with-start'
          ? 'raw Temporal (Update-with-Start)'
          : 'raw Temporal (start + result)';
    this.taskQueue = `bench-${this.id}-${process.pid}-${Date.now()}`;
    this.#target = target;
  }

  async setup(): Promise<void> {
    const { address, namespace, connection } = this.#target;
    this.#worker = await WorkerProcess.start({ kind: 'raw', address, namespace, taskQueue: this.taskQueue });
    this.#client = new Client({ connection, namespace });
  }

  get #c(): Client {
    if (!this.#client) throw new Error(`${this.id}: setup() was not called`);
    return this.#client;
  }

  async cycle(threadId: string): Promise<number[]> {
    const t0 = performance.now();
    if (this.graph === 'approval') {
      const paused = await this.#c.workflow.executeUpdateWithStart(awaitPauseUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<
          typeof rawApproval | typeof rawApprovalVisible | typeof rawApprovalRerun | typeof rawApprovalSame
        >(APPROVAL_VARIANTS[this.#variant]!.workflow, {
          workflowId: threadId,
          taskQueue: this.taskQueue,
          args: [{ request: 'Q3 report' }],
          workflowIdConflictPolicy: 'FAIL',
          // The contract's Web UI summary and details, the same text A's client writes.
          ...(APPROVAL_VARIANTS[this.#variant]!.pauseVisibility
            ? runMetadata('approval', threadId, { input: { request: 'Q3 report' } })
            : {}),
        }),
      });
      expectEqual(`${threadId} status`, paused.status, 'interrupted');
      const t1 = performance.now();
      const done = await this.#c.workflow.getHandle(threadId).executeUpdate(resumeUpdate, { args: [{ resume: true }] });
      expectEqual(`${threadId} result`, done.values.result, 'EXECUTED: send email about Q3 report');
      return [t1 - t0, performance.now() - t1];
    }
    const options = { workflowId: threadId, taskQueue: this.taskQueue, args: [{ n: 0 }] as [{ n: number }] };
    const done =
      this.#variant !== 'update-with-start'
        ? await this.#c.workflow.execute<typeof rawChain>('rawChain', options)
        : await this.#c.workflow.executeUpdateWithStart(awaitResultUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation<typeof rawChain>('rawChain', {
              ...options,
              workflowIdConflictPolicy: 'FAIL',
            }),
          });
    expectEqual(`${threadId} n`, done.n, 10);
    return [performance.now() - t0];
  }

  history(threadId: string) {
    return historySample(this.#c.workflow.getHandle(threadId));
  }

  memory(options?: { gc?: boolean; resetPeak?: boolean }): Promise<MemorySample> {
    if (!this.#worker) throw new Error(`${this.id}: setup() was not called`);
    return this.#worker.memory(options);
  }

  facts(): Record<string, unknown> {
    return {
      taskQueue: this.taskQueue,
      maxCachedWorkflows: this.#worker?.maxCachedWorkflows,
      workerStartupMs: Math.round(this.#worker?.startupMs ?? Number.NaN),
      driver: this.graph === 'approval' ? 'update-with-start awaitPause + update resume' : this.#variant,
      ...(this.graph === 'approval'
        ? {
            pauseVisibility: APPROVAL_VARIANTS[this.#variant]!.pauseVisibility,
            rerun: APPROVAL_VARIANTS[this.#variant]!.rerun,
          }
        : {}),
    };
  }

  async teardown(): Promise<void> {
    await this.#worker?.stop();
  }
}

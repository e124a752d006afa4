/**
 * The ledger of engine behaviour changes. A change that alters the commands the engine issues is gated
 * either by `patched(id)` or, cheaper (no marker event), by the engine level recorded in the thread's spec
 * (`GraphSpec.engineLevel`, written by `compile()` of the code that starts the run): threads started before
 * the change carry a lower level and keep the old behaviour on replay.
 * Determinism: ids and levels are constants; never rename, reuse or lower one.
 */
export const EngineLevel = {
  /**
   * Level 2 (issue 4): a run that ends without ever pausing writes no status search attribute or memo at its
   * end (2 fewer events; `ExecutionStatus` already says Completed/Failed). Rollback: safe.
   */
  QUIET_END_WITHOUT_PAUSE: 2,
  /**
   * Level 3 (issue 3 review): in a superstep with a pause, writes of tasks that completed before the pause
   * apply before those completed after it (LangGraph's pending writes), so the paused result's order is kept.
   * Also from level 3: an `interruptAfter` breakpoint on a step with nothing next pauses (LangGraph R5).
   */
  WRITES_IN_COMPLETION_BATCHES: 3,
  /**
   * Level 4 (issue 4): a node re-executed after its pause (resume, invoke(null), a deadline's default) runs as a
   * local Activity unless the node says `local: false`: the re-run mostly replays memoised steps and returns the
   * answer, so it runs inside the workflow task that took the resume (one workflow task and 2 events fewer per
   * resume). Rollback: safe (threads started at level 4 keep it on replay).
   */
  LOCAL_RERUN_AFTER_PAUSE: 4,
  /**
   * Level 5 (issue 3 review, differential test): a superstep's writes apply in LangGraph's task-path order, nodes
   * by name then Sends in the order sent, whatever the order they completed in or were declared (level 3 applied
   * them in declaration order within completion batches). Changes values only, not commands. Rollback: safe.
   */
  WRITES_IN_TASK_PATH_ORDER: 5,
  /**
   * Level 6 (updateState differential): while paused after a step (a static `interruptAfter`, an
   * `updateState(asNode)`), the next step's tasks get their ids at the pause, so `getState().tasks` lists them
   * with `interrupts: []` and the ids they will run with (LangGraph shows the pending tasks). The same uuid4()
   * calls as before, made earlier: only a `Command({ goto })` sent at that pause changes which task gets which
   * id. Rollback: safe (threads started at level 6 keep it on replay; older ones show `tasks: []` there).
   */
  NEXT_TASKS_AT_AFTER_PAUSE: 6,
  /**
   * Level 7 (issue 4): fewer promises per superstep — the SDK captures a stack trace for every promise a workflow
   * creates, which made up much of the engine's CPU. Merges with built-in reducers run synchronously when no merge
   * is queued, breakpoint checks are skipped for graphs without breakpoints, and a task's end is tracked with one
   * `then`. Same commands; microtask timing differs, hence gated. Rollback: safe.
   */
  FEWER_PROMISES: 7,
  /**
   * Level 8 (issue 4): local segments. A superstep whose tasks are all fresh `local: true` nodes runs, with the
   * supersteps after it whose tasks are all `local: true` nodes, in ONE local Activity (`runLocalSteps`) instead of
   * one per node. The segment stops at END, a non-local node, a Send, a breakpoint, the recursion limit, an
   * interrupt or a failed node (which the engine then runs alone with its retry policy); the engine replays its
   * steps one by one (task ids of later steps come from the recorded result), so values, stream chunks, step
   * counts and getStateHistory are those of the node-by-node run. One marker instead of one per node: different
   * commands, hence gated. Rollback: safe (threads started at level 8 keep segments on replay).
   */
  LOCAL_SEGMENTS: 8,
  /**
   * Level 9 (graph called inside a node): while the parent waits on a child's interrupt, `invoke(null)` makes the
   * node's re-run pass a plain continue on to the paused child (its paused node re-runs, same id, R25), and
   * `Command({ update })` makes the re-run start its graphs anew as new child threads (`NodeTask.childEpoch`;
   * the superseded paused child is terminated), as LangGraph 1.7.3 does. Same commands, different Activity input
   * and outcome, hence gated: older threads keep the child paused as it is. Rollback: safe.
   */
  CHILD_IN_NODE_RERUN: 9,
  /**
   * Level 10 (issue 4): a superstep with one plain node task in flight (no subgraph, no graph invoked in the
   * node, nothing else running) awaits that node's Activity directly instead of waiting on a condition, and the
   * `resume` / `awaitStop` Update handlers have no async wrapper: about seven promises fewer per superstep (each
   * one a stack capture in the SDK's promise hook) and one condition fewer to evaluate on every activation. Same
   * commands in every recorded scenario, but the run and the Update completions continue a few microtasks earlier
   * relative to other promise chains (a merge's continuation, stream pollers): gated. A cancelled workflow still
   * ends Canceled (the cancellation is rethrown, as the condition's would be). Rollback: safe.
   */
  AWAIT_SOLE_TASK: 10,
  /**
   * Level 11 (issue 4): the `durableGraph` memo and the status search attributes describe pauses only. The memo is
   * written while something is pending (as before) and removed (an undefined memo value) once nothing is, instead
   * of being rewritten as `running` / `completed`. The search attributes are written at a pause and afterwards only
   * to take back what they claim (`interrupted`, pending nodes): the end of a resumed run no longer rewrites
   * `running` to `completed` / `failed`, which repeated the Workflow's own ExecutionStatus. A paused-then-resumed run
   * makes 4 status writes instead of 6 (events and visibility writes B does not make). Different commands, hence
   * gated. Rollback: as level 2 (open threads replay on older workers; a query on a closed level-11 thread that had
   * paused needs a level-11 worker).
   */
  MEMO_ONLY_WHILE_PAUSED: 11,
  /**
   * Level 12 (issue 4): a superstep with one plain node task to run (as level 10's) awaits that node's Activity in
   * the run loop itself instead of through the superstep's async function, and the superstep's pause logic runs
   * only when the result asks for it (an interrupt, a failure, a parent command, a paused invoked graph): two
   * promises fewer per step, leaving the three a hand-written workflow's `await activity()` costs (10-node chain:
   * 81 → 61 workflow promises per run). Also from level 12, the superstep skips its condition when it has nothing
   * to run and nothing in flight (after that fast path, after a local segment paused, after updateState(asNode)
   * completed every paused task): the condition was true at once. Same commands in every recorded scenario (the
   * replay tests pass with the gate forced on or off), but the loop goes on a few microtasks earlier relative to
   * other promise chains (Update completions, stream pollers): gated. Rollback: safe.
   */
  DIRECT_STEP: 12,
} as const;

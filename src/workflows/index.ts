/**
 * The workflow module a durable-graph Worker loads. Its only export is the default workflow, which
 * handles every Workflow Type sent to the task queue: the type is the graph's name.
 * Determinism: nothing here but the engine; no user code is ever imported into this bundle.
 */
export { graphWorkflow as default } from './graph-workflow.js';

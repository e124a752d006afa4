import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMetadata } from '../../../src/protocol/run-metadata.js';

describe('runMetadata (the summary and details the Web UI shows for a run)', () => {
  it('names the thread, the graph and the input, all as code', () => {
    const { staticSummary, staticDetails } = runMetadata('approval', 'order-42', { input: { request: 'Q3 "report"' } });
    assert.equal(staticSummary, 'Thread `order-42` of graph `approval`: the input `{"request":"Q3 \\"report\\""}`');
    assert.match(
      staticDetails,
      /^\*\*Started with\*\* the input:\n\n```json\n\{\n {2}"request": "Q3 \\"report\\""\n\}\n```/,
    );
  });

  it('keeps the summary to one short line however large the input', () => {
    const { staticSummary, staticDetails } = runMetadata('g', 't', { input: { text: 'x'.repeat(5000) } });
    assert.ok(!staticSummary.includes('\n'));
    assert.ok(staticSummary.length < 200, String(staticSummary.length));
    assert.ok(staticDetails.length < 1000, String(staticDetails.length));
  });

  it('says how a run without input starts: a Command, an updateState, a re-run, a continued thread, a subgraph', () => {
    assert.match(
      runMetadata('g', 't', { input: null, command: { goto: ['b'] } }).staticSummary,
      /: a Command goto `b`$/,
    );
    assert.match(
      runMetadata('g', 't', { input: null, command: { update: { n: 1 }, goto: [], asNode: 'a', updateState: true } })
        .staticSummary,
      /: an updateState as node `a` `\{"n":1\}`$/,
    );
    assert.match(
      runMetadata('g', 't', { input: null, command: { rerun: [] } }).staticSummary,
      /a re-run of the failed step/,
    );
    assert.match(runMetadata('g', 't', { input: {}, previous: { values: {}, step: 4 } }).staticDetails, /from step 4/);
    assert.match(
      runMetadata('child', 't/n/1', {
        input: { a: 1 },
        parent: { workflowId: 't', runId: 'r', taskId: 'x', node: 'n' },
      }).staticDetails,
      /A subgraph run: node `n` of thread `t`\./,
    );
    assert.match(runMetadata('g', 't', {}).staticSummary, /: no input$/);
  });
});

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Payload } from '@temporalio/common';
import { TRACE_HEADER, interceptors } from '../../../src/workflows/trace-context.js';

const payload = (text: string): Payload => ({ metadata: {}, data: new TextEncoder().encode(text) });

/** The interceptors of one run started with `headers`, as the SDK would call them. */
async function startedWith(headers: Record<string, Payload>) {
  const { inbound, outbound } = interceptors();
  await inbound![0]!.execute!({ args: [], headers }, async () => undefined);
  const out = outbound![0]!;
  const echo = async <I>(input: I): Promise<I> => input;
  return {
    activity: (headers: Record<string, Payload>) =>
      out.scheduleActivity!({ headers } as never, echo as never) as Promise<{ headers: Record<string, Payload> }>,
    local: (headers: Record<string, Payload>) =>
      out.scheduleLocalActivity!({ headers } as never, echo as never) as Promise<{ headers: Record<string, Payload> }>,
    child: (headers: Record<string, Payload>) =>
      out.startChildWorkflowExecution!({ headers } as never, echo as never) as unknown as Promise<{
        headers: Record<string, Payload>;
      }>,
  };
}

describe('the trace-context interceptors', () => {
  it("use the header name of Temporal's OpenTelemetry interceptors", () => {
    const instrumentation = createRequire(import.meta.url)(
      '@temporalio/interceptors-opentelemetry/lib/instrumentation',
    ) as { TRACE_HEADER: string };
    assert.equal(TRACE_HEADER, instrumentation.TRACE_HEADER);
  });

  it("pass the start's trace header on to Activities, local Activities and child runs, keeping their other headers", async () => {
    const trace = payload('{"traceparent":"00-abc-def-01"}');
    const run = await startedWith({ [TRACE_HEADER]: trace, other: payload('x') });
    const spec = payload('spec');
    for (const schedule of [run.activity, run.local, run.child]) {
      const { headers } = await schedule({ 'durable-graph-spec': spec });
      assert.deepEqual(headers, { 'durable-graph-spec': spec, [TRACE_HEADER]: trace });
    }
  });

  it('leave a trace header already set, and add none when the run was started without one', async () => {
    const own = payload('own');
    const traced = await startedWith({ [TRACE_HEADER]: payload('start') });
    assert.deepEqual((await traced.activity({ [TRACE_HEADER]: own })).headers, { [TRACE_HEADER]: own });
    const untraced = await startedWith({});
    assert.deepEqual((await untraced.activity({})).headers, {});
  });
});

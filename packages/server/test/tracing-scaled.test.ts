/**
 * Scaled mode: the API process that takes a request and the worker that runs
 * it are two processes; the run's spans still join the request's trace,
 * because the trace context is stored with the run. Each process exports
 * its own spans, configured by the standard OTEL_* variables.
 */
import { randomBytes } from 'node:crypto';
import { type OtlpReceiver, startOtlpReceiver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { ScaledCluster } from './support/scaled/scaled-cluster.js';

describe('scaled mode: a run executed by a worker joins the trace of the request an API process took', () => {
  let receiver: OtlpReceiver;
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let worker: AgentdProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    cluster = await ScaledCluster.start({
      // Spans leave each process a moment after they end (the batch processor's delay).
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    [api, worker] = await Promise.all([
      cluster.spawn('api', { OTEL_RESOURCE_ATTRIBUTES: 'agentd.role=api' }),
      cluster.spawn('worker', { OTEL_RESOURCE_ATTRIBUTES: 'agentd.role=worker' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await receiver?.close();
  });

  it("puts the worker's invoke_agent span under the API process's request span", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    cluster.script('trace-me', () => ({
      text: 'Traced.',
      usage: { prompt_tokens: 5, completion_tokens: 2 },
    }));
    const created = await cluster
      .api(api)
      .post(
        '/v1/responses',
        { model: 'fake-model', input: 'trace-me please' },
        { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
      );
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('completed');

    const run = await receiver.waitFor(
      (span) => span.traceId === traceId && span.name === 'invoke_agent',
      20_000,
    );
    const request = await receiver.waitFor(
      (span) => span.traceId === traceId && span.name === 'POST /v1/responses',
      20_000,
    );
    const chat = await receiver.waitFor(
      (span) => span.traceId === traceId && span.name === 'chat fake-model',
    );
    expect(request.parentSpanId).toBe(callerSpanId);
    expect(request.resource['agentd.role']).toBe('api');
    expect(run.resource['agentd.role']).toBe('worker');
    expect(run.parentSpanId).toBe(request.spanId);
    expect(chat.parentSpanId).toBe(run.spanId);
    expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(2);
    // The model request went out from the worker, in the same trace, its client span the chat span.
    const [sent] = cluster.modelRequests('trace-me');
    expect(sent?.headers.traceparent).toBe(`00-${traceId}-${chat.spanId}-01`);
    expect(worker.running()).toBe(true);
  });
});

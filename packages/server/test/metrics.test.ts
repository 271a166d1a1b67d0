import { type Agentd, startAgentd } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('GET /metrics: Prometheus metrics of the process', () => {
  let agentd: Agentd;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  const scrape = async () => {
    const response = await fetch(`${agentd.server.url}/metrics`);
    return { response, text: await response.text() };
  };

  it("is served without a key in Prometheus's text format, with the queue depth the autoscaler reads", async () => {
    const { response, text } = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/^agentd_run_queue_depth 0$/m);
    expect(text).toMatch(/^agentd_runs_in_progress 0$/m);
    expect(text).toMatch(/^agentd_process_resident_memory_bytes \d+/m);
  });

  it('counts requests by route pattern and status, and runs by how they ended, with no id in a label', async () => {
    const created = await agentd.api.post('/v1/responses', { model: 'scripted', input: 'hello' });
    expect(created.status).toBe(200);
    const missing = await agentd.api.get('/v1/responses/resp_does_not_exist');
    expect(missing.status).toBe(404);
    const { text } = await scrape();
    expect(text).toMatch(
      /^agentd_http_request_duration_seconds_count\{method="POST",route="\/v1\/responses",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^agentd_http_request_duration_seconds_count\{method="GET",route="\/v1\/responses\/:id",status="404"\} [1-9]/m,
    );
    expect(text).toMatch(/^agentd_runs_ended_total\{status="completed"\} [1-9]/m);
    expect(text).not.toContain(created.body.id);
    expect(text).not.toContain('resp_does_not_exist');
    expect(text).not.toContain(agentd.server.adminKey);
  });
});

/**
 * The default OTLP encoding: with only OTEL_EXPORTER_OTLP_ENDPOINT set, spans
 * leave as protobuf (`application/x-protobuf`, the specification's default
 * and about half the bytes and encoding time of JSON). Protobuf keeps strings
 * as they are, so the run's span names and its response id are in the body.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe('tracing: OTLP/HTTP in protobuf unless JSON is asked for', () => {
  let collector: Server;
  const received: Received[] = [];
  let agentd: AgentdWithFakeModel;

  beforeAll(async () => {
    collector = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.method === 'POST' && req.url === '/v1/traces') {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
    });
  });

  afterAll(async () => {
    await agentd?.close();
    await new Promise((resolve) => collector?.close(resolve));
  });

  it("sends a run's spans as application/x-protobuf", async () => {
    agentd.fake.enqueue({ text: 'Encoded.', usage: { prompt_tokens: 3, completion_tokens: 1 } });
    const created = await agentd.api.post('/v1/responses', { model: 'fake-model', input: 'Encode me.' });
    expect(created.body.status).toBe('completed');
    await agentd.server.server.services.tracing?.flush();
    const bodies = Buffer.concat(received.map((request) => request.body));
    expect(received.length).toBeGreaterThan(0);
    expect(received.map((request) => request.headers['content-type'])).toEqual(
      received.map(() => 'application/x-protobuf'),
    );
    for (const expected of ['invoke_agent', 'chat fake-model', 'POST /v1/responses', created.body.id]) {
      expect(bodies.includes(Buffer.from(expected)), expected).toBe(true);
    }
    // Not JSON: no OTLP/JSON field names.
    expect(bodies.includes(Buffer.from('"resourceSpans"'))).toBe(false);
  });
});

/**
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg,undici (the standard variable of the
 * auto-instrumentations): no database spans (one a SQL statement on
 * PostgreSQL) and no HTTP client span per tool request, while the run's own
 * spans stay and the trace context still goes on to the model (naming its
 * chat span) and to the tool (naming its execute_tool span). Tracing starts
 * once per process, so this is a file of its own.
 */
import { randomBytes } from 'node:crypto';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
  startToolServer,
  type ToolServer,
} from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLIENT = 3;

describe('tracing with the pg and undici instrumentations turned off (PostgreSQL)', () => {
  let receiver: OtlpReceiver;
  let tools: ToolServer;
  let agentd: AgentdWithFakeModel;
  const traceId = randomBytes(16).toString('hex');
  const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  const named = (name: string) => inTrace().filter((span) => span.name === name);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS = 'pg, @opentelemetry/instrumentation-undici';
    tools = await startToolServer({ weather: (body: { city: string }) => ({ city: body.city, celsius: 4 }) });
    agentd = await startAgentdWithFakeModel({
      backend: 'postgres',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    agentd.fake.enqueue(
      {
        toolCalls: [{ id: 'call_weather_1', name: 'weather', arguments: '{"city":"Bergen"}' }],
        usage: { prompt_tokens: 30, completion_tokens: 7 },
      },
      { text: 'It is 4 °C in Bergen.', usage: { prompt_tokens: 50, completion_tokens: 9 } },
    );
    const created = await agentd.api.post(
      '/v1/responses',
      {
        model: 'fake-model',
        input: 'Weather in Bergen?',
        tools: [
          {
            type: 'function',
            name: 'weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            endpoint: { url: `${tools.url}/weather` },
          },
        ],
      },
      { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
    );
    expect(created.body.status).toBe('completed');
    await agentd.server.server.services.tracing?.flush();
    await receiver.waitFor((span) => span.traceId === traceId && span.name === 'invoke_agent');
  });

  afterAll(async () => {
    delete process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS;
    await agentd?.close();
    await tools?.close();
    await receiver?.close();
  });

  it('keeps the request, run, chat and execute_tool spans', () => {
    expect(named('POST /v1/responses')).toHaveLength(1);
    expect(named('invoke_agent')).toHaveLength(1);
    expect(named('chat fake-model')).toHaveLength(2);
    expect(named('execute_tool weather')).toHaveLength(1);
  });

  it('makes no database spans and no HTTP client span for the tool request', () => {
    expect(inTrace().filter((span) => span.attributes['db.system'] === 'postgresql')).toEqual([]);
    const clients = (span: ReceivedSpan) => span.kind === CLIENT && !span.name.startsWith('chat ');
    expect(
      inTrace()
        .filter(clients)
        .map((span) => span.name),
    ).toEqual([]);
  });

  it("still sends the context on: the tool's request names execute_tool, the model's its chat span", () => {
    const [tool] = named('execute_tool weather');
    expect(tools.calls[0]?.headers.traceparent).toBe(`00-${traceId}-${tool!.spanId}-01`);
    const chats = named('chat fake-model').sort((a, b) => Number(a.startNanos - b.startNanos));
    const sent = agentd.fake.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.headers.traceparent);
    expect(sent).toEqual(chats.map((chat) => `00-${traceId}-${chat.spanId}-01`));
    expect(chats[0]!.attributes['http.response.status_code']).toBe(200);
  });
});

/**
 * OpenTelemetry traces of a real run, received by a local OTLP/HTTP receiver:
 * the request's span continues the caller's `traceparent`, the run's
 * invoke_agent span sits under it with a chat span per model call and an
 * execute_tool span per tool call, their HTTP requests carry the context on
 * to the model (the chat span is the model request's HTTP client span) and
 * the tool (an HTTP client span under execute_tool, made from undici's
 * diagnostics channels), and no message content is exported by default.
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

const SERVER = 2;
const CLIENT = 3;
/** An HTTP client span (undici's); pg's query spans are client spans too. */
const isHttpClient = (span: ReceivedSpan) => span.kind === CLIENT && 'http.request.method' in span.attributes;
const SECRET_PROMPT = 'What is the weather in Oslo, asks the user whose name is Ingrid Kvalheim?';

describe('tracing: spans of a run over OTLP/HTTP (PostgreSQL)', () => {
  let receiver: OtlpReceiver;
  let tools: ToolServer;
  let agentd: AgentdWithFakeModel;
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  let responseId: string;

  const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  const one = (predicate: (span: ReceivedSpan) => boolean, what: string) => {
    const found = inTrace().filter(predicate);
    expect(
      found,
      `${what} among ${inTrace()
        .map((span) => span.name)
        .join(', ')}`,
    ).toHaveLength(1);
    return found[0]!;
  };
  const childrenOf = (parent: ReceivedSpan) =>
    inTrace().filter((span) => span.parentSpanId === parent.spanId);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The SDK reads the standard variables from the environment, as in production.
    process.env.OTEL_SERVICE_NAME = 'agentd-under-test';
    tools = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, celsius: -3 }),
    });
    agentd = await startAgentdWithFakeModel({
      backend: 'postgres',
      // The receiver decodes OTLP/JSON (protobuf, the default, has its own test: tracing-protobuf).
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    agentd.fake.enqueue(
      {
        toolCalls: [{ id: 'call_weather_1', name: 'weather', arguments: '{"city":"Oslo"}' }],
        usage: { prompt_tokens: 31, completion_tokens: 7 },
      },
      { text: 'It is -3 °C in Oslo.', usage: { prompt_tokens: 52, completion_tokens: 9 } },
    );
    const created = await agentd.api.post(
      '/v1/responses',
      {
        model: 'fake-model',
        input: SECRET_PROMPT,
        tools: [
          {
            type: 'function',
            name: 'weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            endpoint: { url: `${tools.url}/weather` },
          },
        ],
      },
      { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
    expect(created.status).toBe(200);
    expect(created.body.error).toBeNull();
    expect(created.body.status).toBe('completed');
    responseId = created.body.id;
    await agentd.server.server.services.tracing?.flush();
    await receiver.waitFor((span) => span.traceId === traceId && span.name === 'invoke_agent');
  });

  afterAll(async () => {
    delete process.env.OTEL_SERVICE_NAME;
    await agentd?.close();
    await tools?.close();
    await receiver?.close();
  });

  it("continues the caller's trace: the request's server span is the child of its traceparent", () => {
    const request = one((span) => span.kind === SERVER && span.name === 'POST /v1/responses', 'server span');
    expect(request.parentSpanId).toBe(callerSpanId);
    expect(request.attributes['http.route']).toBe('/v1/responses');
    expect(request.resource['service.name']).toBe('agentd-under-test');
  });

  it('has an invoke_agent span under the request, with the GenAI attributes', () => {
    const request = one((span) => span.name === 'POST /v1/responses', 'server span');
    const run = one((span) => span.name === 'invoke_agent', 'invoke_agent');
    expect(run.parentSpanId).toBe(request.spanId);
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'fake-model',
      'gen_ai.response.id': responseId,
      'gen_ai.provider.name': expect.any(String),
      'gen_ai.usage.input_tokens': 83,
      'gen_ai.usage.output_tokens': 16,
      'agentd.run.status': 'completed',
    });
    expect(run.endNanos).toBeGreaterThan(run.startNanos);
  });

  it('has a chat span per model call under invoke_agent: model, tokens in and out, finish reason', () => {
    const run = one((span) => span.name === 'invoke_agent', 'invoke_agent');
    const chats = childrenOf(run)
      .filter((span) => span.name === 'chat fake-model')
      .sort((a, b) => Number(a.startNanos - b.startNanos));
    expect(chats.map((chat) => chat.attributes)).toEqual([
      expect.objectContaining({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'fake-model',
        'gen_ai.usage.input_tokens': 31,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.response.finish_reasons': ['tool_calls'],
      }),
      expect.objectContaining({
        'gen_ai.usage.input_tokens': 52,
        'gen_ai.usage.output_tokens': 9,
        'gen_ai.response.finish_reasons': ['stop'],
      }),
    ]);
    expect(chats.every((chat) => chat.kind === CLIENT)).toBe(true);
  });

  it('has an execute_tool span under invoke_agent, between the two model calls', () => {
    const run = one((span) => span.name === 'invoke_agent', 'invoke_agent');
    const tool = one((span) => span.name === 'execute_tool weather', 'execute_tool');
    expect(tool.parentSpanId).toBe(run.spanId);
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call_weather_1',
      'agentd.tool.status': 'completed',
    });
    // The SDK stamps starts to the millisecond: the order is checked on starts, and the first call's end.
    const [first, second] = childrenOf(run)
      .filter((span) => span.name.startsWith('chat '))
      .sort((a, b) => Number(a.startNanos - b.startNanos));
    expect(first!.startNanos).toBeLessThanOrEqual(tool.startNanos);
    expect(first!.endNanos).toBeLessThanOrEqual(tool.endNanos);
    expect(second!.startNanos).toBeGreaterThanOrEqual(tool.startNanos);
  });

  it("propagates the context to the tool's endpoint through an HTTP client span under execute_tool", () => {
    const tool = one((span) => span.name === 'execute_tool weather', 'execute_tool');
    const [client] = childrenOf(tool).filter(isHttpClient);
    expect(client?.name).toBe('POST');
    const received = tools.calls[0]?.headers.traceparent;
    expect(received).toBe(`00-${traceId}-${client!.spanId}-01`);
    const endpoint = new URL(tools.url);
    expect(client!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': endpoint.hostname,
      'server.port': Number(endpoint.port),
      'url.full': `${tools.url}/weather`,
      'http.response.status_code': 200,
    });
  });

  it("propagates the context to the model's endpoint from each chat span, which is also its HTTP client span", () => {
    const chats = inTrace()
      .filter((span) => span.name === 'chat fake-model')
      .sort((a, b) => Number(a.startNanos - b.startNanos));
    expect(chats).toHaveLength(2);
    const sent = agentd.fake.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.headers.traceparent);
    expect(sent).toEqual(chats.map((chat) => `00-${traceId}-${chat.spanId}-01`));
    const model = new URL(agentd.fake.baseURL);
    for (const chat of chats) {
      expect(chat.attributes).toMatchObject({
        'http.request.method': 'POST',
        'server.address': model.hostname,
        'server.port': Number(model.port),
        'url.full': expect.stringMatching(/^http:\/\/.+\/chat\/completions$/),
        'http.response.status_code': 200,
      });
      // One span for the model call, not a second one for its HTTP request (ADR-0034, round 4).
      expect(childrenOf(chat).filter(isHttpClient)).toEqual([]);
    }
  });

  it("has database spans from pg's instrumentation inside the request and the run", () => {
    const queries = inTrace().filter((span) => span.attributes['db.system'] === 'postgresql');
    expect(queries.length).toBeGreaterThan(0);
    const run = one((span) => span.name === 'invoke_agent', 'invoke_agent');
    const runIds = new Set([run.spanId, ...childrenOf(run).map((span) => span.spanId)]);
    expect(queries.some((query) => runIds.has(query.parentSpanId))).toBe(true);
    // Not a span per checkout of a pooled connection (about 23 of a run's 60 spans before: ADR-0049).
    expect(inTrace().filter((span) => span.name === 'pg-pool.connect')).toEqual([]);
  });

  it('exports no message content by default: no prompt, no answer, no tool arguments', () => {
    const everything = receiver.raw.join('\n');
    expect(everything).not.toContain('Ingrid Kvalheim');
    expect(everything).not.toContain('It is -3');
    expect(everything).not.toContain('"city"');
    expect(inTrace().some((span) => 'gen_ai.input.messages' in span.attributes)).toBe(false);
  });

  it('records nothing of a run whose caller sampled its trace out, and passes that decision on to the model', async () => {
    const unsampled = randomBytes(16).toString('hex');
    agentd.fake.enqueue({ text: 'Not traced.', usage: { prompt_tokens: 5, completion_tokens: 2 } });
    const before = agentd.fake.requests.length;
    const created = await agentd.api.post(
      '/v1/responses',
      { model: 'fake-model', input: 'Say something.' },
      { headers: { traceparent: `00-${unsampled}-${randomBytes(8).toString('hex')}-00` } },
    );
    expect(created.body.status).toBe('completed');
    await agentd.server.server.services.tracing?.flush();
    // Without the decision kept, the run would start a trace of its own (a new root, sampled again).
    const ofRun = receiver.spans.filter(
      (span) => span.traceId === unsampled || span.attributes['gen_ai.response.id'] === created.body.id,
    );
    expect(ofRun.map((span) => span.name)).toEqual([]);
    const sent = agentd.fake.requests
      .slice(before)
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.headers.traceparent);
    expect(sent).toEqual([expect.stringMatching(new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`))]);
  });

  it("writes the trace's ids in the logs of the request", () => {
    const request = one((span) => span.name === 'POST /v1/responses', 'server span');
    const line = agentd.server.logs.find(
      (entry) => entry.msg === 'request' && entry.route === '/v1/responses',
    );
    expect(line).toMatchObject({ trace_id: traceId, span_id: request.spanId });
  });
});

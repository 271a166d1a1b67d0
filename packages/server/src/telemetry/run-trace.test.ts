import type { StoredRun } from '@agentd/runtime';
import type { LanguageModel, ResponseObject } from '@agentd/spec';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../responses/run-spec.js';
import { runTracing } from './run-trace.js';

const snapshot = {
  id: 'resp_1',
  model: 'm-1',
  status: 'in_progress',
  agent: { id: 'agent_1', name: 'helper', version: 1 },
  conversation: null,
  instructions: 'Be brief.',
  temperature: 0.2,
  top_p: null,
  max_output_tokens: 256,
  output: [],
  usage: null,
  error: null,
} as unknown as ResponseObject;

const run = {
  id: 'resp_1',
  tenantId: 'ten_1',
  snapshot,
  input: [{ type: 'message', role: 'user', content: 'the secret question' }],
  runSpec: {},
} as unknown as StoredRun<RunSpec>;

const model: LanguageModel = {
  provider: 'scripted',
  async *stream() {
    yield* [];
  },
};

function traced(contents: boolean) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const observer = runTracing(provider.getTracer('test'), contents)(run)!;
  const prepared = observer.prepared({ model, tools: [] } as never);
  const spans = () => exporter.getFinishedSpans();
  return { observer, prepared, spans };
}

describe('run tracing from events', () => {
  it('records a safety decision as an apply_guardrail span under what it was about, as long as its phases took', () => {
    const { observer, spans } = traced(false);
    observer.event({
      type: 'response.tool_call.started',
      item_id: 'fc_1',
      call_id: 'call_1',
      name: 'fetch',
      arguments: '{}',
    });
    observer.event({
      type: 'response.safety.checked',
      surface: 'tool_output',
      action: 'block',
      item_id: 'call_1',
      verdicts: [
        { phase: 'rules', action: 'allow', categories: [], scores: {}, reason: '', durationMs: 2 },
        {
          phase: 'classifier',
          action: 'block',
          categories: ['prompt_injection'],
          scores: {},
          reason: 'injection',
          durationMs: 40,
        },
      ],
    } as never);
    observer.event({
      type: 'response.tool_call.completed',
      item_id: 'fc_1',
      call_id: 'call_1',
      name: 'fetch',
      arguments: '{}',
      status: 'completed',
      duration_ms: 50,
    });
    observer.event({
      type: 'response.safety.checked',
      surface: 'user_input',
      action: 'flag',
      verdicts: [],
    } as never);
    observer.ended({ final: { ...snapshot, status: 'completed' } });

    const byName = new Map(spans().map((span) => [span.name, span]));
    const guardrail = byName.get('apply_guardrail tool_output')!;
    const tool = byName.get('execute_tool fetch')!;
    const root = byName.get('invoke_agent helper')!;
    expect(guardrail.parentSpanId).toBe(tool.spanContext().spanId);
    expect(guardrail.attributes).toMatchObject({
      'gen_ai.operation.name': 'apply_guardrail',
      'agentd.safety.surface': 'tool_output',
      'agentd.safety.action': 'block',
      'agentd.safety.phases': ['rules', 'classifier'],
      'agentd.safety.categories': ['prompt_injection'],
    });
    const tookMs =
      (guardrail.endTime[0] - guardrail.startTime[0]) * 1e3 +
      (guardrail.endTime[1] - guardrail.startTime[1]) / 1e6;
    expect(Math.round(tookMs)).toBe(42);
    // One about no item goes under the run.
    expect(byName.get('apply_guardrail user_input')?.parentSpanId).toBe(root.spanContext().spanId);
  });

  it('keeps contents out unless asked: prompts, answers, tool arguments and results', async () => {
    for (const contents of [false, true]) {
      const { observer, prepared, spans } = traced(contents);
      observer.event({ type: 'response.model_call.started', step: 1, model: 'm-1' });
      for await (const _ of prepared.model.stream({
        model: 'm-1',
        messages: [{ role: 'user', content: 'the secret question' }],
      } as never)) {
        // nothing streamed
      }
      observer.event({
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'the secret answer', annotations: [] }],
        },
      } as never);
      observer.event({
        type: 'response.model_call.completed',
        step: 1,
        finish_reason: 'tool-calls',
        usage: { input_tokens: 3, output_tokens: 4 },
      });
      observer.event({
        type: 'response.tool_call.started',
        item_id: 'fc_1',
        call_id: 'call_1',
        name: 'lookup',
        arguments: '{"q":"secret arguments"}',
      });
      observer.event({
        type: 'response.tool_call.completed',
        item_id: 'fc_1',
        call_id: 'call_1',
        name: 'lookup',
        arguments: '{"q":"secret arguments"}',
        status: 'failed',
        duration_ms: 5,
      });
      observer.ended({ final: { ...snapshot, status: 'completed' } });

      const text = JSON.stringify(spans().map((span) => span.attributes));
      const chat = spans().find((span) => span.name === 'chat m-1')!;
      expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
      expect(spans().find((span) => span.name === 'execute_tool lookup')?.status.code).toBe(2);
      for (const secret of ['the secret question', 'the secret answer', 'secret arguments', 'Be brief.']) {
        expect(text.includes(secret), `${secret} with contents ${contents}`).toBe(contents);
      }
    }
  });
});

import type { LanguageModel, ModelRequest, ModelStreamPart, OutputItem } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { type RunTool, runLoop } from '../src/index.js';
import { memorySink, queued } from './support/run-fixtures.js';

/** Plays back one turn per call and records each request the loop (through its guards) made. */
function playback(turns: ModelStreamPart[][]) {
  const requests: ModelRequest[] = [];
  const model: LanguageModel = {
    provider: 'test',
    async *stream(request) {
      requests.push(structuredClone(request));
      const turn = turns.shift();
      if (!turn) throw new Error('no turn left');
      yield* turn;
    },
  };
  return { model, requests };
}

const answer = (text: string): ModelStreamPart[] => [
  { type: 'text-delta', delta: text.slice(0, 4) },
  { type: 'text-delta', delta: text.slice(4) },
  { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
  { type: 'finish', reason: 'stop' },
];

const call = (index: number, id: string, args: string): ModelStreamPart[] => [
  { type: 'tool-call-start', index, id, name: 'add' },
  { type: 'tool-call-delta', index, delta: args },
  { type: 'tool-call', index, call: { id, name: 'add', arguments: args } },
];

const addTool: RunTool = {
  definition: { name: 'add', parameters: { type: 'object' } },
  execute: async (args) => String((args as { a: number }).a + 1),
};

const format = {
  type: 'json_schema' as const,
  name: 'total',
  strict: true,
  schema: {
    type: 'object',
    properties: { total: { type: 'number' } },
    required: ['total'],
    additionalProperties: false,
  },
};

let counter = 0;
function input(model: LanguageModel, extra: Record<string, unknown> = {}) {
  const { sink, events } = memorySink();
  return {
    events,
    input: {
      response: queued(),
      model,
      settings: {},
      instructions: 'Be terse.',
      history: [
        {
          type: 'message' as const,
          id: 'msg_in',
          role: 'user' as const,
          content: [{ type: 'input_text' as const, text: 'add it up' }],
          status: 'completed' as const,
        },
      ],
      tools: [addTool],
      maxSteps: 5,
      maxTotalTokens: null,
      contextTokens: 10_000,
      signal: new AbortController().signal,
      sink,
      newId: (prefix: string) => `${prefix}_${++counter}`,
      coalesceMs: 0,
      ...extra,
    },
  };
}

const texts = (output: readonly OutputItem[]) =>
  output.flatMap((item) =>
    item.type === 'message' ? item.content.map((part) => ('text' in part ? part.text : '')) : [],
  );

describe('structured outputs in the run loop', () => {
  it('passes the format to the model and completes with a valid answer', async () => {
    const { model, requests } = playback([answer('{"total": 3}')]);
    const run = input(model, { textFormat: format });
    const final = await runLoop(run.input);
    expect(final.status).toBe('completed');
    expect(texts(final.output)).toEqual(['{"total": 3}']);
    expect(requests[0]?.textFormat).toEqual(format);
  });

  it('sends a mismatch back with its problems and keeps only the corrected answer, usage added up', async () => {
    const { model, requests } = playback([answer('{"sum": "3"}'), answer('{"total":3}')]);
    const run = input(model, { textFormat: format, textFormatRetries: 1 });
    const final = await runLoop(run.input);
    expect(final.status).toBe('completed');
    expect(texts(final.output)).toEqual(['{"total":3}']);
    expect(final.usage).toMatchObject({ input_tokens: 20, output_tokens: 10 });
    const retry = requests[1]!.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"sum": "3"}' });
    expect(retry.at(-1)).toMatchObject({ role: 'user' });
    expect(retry.at(-1)?.content).toContain("the JSON schema 'total'");
    expect(retry.at(-1)?.content).toContain('- /total: is required');
    expect(retry.at(-1)?.content).toContain('- /sum: is not allowed by the schema');
    // The rejected text never streamed: one delta run, the accepted one.
    const deltas = run.events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => (event as { delta: string }).delta).join('')).toBe('{"total":3}');
  });

  it('ends incomplete, naming the failing path, when the retries are used up', async () => {
    const { model, requests } = playback([answer('{"total":"x"}'), answer('{"total":"y"}')]);
    const run = input(model, { textFormat: format, textFormatRetries: 1 });
    const final = await runLoop(run.input);
    expect(requests).toHaveLength(2);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({
      reason: 'invalid_structured_output',
      path: '/total',
      message: "The answer does not match the JSON schema 'total' (after 1 retry): /total: must be number",
    });
    expect(texts(final.output)).toEqual(['{"total":"y"}']);
  });

  it('with no retries, the first mismatch ends the run', async () => {
    const { model, requests } = playback([answer('not json')]);
    const final = await runLoop(
      input(model, { textFormat: { type: 'json_object' }, textFormatRetries: 0 }).input,
    );
    expect(requests).toHaveLength(1);
    expect(final.incomplete_details).toMatchObject({ reason: 'invalid_structured_output', path: '' });
    expect(final.incomplete_details?.message).toMatch(
      /^The answer does not match a JSON object: \(root\): is not valid JSON/,
    );
  });

  it('checks only the final answer: text before a tool call streams and is kept', async () => {
    const { model } = playback([
      [
        { type: 'text-delta', delta: 'Let me add. ' },
        ...call(0, 'c1', '{"a":2}'),
        { type: 'finish', reason: 'tool-calls' },
      ],
      answer('{"total":3}'),
    ]);
    const final = await runLoop(input(model, { textFormat: format }).input);
    expect(final.status).toBe('completed');
    expect(texts(final.output)).toEqual(['Let me add. ', '{"total":3}']);
  });

  it('a text format of type text enforces nothing', async () => {
    const { model, requests } = playback([answer('plain words')]);
    const final = await runLoop(input(model, { textFormat: { type: 'text' } }).input);
    expect(final.status).toBe('completed');
    expect(requests[0]?.textFormat).toBeUndefined();
  });
});

describe('parallel_tool_calls: false', () => {
  it('keeps the first tool call of a turn and drops the rest before they are recorded or run', async () => {
    const { model } = playback([
      [...call(0, 'c1', '{"a":1}'), ...call(1, 'c2', '{"a":5}'), { type: 'finish', reason: 'tool-calls' }],
      answer('done'),
    ]);
    const final = await runLoop(input(model, { settings: { parallelToolCalls: false } }).input);
    const calls = final.output.filter((item) => item.type === 'function_call');
    expect(calls.map((item) => (item as { call_id: string }).call_id)).toEqual(['c1']);
    const outputs = final.output.filter((item) => item.type === 'function_call_output');
    expect(outputs).toEqual([expect.objectContaining({ call_id: 'c1', output: '2' })]);
  });

  it('runs every call when parallel calls are allowed', async () => {
    const { model } = playback([
      [...call(0, 'c1', '{"a":1}'), ...call(1, 'c2', '{"a":5}'), { type: 'finish', reason: 'tool-calls' }],
      answer('done'),
    ]);
    const final = await runLoop(input(model).input);
    expect(final.output.filter((item) => item.type === 'function_call_output')).toHaveLength(2);
  });
});

describe('truncation', () => {
  const long = 'word '.repeat(2000);
  const history = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'message' as const,
      id: `msg_${i}`,
      role: 'user' as const,
      content: [{ type: 'input_text' as const, text: `${i} ${long}` }],
      status: 'completed' as const,
    }));

  it('disabled: a prompt over the budget fails the run with context_length_exceeded', async () => {
    const { model, requests } = playback([answer('never')]);
    const final = await runLoop(
      input(model, { history: history(3), contextTokens: 4000, truncation: 'disabled' }).input,
    );
    expect(requests).toHaveLength(0);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({
      code: 'context_length_exceeded',
      message: expect.stringContaining('over the context budget of 4000 tokens'),
    });
  });

  it('auto: the oldest turns are dropped and the run answers', async () => {
    const { model, requests } = playback([answer('fine')]);
    const final = await runLoop(
      input(model, { history: history(3), contextTokens: 4000, truncation: 'auto' }).input,
    );
    expect(final.status).toBe('completed');
    expect(requests[0]?.messages.filter((message) => message.role === 'user')).toHaveLength(1);
  });
});

import type {
  Item,
  LanguageModel,
  ModelRequest,
  ModelStreamPart,
  ResponseObject,
  WebSearchCallItem,
} from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { applyEvent, citationSources, findUrlCitations, type RunTool, runLoop } from '../src/index.js';
import { loopInput, memorySink, queued } from './support/run-fixtures.js';

function scriptedModel(turns: ModelStreamPart[][]) {
  const requests: ModelRequest[] = [];
  const model: LanguageModel = {
    provider: 'test',
    stream(request) {
      requests.push(structuredClone(request));
      const turn = turns.shift();
      if (!turn) throw new Error('no scripted turn left');
      return (async function* () {
        yield* turn;
      })();
    },
  };
  return { model, requests };
}

const text = (value: string): ModelStreamPart[] => [
  { type: 'text-delta', delta: value },
  { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
  { type: 'finish', reason: 'stop' },
];

const call = (id: string, name: string, args: unknown): ModelStreamPart[] => {
  const toolCall = { id, name, arguments: JSON.stringify(args) };
  return [
    { type: 'tool-call-start', index: 0, id, name },
    { type: 'tool-call', index: 0, call: toolCall },
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
    { type: 'finish', reason: 'tool-calls' },
  ];
};

const input = (model: LanguageModel, tools: RunTool[], history: Item[] = []) =>
  loopInput(model, { tools, history });

const codeParameters = {
  type: 'object',
  properties: { code: { type: 'string' } },
  required: ['code'],
  additionalProperties: false,
};

/** A code tool that shows its work as a code_interpreter_call item. */
const codeTool: RunTool = {
  definition: { name: 'code', parameters: codeParameters },
  execute: async (args, context) => {
    const { code } = args as { code: string };
    const item = context.startItem?.({ type: 'code_interpreter_call', code, container_id: 'cntr_1' });
    item?.working();
    item?.finish({ status: 'completed', outputs: [{ type: 'logs', logs: '2' }] });
    return 'stdout:\n2';
  },
};

describe('built-in tool items', () => {
  it('streams a code_interpreter_call beside the function call pair, and the fold replays it', async () => {
    const { model, requests } = scriptedModel([call('c1', 'code', { code: 'print(1+1)' }), text('Two.')]);
    const { sink, events } = memorySink();
    const final = await runLoop({ ...input(model, [codeTool]), sink });
    expect(final.status).toBe('completed');
    expect(final.output.map((item) => item.type)).toEqual([
      'function_call',
      'code_interpreter_call',
      'function_call_output',
      'message',
    ]);
    expect(final.output[1]).toEqual({
      type: 'code_interpreter_call',
      id: expect.stringMatching(/^ci_/),
      call_id: 'c1',
      code: 'print(1+1)',
      container_id: 'cntr_1',
      outputs: [{ type: 'logs', logs: '2' }],
      status: 'completed',
    });
    const itemId = final.output[1]!.id;
    const own = events.filter(
      (event) =>
        ('item_id' in event && event.item_id === itemId) || ('item' in event && event.item.id === itemId),
    );
    expect(own.map((event) => event.type)).toEqual([
      'response.output_item.added',
      'response.code_interpreter_call.in_progress',
      'response.code_interpreter_call_code.delta',
      'response.code_interpreter_call_code.done',
      'response.code_interpreter_call.interpreting',
      'response.code_interpreter_call.completed',
      'response.output_item.done',
    ]);
    // Replay: the fold of the events is the snapshot, also mid-way (the code arrives by delta).
    expect(events.reduce(applyEvent, queued())).toEqual(final);
    const midway = events.slice(
      0,
      events.findIndex((event) => event.type === 'response.code_interpreter_call.interpreting') + 1,
    );
    expect(midway.reduce(applyEvent, queued()).output[1]).toMatchObject({
      code: 'print(1+1)',
      status: 'interpreting',
    });
    // The model reads the function call and its output, not the item.
    expect(requests[1]!.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'c1', content: 'stdout:\n2' });
  });

  it('ends an item the tool left open, and ignores what it sends after the call ended', async () => {
    let late: (() => void) | undefined;
    const sloppy: RunTool = {
      definition: { name: 'code', parameters: codeParameters },
      timeoutMs: 50,
      execute: async (_args, context) => {
        const item = context.startItem?.({ type: 'web_search_call', action: { type: 'search', query: 'q' } });
        item?.working();
        late = () => item?.finish({ status: 'completed' });
        return new Promise(() => undefined);
      },
    };
    const { model } = scriptedModel([call('c1', 'code', { code: 'x' }), text('Timed out.')]);
    const { sink, events } = memorySink();
    const final = await runLoop({ ...input(model, [sloppy]), sink });
    const item = final.output.find((entry) => entry.type === 'web_search_call') as WebSearchCallItem;
    expect(item.status).toBe('failed');
    const count = events.length;
    late?.();
    expect(events.length).toBe(count);
    expect(events.reduce(applyEvent, queued())).toEqual(final);
  });

  it('closes a working item of an interrupted run when it is resumed', async () => {
    const interrupted: ResponseObject = {
      ...queued(),
      status: 'in_progress',
      output: [
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'c1',
          name: 'code',
          arguments: '{"code":"x"}',
          status: 'completed',
        },
        {
          type: 'code_interpreter_call',
          id: 'ci_1',
          call_id: 'c1',
          code: 'x',
          container_id: 'cntr_1',
          outputs: null,
          status: 'interpreting',
        },
        { type: 'web_search_call', id: 'ws_1', action: { type: 'search', query: 'q' }, status: 'searching' },
      ],
    };
    const { model, requests } = scriptedModel([text('Sorry.')]);
    const { sink } = memorySink();
    const final = await runLoop({ ...input(model, [codeTool]), response: interrupted, stepsTaken: 1, sink });
    expect(final.status).toBe('completed');
    expect(final.output.map((item) => [item.type, 'status' in item ? item.status : undefined])).toEqual([
      ['function_call', 'completed'],
      ['code_interpreter_call', 'incomplete'],
      ['web_search_call', 'failed'],
      ['function_call_output', 'completed'],
      ['message', 'completed'],
    ]);
    expect(requests[0]!.messages.at(-1)?.content).toMatch(/interrupted/);
  });
});

describe('URL citations', () => {
  const url = 'https://example.org/lighthouse';
  const read: WebSearchCallItem = {
    type: 'web_search_call',
    id: 'ws_1',
    action: { type: 'open_page', url, title: 'Lighthouses' },
    status: 'completed',
  };

  it('annotates the answer where it cites a page the conversation read', async () => {
    const answer = `Built in 1874 ([Lighthouses](${url})). See also ${url}/. And https://other.example/x.`;
    const { model } = scriptedModel([text(answer)]);
    const { sink, events } = memorySink();
    const final = await runLoop({ ...input(model, [], [read]), sink });
    const part = final.output[0]?.type === 'message' ? final.output[0].content[0] : undefined;
    const link = `[Lighthouses](${url})`;
    expect(part).toEqual({
      type: 'output_text',
      text: answer,
      annotations: [
        {
          type: 'url_citation',
          start_index: answer.indexOf(link),
          end_index: answer.indexOf(link) + link.length,
          url,
          title: 'Lighthouses',
        },
        {
          type: 'url_citation',
          start_index: answer.indexOf(`${url}/`),
          end_index: answer.indexOf(`${url}/`) + url.length + 1,
          url,
          title: 'Lighthouses',
        },
      ],
    });
    expect(events.filter((event) => event.type === 'response.output_text.annotation.added')).toHaveLength(2);
    expect(events.reduce(applyEvent, queued())).toEqual(final);
  });

  it('cites nothing without sources, and only completed items count', () => {
    expect(findUrlCitations(`see ${url}`, citationSources([]))).toEqual([]);
    expect(findUrlCitations(`see ${url}`, citationSources([{ ...read, status: 'failed' }]))).toEqual([]);
    const search: WebSearchCallItem = {
      type: 'web_search_call',
      id: 'ws_2',
      action: { type: 'search', query: 'q', sources: [{ type: 'url', url, title: 'From search' }] },
      status: 'completed',
    };
    expect(findUrlCitations(`see ${url}.`, citationSources([search]))).toEqual([
      { type: 'url_citation', start_index: 4, end_index: 4 + url.length, url, title: 'From search' },
    ]);
  });
});

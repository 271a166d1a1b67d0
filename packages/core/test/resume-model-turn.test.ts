/**
 * Crash resume, model turns: a worker dies while the model is answering; the
 * next worker asks again. What the first turn streamed stays in the log,
 * marked superseded, and is neither the answer nor read by the model.
 */
import type { Item, ModelStreamPart, ResponseEventBody } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { applyEvent, itemsToMessages, type RunTool } from '../src/index.js';
import { crashingWorker, outputText, resume, untilAborted } from './support/crashing-worker.js';
import { loopInput, queued } from './support/run-fixtures.js';
import { calls, scriptedModel, text } from './support/scripted-model.js';
import { countedTool } from './support/tools.js';

const base = (model: ReturnType<typeof scriptedModel>['model'], tools: RunTool[] = []) =>
  loopInput(model, { tools, text: 'What is six times seven?' });

/** A turn that streams `parts`, then is still streaming when its worker dies. */
const dying = (crash: () => void, ...parts: ModelStreamPart[]) =>
  async function* (_request: unknown, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
    yield* parts;
    crash();
    await untilAborted(signal);
  };

const delta = (value: string): ModelStreamPart => ({ type: 'text-delta', delta: value });
const deltas = (events: ResponseEventBody[]) =>
  events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));

describe('resuming a run whose worker died during a model turn', () => {
  it('asks again; the partial message stays in the log, superseded, and the answer is only the new one', async () => {
    const crashing: { crash: () => void } = { crash: () => undefined };
    const first = scriptedModel([dying(() => crashing.crash(), delta('The answer '), delta('is 4'))]);
    const worker = crashingWorker(base(first.model));
    crashing.crash = worker.crash;
    const crash = await worker.dead();
    expect(crash.stepsTaken).toBe(0);
    expect(crash.snapshot.output).toMatchObject([
      { type: 'message', status: 'in_progress', content: [{ type: 'output_text', text: 'The answer is 4' }] },
    ]);

    const next = scriptedModel([text('The answer is 42.')]);
    const { final, events, log } = await resume(crash, base(next.model));
    expect(final.status).toBe('completed');
    // A client that saw the partial text is told: the item ends incomplete, superseded, its text emptied.
    expect(events[0]).toEqual({
      type: 'response.output_item.done',
      output_index: 0,
      item: {
        ...crash.snapshot.output[0],
        status: 'incomplete',
        superseded: true,
        content: [{ type: 'output_text', text: '', annotations: [] }],
      },
    });
    expect(deltas(log)).toEqual(['The answer ', 'is 4', 'The', ' answer is 42.']);
    expect(final.output).toMatchObject([
      { type: 'message', status: 'incomplete', superseded: true },
      { type: 'message', status: 'completed', content: [{ text: 'The answer is 42.' }] },
    ]);
    expect(outputText(final)).toBe('The answer is 42.');
    // The model is asked the same question again, without the partial answer.
    expect(next.requests[0]!.messages).toEqual(first.requests[0]!.messages);
    expect(events).toContainEqual(expect.objectContaining({ type: 'response.model_call.started', step: 1 }));
    expect(log.reduce(applyEvent, queued())).toEqual(final);
  });

  it('supersedes the whole turn: a call it had finished streaming neither runs nor fails', async () => {
    const charge = countedTool('charge');
    const crashing: { crash: () => void } = { crash: () => undefined };
    const callParts = calls({ id: 'c1', name: 'charge', arguments: '{"q":"5 EUR"}' }).slice(0, 3);
    const first = scriptedModel([
      dying(
        () => crashing.crash(),
        { type: 'reasoning-delta', delta: 'Charge first.' },
        ...callParts,
        delta('Charg'),
      ),
    ]);
    const worker = crashingWorker(base(first.model, [charge.tool]));
    crashing.crash = worker.crash;
    const crash = await worker.dead();
    expect(crash.snapshot.output.map((item) => [item.type, item.status])).toEqual([
      ['reasoning', 'completed'],
      ['function_call', 'completed'],
      ['message', 'in_progress'],
    ]);

    const next = scriptedModel([text('Nothing was charged yet. Shall I?')]);
    const { final } = await resume(crash, base(next.model, [charge.tool]));
    expect(charge.runs).toEqual([]);
    expect(final.output).toMatchObject([
      { type: 'reasoning', status: 'incomplete', superseded: true, content: [] },
      { type: 'function_call', call_id: 'c1', status: 'incomplete', superseded: true },
      { type: 'message', status: 'incomplete', superseded: true },
      { type: 'message', status: 'completed' },
    ]);
    expect(final.output.map((item) => item.type)).not.toContain('function_call_output');
    expect(next.requests[0]!.messages).toEqual(first.requests[0]!.messages);
    expect(outputText(final)).toBe('Nothing was charged yet. Shall I?');
  });

  it('asks again when the answer was streamed whole but the run never recorded its end', async () => {
    const worker = crashingWorker(base(scriptedModel([text('It is 41.')]).model), {
      when: (event) => event.type === 'response.output_item.done',
    });
    const crash = await worker.dead();
    expect(crash.snapshot.output).toMatchObject([{ type: 'message', status: 'completed' }]);

    const { final } = await resume(crash, base(scriptedModel([text('It is 42.')]).model));
    expect(final.output.map((item) => [item.type, item.status])).toEqual([
      ['message', 'incomplete'],
      ['message', 'completed'],
    ]);
    expect(outputText(final)).toBe('It is 42.');
  });

  it('keeps the turns before the interrupted one, and supersedes only that one', async () => {
    const lookup = countedTool('lookup', { idempotent: true });
    const crashing: { crash: () => void } = { crash: () => undefined };
    const first = scriptedModel([
      calls({ id: 'c1', name: 'lookup', arguments: '{"q":"six"}' }),
      dying(() => crashing.crash(), delta('Six times')),
    ]);
    const worker = crashingWorker(base(first.model, [lookup.tool]));
    crashing.crash = worker.crash;
    const crash = await worker.dead();
    expect(crash.stepsTaken).toBe(1);

    const next = scriptedModel([text('Forty-two.')]);
    const { final, events } = await resume(crash, base(next.model, [lookup.tool]));
    expect(lookup.runs).toEqual(['c1']);
    expect(final.output.map((item) => [item.type, item.status])).toEqual([
      ['function_call', 'completed'],
      ['function_call_output', 'completed'],
      ['message', 'incomplete'],
      ['message', 'completed'],
    ]);
    expect(next.requests[0]!.messages).toEqual(first.requests[1]!.messages);
    expect(events).toContainEqual(expect.objectContaining({ type: 'response.model_call.started', step: 2 }));
    expect(outputText(final)).toBe('Forty-two.');
  });
});

describe('superseded items in a later turn', () => {
  it('are never shown to the model, in the history of a response chain', () => {
    const history: Item[] = [
      {
        type: 'message',
        id: 'm1',
        role: 'user',
        content: [{ type: 'input_text', text: 'hi' }],
        status: 'completed',
      },
      {
        type: 'message',
        id: 'm2',
        role: 'assistant',
        content: [{ type: 'output_text', text: '', annotations: [] }],
        status: 'incomplete',
        superseded: true,
      },
      {
        type: 'function_call',
        id: 'f1',
        call_id: 'c1',
        name: 'x',
        arguments: '{}',
        status: 'incomplete',
        superseded: true,
      },
      {
        type: 'message',
        id: 'm3',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello.', annotations: [] }],
        status: 'completed',
      },
    ];
    expect(itemsToMessages(history)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello.' },
    ]);
  });
});

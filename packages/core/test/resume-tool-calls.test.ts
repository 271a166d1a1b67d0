/**
 * Crash resume, tool calls: a worker dies while a run's tool calls are in
 * flight; the next worker resumes the run from the log it left.
 */
import type { Item, ResponseEventBody } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { applyEvent, INTERRUPTED_CALL_OUTPUT, RunSuspended, type RunTool, runLoop } from '../src/index.js';
import { crashingWorker, resume } from './support/crashing-worker.js';
import { loopInput, memorySink, queued } from './support/run-fixtures.js';
import { calls, scriptedModel, text } from './support/scripted-model.js';
import { countedTool } from './support/tools.js';

const base = (model: ReturnType<typeof scriptedModel>['model'], tools: RunTool[], history: Item[] = []) =>
  loopInput(model, { tools, history });

const call = (id: string, name: string, q: string) => ({ id, name, arguments: JSON.stringify({ q }) });
const toolMessages = (requests: ReturnType<typeof scriptedModel>['requests']) =>
  requests[0]!.messages.filter((message) => message.role === 'tool');
const shape = (output: { type: string; status?: string }[]) => output.map((item) => [item.type, item.status]);

describe('resuming a run whose worker died during a tool call', () => {
  it('runs an idempotent tool again, once, and the model reads its result', async () => {
    const lookup = countedTool('lookup', { idempotent: true });
    const worker = crashingWorker(
      base(scriptedModel([calls(call('c1', 'lookup', 'tides'))]).model, [lookup.tool]),
    );
    lookup.hold(worker.crash);
    const crash = await worker.dead();
    expect(crash.snapshot.status).toBe('in_progress');
    expect(shape(crash.snapshot.output)).toEqual([['function_call', 'completed']]);

    const next = scriptedModel([text('High tide is at noon.')]);
    const { final, events, log } = await resume(crash, base(next.model, [lookup.tool]));
    expect(final.status).toBe('completed');
    expect(lookup.runs).toEqual(['c1', 'c1']);
    expect(final.output).toMatchObject([
      { type: 'function_call', call_id: 'c1', status: 'completed' },
      { type: 'function_call_output', call_id: 'c1', output: 'lookup: tides' },
      { type: 'message', status: 'completed' },
    ]);
    expect(toolMessages(next.requests)).toEqual([
      { role: 'tool', toolCallId: 'c1', content: 'lookup: tides' },
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'response.tool_call.started', call_id: 'c1' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'response.model_call.started', step: 2 }));
    expect(log.reduce(applyEvent, queued())).toEqual(final);
  });

  it('does not run a tool that is not idempotent again: its call fails with the reason, and the model decides', async () => {
    const charge = countedTool('charge');
    const worker = crashingWorker(
      base(scriptedModel([calls(call('c1', 'charge', '5 EUR'))]).model, [charge.tool]),
    );
    charge.hold(worker.crash);
    const crash = await worker.dead();

    const next = scriptedModel([text('I could not confirm the charge; please check before I retry.')]);
    const { final, events } = await resume(crash, base(next.model, [charge.tool]));
    expect(final.status).toBe('completed');
    expect(charge.runs).toEqual(['c1']);
    expect(INTERRUPTED_CALL_OUTPUT).toContain('interrupted by a worker failure');
    expect(final.output[1]).toMatchObject({
      type: 'function_call_output',
      call_id: 'c1',
      output: INTERRUPTED_CALL_OUTPUT,
    });
    expect(toolMessages(next.requests)).toEqual([
      { role: 'tool', toolCallId: 'c1', content: INTERRUPTED_CALL_OUTPUT },
    ]);
    expect(events.map((event) => event.type)).not.toContain('response.tool_call.started');
  });

  it('sorts parallel calls in flight: the idempotent one runs again, the other fails', async () => {
    const lookup = countedTool('lookup', { idempotent: true });
    const charge = countedTool('charge', { idempotent: false });
    const first = scriptedModel([calls(call('c1', 'lookup', 'price'), call('c2', 'charge', '5 EUR'))]);
    const worker = crashingWorker(base(first.model, [lookup.tool, charge.tool]));
    lookup.hold();
    charge.hold(worker.crash);
    const crash = await worker.dead();

    const next = scriptedModel([text('Looked up; the charge is unconfirmed.')]);
    await resume(crash, base(next.model, [lookup.tool, charge.tool]));
    expect(lookup.runs).toEqual(['c1', 'c1']);
    expect(charge.runs).toEqual(['c2']);
    const results = toolMessages(next.requests);
    expect(results).toHaveLength(2);
    expect(results).toEqual(
      expect.arrayContaining([
        { role: 'tool', toolCallId: 'c1', content: 'lookup: price' },
        { role: 'tool', toolCallId: 'c2', content: INTERRUPTED_CALL_OUTPUT },
      ]),
    );
  });

  it('never runs again a call whose result was recorded', async () => {
    const lookup = countedTool('lookup', { idempotent: true });
    const first = scriptedModel([calls(call('c1', 'lookup', 'one')), calls(call('c2', 'lookup', 'two'))]);
    const worker = crashingWorker(base(first.model, [lookup.tool]));
    lookup.answer();
    lookup.hold(worker.crash);
    const crash = await worker.dead();
    expect(crash.stepsTaken).toBe(2);
    expect(shape(crash.snapshot.output)).toEqual([
      ['function_call', 'completed'],
      ['function_call_output', 'completed'],
      ['function_call', 'completed'],
    ]);

    const next = scriptedModel([text('One and two.')]);
    const { final } = await resume(crash, base(next.model, [lookup.tool]));
    expect(final.status).toBe('completed');
    expect(lookup.runs).toEqual(['c1', 'c2', 'c2']);
    expect(toolMessages(next.requests)).toEqual([
      { role: 'tool', toolCallId: 'c1', content: 'lookup: one' },
      { role: 'tool', toolCallId: 'c2', content: 'lookup: two' },
    ]);
  });

  it("supersedes the built-in tool item of a call it runs again with the new call's item", async () => {
    const search = countedTool('search', { idempotent: true, builtinItem: true });
    const worker = crashingWorker(
      base(scriptedModel([calls(call('c1', 'search', 'tides'))]).model, [search.tool]),
    );
    search.hold(worker.crash);
    const crash = await worker.dead();
    expect(shape(crash.snapshot.output)).toEqual([
      ['function_call', 'completed'],
      ['web_search_call', 'searching'],
    ]);

    const { final } = await resume(crash, base(scriptedModel([text('Noon.')]).model, [search.tool]));
    expect(search.runs).toEqual(['c1', 'c1']);
    expect(final.output).toMatchObject([
      { type: 'function_call', status: 'completed' },
      { type: 'web_search_call', call_id: 'c1', status: 'failed', superseded: true },
      { type: 'web_search_call', call_id: 'c1', status: 'completed' },
      { type: 'function_call_output', output: 'search: tides' },
      { type: 'message', status: 'completed' },
    ]);
    expect(final.output[2]).not.toHaveProperty('superseded');
  });

  it('runs again a call whose arguments never passed the check, whatever its tool', async () => {
    const charge = countedTool('charge');
    const bad = { id: 'c1', name: 'charge', arguments: '{"amount":5}' };
    const worker = crashingWorker(base(scriptedModel([calls(bad)]).model, [charge.tool]), {
      when: (event) => event.type === 'response.tool_call.started',
    });
    const crash = await worker.dead();
    const { final } = await resume(crash, base(scriptedModel([text('Retrying.')]).model, [charge.tool]));
    expect(charge.runs).toEqual([]);
    expect(final.output[1]).toMatchObject({
      type: 'function_call_output',
      output: expect.stringContaining('invalid arguments for charge'),
    });
  });
});

describe('resuming a run stopped while its calls wait for someone else', () => {
  const stopAfterCall = (event: ResponseEventBody) =>
    event.type === 'response.output_item.done' && event.item.type === 'function_call';

  it('hands a client-side call to the client, as the run was about to', async () => {
    const clientTool: RunTool = { definition: { name: 'ask_user', parameters: { type: 'object' } } };
    const worker = crashingWorker(
      base(scriptedModel([calls({ id: 'c1', name: 'ask_user', arguments: '{}' })]).model, [clientTool]),
      {
        when: stopAfterCall,
      },
    );
    const crash = await worker.dead();
    const next = scriptedModel([]);
    const { final } = await resume(crash, base(next.model, [clientTool]));
    expect(final.status).toBe('completed');
    expect(shape(final.output)).toEqual([['function_call', 'completed']]);
    expect(next.requests).toHaveLength(0);
  });

  it('asks for the approval a call needs, and runs nothing', async () => {
    const wire = countedTool('wire', { requiresApproval: true });
    const worker = crashingWorker(base(scriptedModel([calls(call('c1', 'wire', '5'))]).model, [wire.tool]), {
      when: stopAfterCall,
    });
    const crash = await worker.dead();
    const { final } = await resume(crash, base(scriptedModel([]).model, [wire.tool]));
    expect(final.status).toBe('completed');
    expect(shape(final.output)).toEqual([
      ['function_call', 'completed'],
      ['approval_request', 'completed'],
    ]);
    expect(wire.runs).toEqual([]);
  });

  it('does not run again an approved call in flight whose tool is not idempotent', async () => {
    const wire = countedTool('wire', { requiresApproval: true });
    const approved: Item[] = [
      {
        type: 'function_call',
        id: 'fc_0',
        call_id: 'w1',
        name: 'wire',
        arguments: '{"q":"5"}',
        status: 'completed',
      },
      {
        type: 'approval_request',
        id: 'apr_0',
        call_id: 'w1',
        name: 'wire',
        arguments: '{"q":"5"}',
        expires_at: 100,
        status: 'completed',
      },
      {
        type: 'approval_response',
        id: 'aprr_0',
        approval_request_id: 'apr_0',
        approve: true,
        status: 'completed',
      },
    ];
    // Approved in time (the run starts at 0); resumed after the request's time limit.
    const worker = crashingWorker({ ...base(scriptedModel([]).model, [wire.tool], approved), now: () => 0 });
    wire.hold(worker.crash);
    const crash = await worker.dead();
    const next = scriptedModel([text('The wire may not have gone out.')]);
    const { final } = await resume(crash, { ...base(next.model, [wire.tool], approved), now: () => 1_000 });
    expect(wire.runs).toEqual(['w1']);
    expect(final.output[0]).toMatchObject({
      type: 'function_call_output',
      call_id: 'w1',
      output: INTERRUPTED_CALL_OUTPUT,
    });
    expect(toolMessages(next.requests)).toEqual([
      { role: 'tool', toolCallId: 'w1', content: INTERRUPTED_CALL_OUTPUT },
    ]);
  });
});

describe('a run suspended during a tool call (a draining worker)', () => {
  it('records no output for the call it stopped, so that the next worker decides', async () => {
    const lookup = countedTool('lookup', { idempotent: true });
    const controller = new AbortController();
    lookup.hold(() => controller.abort(new RunSuspended()));
    const { sink, events } = memorySink();
    const stopped = await runLoop({
      ...base(scriptedModel([calls(call('c1', 'lookup', 'tides'))]).model, [lookup.tool]),
      response: queued(),
      signal: controller.signal,
      sink,
    });
    expect(stopped.status).toBe('in_progress');
    expect(shape(stopped.output)).toEqual([['function_call', 'completed']]);
    expect(events.map((event) => event.type)).not.toContain('response.tool_call.completed');

    const crash = { log: events, snapshot: stopped, stepsTaken: 1 };
    const { final } = await resume(crash, base(scriptedModel([text('Noon.')]).model, [lookup.tool]));
    expect(lookup.runs).toEqual(['c1', 'c1']);
    expect(final.output[1]).toMatchObject({ type: 'function_call_output', output: 'lookup: tides' });
  });
});

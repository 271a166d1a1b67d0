import type { ResponseEventBody } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { allGates, runLoop, type ToolCallGate } from '../src/index.js';
import { loopInput, memorySink } from './support/run-fixtures.js';
import { calls, scriptedModel, text } from './support/scripted-model.js';
import { countedTool } from './support/tools.js';

/** Denies calls whose `q` is `refund`, as a policy would; lets the rest run. */
const noRefunds: ToolCallGate = async (call) =>
  (call.arguments as { q: string }).q === 'refund'
    ? { by: 'policy', reason: "policy 'no-refunds' forbids it", policyId: 'pol_1' }
    : undefined;

function run(model: ReturnType<typeof scriptedModel>['model'], gate: ToolCallGate | undefined) {
  const lookup = countedTool('lookup');
  const { sink, events } = memorySink();
  const done = runLoop({
    ...loopInput(model, { tools: [lookup.tool], text: 'go', maxSteps: 5 }),
    sink,
    ...(gate ? { toolGate: gate } : {}),
  });
  return { done, events, runs: lookup.runs };
}

const denied = (events: ResponseEventBody[]) => events.filter((e) => e.type === 'response.tool_call.denied');

describe('a tool-call gate stops calls before they run', () => {
  it('never runs a denied call, tells the model why, and records the denial', async () => {
    const { model, requests } = scriptedModel([
      calls(
        { id: 'c1', name: 'lookup', arguments: '{"q":"refund"}' },
        { id: 'c2', name: 'lookup', arguments: '{"q":"status"}' },
      ),
      text('done'),
    ]);
    const { done, events, runs } = run(model, noRefunds);
    expect((await done).status).toBe('completed');
    expect(runs).toEqual(['c2']);
    const seen = JSON.stringify(requests[1]?.messages);
    expect(seen).toContain("Error: the call to lookup was not run: policy 'no-refunds' forbids it.");
    expect(seen).toContain('lookup: status');
    expect(denied(events)).toEqual([
      {
        type: 'response.tool_call.denied',
        call_id: 'c1',
        name: 'lookup',
        by: 'policy',
        reason: "policy 'no-refunds' forbids it",
        policy_id: 'pol_1',
      },
    ]);
    const completed = events.filter((e) => e.type === 'response.tool_call.completed');
    expect(completed.map((e) => (e as { status: string }).status).sort()).toEqual(['completed', 'denied']);
  });

  it('lets every call run without a gate', async () => {
    const { model } = scriptedModel([
      calls({ id: 'c1', name: 'lookup', arguments: '{"q":"refund"}' }),
      text('ok'),
    ]);
    const { done, events, runs } = run(model, undefined);
    expect((await done).status).toBe('completed');
    expect(runs).toEqual(['c1']);
    expect(denied(events)).toEqual([]);
  });

  it('composes gates: the first denial wins, and a retry time reaches the model', async () => {
    const limited: ToolCallGate = async () => ({
      by: 'rate_limit',
      reason: 'the tool rate limit is reached',
      retryAfterMs: 2500,
    });
    const { model, requests } = scriptedModel([
      calls({ id: 'c1', name: 'lookup', arguments: '{"q":"refund"}' }),
      text('ok'),
    ]);
    const { done, runs } = run(model, allGates([limited, noRefunds]));
    expect((await done).status).toBe('completed');
    expect(runs).toEqual([]);
    expect(JSON.stringify(requests[1]?.messages)).toContain(
      'the tool rate limit is reached. It may succeed after 3 s.',
    );
  });
});

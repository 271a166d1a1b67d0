import type { IncompleteDetails, ResponseUsage } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { runLoop } from '../src/index.js';
import { loopInput, memorySink } from './support/run-fixtures.js';
import { calls, scriptedModel, text } from './support/scripted-model.js';
import { countedTool } from './support/tools.js';

function run(before: (usage: ResponseUsage) => Promise<IncompleteDetails | undefined>) {
  const { model, requests } = scriptedModel([
    calls({ id: 'c1', name: 'lookup', arguments: '{"q":"a"}' }),
    text('done'),
  ]);
  const lookup = countedTool('lookup');
  const { sink } = memorySink();
  const done = runLoop({
    ...loopInput(model, { tools: [lookup.tool], text: 'go', maxSteps: 5 }),
    sink,
    beforeModelCall: before,
  });
  return { done, requests };
}

describe('beforeModelCall ends a run before a model call it refuses', () => {
  it('sees the usage so far and ends the run incomplete with its details', async () => {
    const seen: number[] = [];
    const { done, requests } = run(async (usage) => {
      seen.push(usage.total_tokens);
      return usage.total_tokens > 0
        ? { reason: 'budget_exceeded', message: "tenant budget 'tokens per day' (10) reached" }
        : undefined;
    });
    const final = await done;
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({
      reason: 'budget_exceeded',
      message: "tenant budget 'tokens per day' (10) reached",
    });
    expect(seen).toEqual([0, 28]);
    expect(requests).toHaveLength(1);
    expect(final.usage?.total_tokens).toBe(28);
  });

  it('lets every call through when it answers nothing', async () => {
    const { done, requests } = run(async () => undefined);
    expect((await done).status).toBe('completed');
    expect(requests).toHaveLength(2);
  });
});

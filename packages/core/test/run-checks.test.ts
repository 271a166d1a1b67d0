import type { Item, ResponseEventBody, SafetyResult, SafetyVerdict } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { REFUSED_INPUT, type RunChecks, runLoop, type StreamCheck, WITHHELD_ANSWER } from '../src/index.js';
import { loopInput, memorySink, userMessage } from './support/run-fixtures.js';
import { calls, scriptedModel, text } from './support/scripted-model.js';
import { countedTool } from './support/tools.js';

const verdict = (action: SafetyVerdict['action'], reason: string): SafetyVerdict => ({
  phase: 'rules',
  action,
  categories: action === 'allow' ? [] : ['prompt_injection'],
  scores: {},
  reason,
  durationMs: 0,
});

/** A check that blocks text holding `bad` and redacts `secret`; everything else passes. */
async function pipeline(textIn: string): Promise<SafetyResult> {
  if (textIn.includes('bad'))
    return { action: 'block', text: textIn, verdicts: [verdict('block', 'bad word')] };
  if (textIn.includes('secret')) {
    return {
      action: 'redact',
      text: textIn.replaceAll('secret', '[redacted]'),
      verdicts: [verdict('redact', 'a secret')],
    };
  }
  return { action: 'allow', text: textIn, verdicts: [verdict('allow', 'clean')] };
}

/** Holds back the last 4 characters; blocks once the text so far holds `bad`. */
function holdBack(): StreamCheck {
  let all = '';
  let released = 0;
  const step = (final: boolean) => {
    if (all.includes('bad'))
      return {
        type: 'block' as const,
        verdicts: [verdict('block', 'bad word')],
        withheld: all.slice(released),
      };
    const until = final ? all.length : Math.max(released, all.length - 4);
    const out = all.slice(released, until);
    released = until;
    return { type: 'release' as const, text: out, verdicts: [] };
  };
  return {
    push: (delta) => {
      all += delta;
      return step(false);
    },
    end: () => step(true),
  };
}

const user = userMessage;

function run(
  history: Item[],
  model: ReturnType<typeof scriptedModel>['model'],
  checks: RunChecks,
  tools = [],
) {
  const { sink, events } = memorySink();
  const done = runLoop({ ...loopInput(model, { tools, history, text: null, maxSteps: 5 }), sink, checks });
  return { done, events };
}

const checkedEvents = (events: ResponseEventBody[]) =>
  events.filter((event) => event.type === 'response.safety.checked');

describe('the loop runs its checks on input, tool results and streamed output', () => {
  it('refuses a blocked input with a refusal and content_filter, and never calls the model', async () => {
    const { model, requests } = scriptedModel([text('never')]);
    const { done, events } = run([user('do something bad')], model, { input: pipeline });
    const final = await done;
    expect(requests).toHaveLength(0);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'content_filter' });
    expect(final.output).toEqual([
      expect.objectContaining({ role: 'assistant', content: [{ type: 'refusal', refusal: REFUSED_INPUT }] }),
    ]);
    expect(checkedEvents(events)).toEqual([
      expect.objectContaining({ surface: 'user_input', action: 'block', item_id: 'msg_in' }),
    ]);
  });

  it('sends the model a redacted input, and records the redaction', async () => {
    const { model, requests } = scriptedModel([text('done')]);
    const { done, events } = run([user('my secret is 42')], model, { input: pipeline });
    expect((await done).status).toBe('completed');
    expect(JSON.stringify(requests[0]?.messages)).toContain('my [redacted] is 42');
    expect(JSON.stringify(requests[0]?.messages)).not.toContain('secret');
    expect(checkedEvents(events)).toEqual([
      expect.objectContaining({ surface: 'user_input', action: 'redact' }),
    ]);
  });

  it('records nothing for a clean input', async () => {
    const { model } = scriptedModel([text('done')]);
    const { done, events } = run([user('hello')], model, { input: pipeline });
    expect((await done).status).toBe('completed');
    expect(checkedEvents(events)).toEqual([]);
  });

  it('withholds a blocked tool result from the model, keeping it in the log for the audit', async () => {
    const lookup = countedTool('lookup');
    const { model, requests } = scriptedModel([
      calls({ id: 'c1', name: 'lookup', arguments: '{"q":"bad page"}' }),
      text('ok'),
    ]);
    const { done, events } = run(
      [user('look it up')],
      model,
      { toolOutput: (_tool, output) => pipeline(output) },
      [lookup.tool] as never,
    );
    expect((await done).status).toBe('completed');
    const seen = JSON.stringify(requests[1]?.messages);
    expect(seen).toContain('withheld by the safety checks (bad word)');
    expect(seen).not.toContain('lookup: bad page');
    expect(checkedEvents(events)).toEqual([
      expect.objectContaining({
        surface: 'tool_output',
        action: 'block',
        item_id: 'c1',
        withheld: 'lookup: bad page',
      }),
    ]);
  });

  it('streams only checked text, and ends a blocked answer where it stops, with nothing of the blocked span sent', async () => {
    const { model } = scriptedModel([
      [
        { type: 'text-delta', delta: 'Here is the plan. ' },
        { type: 'text-delta', delta: 'Step one is ba' },
        { type: 'text-delta', delta: 'd and more' },
        { type: 'finish', reason: 'stop' },
      ],
    ]);
    const { done, events } = run([user('plan')], model, { stream: holdBack });
    const final = await done;
    const sent = events
      .flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []))
      .join('');
    expect(sent).not.toContain('bad');
    expect('Here is the plan. Step one is bad and more'.startsWith(sent)).toBe(true);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'content_filter' });
    const message = final.output[0] as { content: { type: string }[] };
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'output_text', text: sent }),
      { type: 'refusal', refusal: WITHHELD_ANSWER },
    ]);
    const [blocked] = checkedEvents(events);
    expect(blocked).toMatchObject({ surface: 'model_output', action: 'block' });
    expect((blocked as { withheld: string }).withheld).toContain('bad');
  });

  it('releases a clean streamed answer in full', async () => {
    const { model } = scriptedModel([text('all clean here')]);
    const { done } = run([user('hi')], model, { stream: holdBack });
    const final = await done;
    expect(final.status).toBe('completed');
    expect((final.output[0] as { content: { text: string }[] }).content[0]?.text).toBe('all clean here');
  });
});

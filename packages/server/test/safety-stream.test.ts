/**
 * Streamed answers under the default safety setting, as a user of the
 * official `openai` client's stream helper sees them: text is held back
 * 200 characters while the rules and the classifier read it, a pause in the
 * model's stream releases what was checked (so a slow answer still arrives
 * as it is written), and a denied term split across deltas and pauses never
 * reaches the client, not even its first half.
 */

import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

describe('streamed answers under the default safety setting (pglite)', () => {
  const suite = fakeModelSuite({ backend: 'pglite' });

  async function consume(model: string) {
    const stream = suite.client.responses.stream({ model, input: 'What is the plan?' });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const deltas = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    return { events, deltas, final: await stream.finalResponse() };
  }

  it('sends a slow answer as the model writes it, not all at its end', async () => {
    // Each chunk comes after a pause longer than the 250 ms that releases checked text.
    const chunks = ['The museum ', 'opens at ', 'nine and ', 'closes at six.'];
    suite.fake.enqueue({ chunks, chunkDelayMs: 400 });
    const { deltas, final } = await consume('fake-model');
    expect(final.status).toBe('completed');
    expect(deltas.join('')).toBe(chunks.join(''));
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas[0]).toBe('The museum ');
  });

  it('never sends a denied term split across deltas and pauses; the answer ends incomplete', async () => {
    const agent = await suite.api.post('/v1/agents', {
      name: 'codenames',
      safety: { deny_list: ['Project Nightingale'] },
    });
    expect(agent.status).toBe(200);
    suite.fake.enqueue({
      chunks: ['The plan is called Pro', 'ject Night', 'ingale and it ', 'ships in May.'],
      chunkDelayMs: 400,
    });
    const { events, deltas, final } = await consume('agent:codenames');
    const streamed = deltas.join('');
    expect(streamed).toBe('The plan is called ');
    expect(JSON.stringify(events)).not.toMatch(/night|ships in may/i);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'content_filter' });
    expect(final.output_text).toBe('The plan is called ');
    const stored = await suite.client.responses.retrieve(final.id);
    expect(JSON.stringify(stored)).not.toMatch(/night/i);
  });
});

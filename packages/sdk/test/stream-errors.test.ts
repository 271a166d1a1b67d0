import { Agentd, AgentdError } from '@agentd/sdk';
import { describe, expect, it } from 'vitest';

/** A fetch that answers every request with this event stream. */
const streaming = (text: string) => async () =>
  new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });

describe('a stream that ends in an error event', () => {
  it('yields the event, then finalResponse throws it as an AgentdError with its code', async () => {
    const client = new Agentd({
      baseURL: 'http://agentd.invalid',
      apiKey: 'k',
      fetch: streaming(
        'id: 1\ndata: {"type":"error","code":"model_unavailable","message":"The model is down","param":null,"sequence_number":1}\n\n',
      ),
    });
    const stream = client.responses.stream({ input: 'x' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['error']);
    const error = await stream.finalResponse().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentdError);
    expect(error).toMatchObject({ code: 'model_unavailable', message: 'The model is down' });
  });
});

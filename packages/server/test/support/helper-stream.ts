import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

export type HelperStream = ReturnType<OpenAI['responses']['stream']>;

/** What a user of the official client's stream helper sees: each event, then `finalResponse()`. */
export async function consumeHelperStream(stream: HelperStream) {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const final = await stream.finalResponse();
  const types = events.map((event) => event.type as string);
  return { events, types, final };
}

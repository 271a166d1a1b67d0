import type { Agentd } from '@agentd/sdk';
import type { Item, ResponseEvent } from '@agentd/spec';
import { buildReplay, type Replay } from './replay-model.js';

const EVENT_PAGE = 1000;
const ITEM_PAGE = 100;

/** Reads a response, its input items and its whole event log through the SDK, and builds its replay. */
export async function loadReplay(client: Agentd, responseId: string): Promise<Replay> {
  const response = await client.responses.retrieve(responseId);
  const inputItems: Item[] = [];
  for (let after: string | undefined; ; ) {
    const page = await client.responses.inputItems(responseId, {
      limit: ITEM_PAGE,
      order: 'asc',
      ...(after ? { after } : {}),
    });
    inputItems.push(...page.data);
    if (!page.has_more || page.last_id === null) break;
    after = page.last_id;
  }
  const events: ResponseEvent[] = [];
  for (let after = 0; ; ) {
    const page = await client.responses.events(responseId, { after, limit: EVENT_PAGE });
    events.push(...page.data);
    const last = page.data[page.data.length - 1];
    if (!page.has_more || last === undefined) break;
    after = last.sequence_number;
  }
  return buildReplay({ response, inputItems, events });
}

import type { ResponseEvent } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { ChatAnswer } from '../src/chat-completions/chat-answer.js';

let sequence = 0;
const at = <T extends object>(event: T) =>
  ({ ...event, sequence_number: ++sequence }) as unknown as ResponseEvent;
const delta = (text: string, itemId: string, index: number) =>
  at({
    type: 'response.output_text.delta',
    item_id: itemId,
    output_index: index,
    content_index: 0,
    delta: text,
    logprobs: [],
  });

describe('a chat answer of a run resumed after a worker failure', () => {
  it('says that the cut-short answer starts again, since a chat client cannot take its text back', () => {
    const answer = new ChatAnswer('resp_1');
    const events = [
      delta('The first ', 'msg_1', 0),
      delta('draft', 'msg_1', 0),
      at({
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          content: [{ type: 'output_text', text: '', annotations: [] }],
          status: 'incomplete',
          superseded: true,
        },
      }),
      at({
        type: 'response.content_part.added',
        item_id: 'msg_2',
        output_index: 1,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      }),
      delta('Forty-two.', 'msg_2', 1),
    ];
    const text = events.map((event) => answer.textOf(event) ?? '').join('');
    expect(text).toBe(
      'The first draft\n\n*The answer above was cut short by a worker failure; it starts again.*\n\nForty-two.',
    );
  });
});

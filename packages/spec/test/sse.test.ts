import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../src/sse/sse-parser.js';

function parse(...chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return events;
}

describe('the SSE parser', () => {
  it('reads data, event and id fields and ignores comments', () => {
    expect(
      parse(': keep-alive\n\nevent: response.created\nid: 7\ndata: {"a":1}\n\ndata: [DONE]\n\n'),
    ).toEqual([{ event: 'response.created', id: '7', data: '{"a":1}' }, { data: '[DONE]' }]);
  });

  it('joins multi-line data and keeps a value without the optional space', () => {
    expect(parse('data:first\ndata: second\n\n')).toEqual([{ data: 'first\nsecond' }]);
  });

  it('accepts \\r\\n and \\r line ends, even when a chunk splits \\r from \\n', () => {
    expect(parse('data: a\r', '\n\r', '\ndata: b\r\rdata: c\r\n\r\n')).toEqual([
      { data: 'a' },
      { data: 'b' },
      { data: 'c' },
    ]);
  });

  it('gives the same events however the text is split', () => {
    const text = 'event: x\ndata: {"text":"héllo"}\n\ndata: two\n\n';
    const whole = parse(text);
    expect(parse(...text.split(''))).toEqual(whole);
    expect(parse(text.slice(0, 5), text.slice(5, 23), text.slice(23))).toEqual(whole);
  });

  it('strips a leading byte order mark', () => {
    expect(parse('\uFEFFdata: x\n\n')).toEqual([{ data: 'x' }]);
  });

  it('flushes a last event that lacks the closing blank line', () => {
    expect(parse('data: {"done":true}')).toEqual([{ data: '{"done":true}' }]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(parse('event: ping\n\n: comment\n\n')).toEqual([]);
  });
});

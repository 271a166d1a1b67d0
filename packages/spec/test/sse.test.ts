import { describe, expect, it } from 'vitest';
import { createSseParser, type ReadSseOptions, readSse, type SseMessage } from '../src/sse.js';

function parse(...chunks: string[]): SseMessage[] {
  const events: SseMessage[] = [];
  const parser = createSseParser((event) => events.push(event), { dispatchUnterminated: true });
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

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, options?: ReadSseOptions): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of readSse(stream, options)) messages.push(message);
  return messages;
}

describe('readSse over a body', () => {
  it('reads events, ids and retry across byte chunks (a character split between chunks too)', async () => {
    const bytes = new TextEncoder().encode('id: 1\nretry: 500\ndata: é\n\nid: 2\ndata: b\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual([
      { id: '1', retry: 500, data: 'é' },
      { id: '2', data: 'b' },
    ]);
  });

  it('drops half an event left by a cut connection, unless asked to deliver it', async () => {
    expect(await collect(body('id: 1\ndata: {"a":1}\n\nid: 2\ndata: {"a"'))).toEqual([
      { id: '1', data: '{"a":1}' },
    ]);
    expect(await collect(body('data: x'), { dispatchUnterminated: true })).toEqual([{ data: 'x' }]);
  });

  it('stops with the signal’s reason when aborted, and cancels the body', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const controller = new AbortController();
    const seen: string[] = [];
    await expect(async () => {
      for await (const message of readSse(endless, { signal: controller.signal })) {
        seen.push(message.data);
        if (seen.length === 3) controller.abort(new Error('enough'));
      }
    }).rejects.toThrow('enough');
    expect(seen).toEqual(['tick', 'tick', 'tick']);
    expect(cancelled).toBe(true);
  });
});

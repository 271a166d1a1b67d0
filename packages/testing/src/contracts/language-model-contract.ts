import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';
import { describe, expect, it } from 'vitest';

/** What the suite needs of one model: the model, and requests it answers as the test asks. */
export interface LanguageModelSubject {
  model: LanguageModel;
  /**
   * A request the model answers with text holding `text` (the HTTP providers:
   * the fake server is told to stream it; the scripted model: it reports a
   * tool result), in at least two deltas; `text` is the whole answer expected.
   */
  textTurn(text: string): { request: ModelRequest; text: string };
  /** A request the model answers with one call of `name` with `args`. */
  toolCallTurn(name: string, args: Record<string, unknown>): ModelRequest;
  /**
   * Resolves once the model holds nothing more for the streams it was asked
   * for (the HTTP providers: the server saw every connection close). Absent
   * for a model that holds nothing (the scripted model).
   */
  released?(): Promise<void>;
  /** How many requests reached the model's server so far; absent for a model without one. */
  requestsSent?(): number;
}

const ANSWER = 'Sea otters hold hands while they sleep, so that the current does not part them.';

export async function collectParts(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The text deltas joined. */
export function textOfParts(parts: readonly ModelStreamPart[]): string {
  return parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
}

/**
 * What the run loop relies on in every stream: one finish, last; usage before
 * it, in whole non-negative tokens; a tool call's start before its deltas,
 * its deltas before the call, and the call's arguments the deltas joined.
 */
function expectWellFormed(parts: readonly ModelStreamPart[]): void {
  const finishes = parts.filter((part) => part.type === 'finish');
  expect(finishes).toHaveLength(1);
  expect(parts.at(-1)?.type).toBe('finish');
  for (const part of parts) {
    if (part.type !== 'usage') continue;
    for (const tokens of [part.usage.inputTokens, part.usage.outputTokens]) {
      expect(Number.isInteger(tokens) && tokens >= 0).toBe(true);
    }
  }
  const indexes = new Set(
    parts.flatMap((part) =>
      part.type === 'tool-call' || part.type === 'tool-call-start' ? [part.index] : [],
    ),
  );
  for (const index of indexes) {
    const own = parts
      .map((part, at) => ({ part, at }))
      .filter(({ part }) => 'index' in part && part.index === index);
    const call = own.find(({ part }) => part.type === 'tool-call');
    expect(call, `tool call ${index} completes`).toBeDefined();
    expect(own.at(-1)).toBe(call);
    const start = own.find(({ part }) => part.type === 'tool-call-start');
    if (start) expect(own[0]).toBe(start);
    const deltas = own.flatMap(({ part }) => (part.type === 'tool-call-delta' ? [part.delta] : []));
    const args = call?.part.type === 'tool-call' ? call.part.call.arguments : undefined;
    if (deltas.length > 0) expect(deltas.join('')).toBe(args);
  }
}

/**
 * The behaviour every LanguageModel promises the run loop, run against each
 * implementation (the OpenAI-compatible providers against the fake OpenAI
 * server, the scripted model as it is): the stream's order, tool calls
 * assembled, and cancellation, which stops the stream with the caller's
 * reason and releases what the stream held.
 */
export function describeLanguageModelContract(name: string, make: () => LanguageModelSubject): void {
  describe(`LanguageModel contract: ${name}`, () => {
    it('streams a text answer in deltas, then usage, then one finish: stop', async () => {
      const subject = make();
      const turn = subject.textTurn(ANSWER);
      const parts = await collectParts(subject.model.stream(turn.request));
      expectWellFormed(parts);
      expect(textOfParts(parts)).toBe(turn.text);
      expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThanOrEqual(2);
      expect(parts.some((part) => part.type === 'usage')).toBe(true);
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      const finishAt = parts.length - 1;
      expect(parts.findLastIndex((part) => part.type === 'usage')).toBeLessThan(finishAt);
    });

    it('assembles a tool call: an id, the name, the arguments as JSON, and a finish of tool-calls', async () => {
      const subject = make();
      const args = { city: 'Paris', days: 3, units: 'metric' };
      const parts = await collectParts(subject.model.stream(subject.toolCallTurn('get_weather', args)));
      expectWellFormed(parts);
      const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.call] : []));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.id).toMatch(/\S/);
      expect(calls[0]?.name).toBe('get_weather');
      expect(JSON.parse(calls[0]?.arguments ?? 'null')).toEqual(args);
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
    });

    it('gives each stream its own answer when two run at once', async () => {
      const subject = make();
      const first = subject.textTurn('The first answer is about otters and rivers.');
      const second = subject.textTurn('The second answer is about owls and forests.');
      const [a, b] = await Promise.all([
        collectParts(subject.model.stream(first.request)),
        collectParts(subject.model.stream(second.request)),
      ]);
      expect(new Set([textOfParts(a), textOfParts(b)])).toEqual(new Set([first.text, second.text]));
      expectWellFormed(a);
      expectWellFormed(b);
    });

    it('stops mid-stream when aborted: the iterator throws the reason, and nothing is held', async () => {
      const subject = make();
      const turn = subject.textTurn(ANSWER);
      const controller = new AbortController();
      const reason = new Error('the user pressed stop');
      const parts: ModelStreamPart[] = [];
      const consume = async () => {
        for await (const part of subject.model.stream(turn.request, controller.signal)) {
          parts.push(part);
          if (part.type === 'text-delta') controller.abort(reason);
        }
      };
      await expect(consume()).rejects.toBe(reason);
      expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(1);
      expect(parts.some((part) => part.type === 'finish')).toBe(false);
      await subject.released?.();
    });

    it('throws the reason of a signal aborted before the call, and sends nothing', async () => {
      const subject = make();
      const controller = new AbortController();
      const reason = new Error('cancelled before the start');
      controller.abort(reason);
      const parts: ModelStreamPart[] = [];
      const consume = async () => {
        for await (const part of subject.model.stream(subject.textTurn(ANSWER).request, controller.signal)) {
          parts.push(part);
        }
      };
      await expect(consume()).rejects.toBe(reason);
      expect(parts).toEqual([]);
      expect(subject.requestsSent?.() ?? 0).toBe(0);
    });

    it('releases the stream when the consumer stops reading early', async () => {
      const subject = make();
      let deltas = 0;
      for await (const part of subject.model.stream(subject.textTurn(ANSWER).request)) {
        if (part.type === 'text-delta' && ++deltas === 1) break;
      }
      expect(deltas).toBe(1);
      await subject.released?.();
    });
  });
}

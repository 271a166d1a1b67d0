import { randomBytes } from 'node:crypto';
import type { FakeToolCall, FakeTurn } from './types.js';

export interface TurnContent {
  textChunks: string[];
  text: string;
  reasoningChunks: string[];
  reasoning: string;
  toolCalls: Required<FakeToolCall>[];
  finishReason: NonNullable<FakeTurn['finishReason']>;
  usage: { prompt_tokens: number; completion_tokens: number };
}

/** Resolves a turn's defaults: split text, tool call ids, finish reason, estimated usage. */
export function turnContent(turn: FakeTurn, requestBody: unknown): TurnContent {
  const textChunks = turn.chunks ?? splitWords(turn.text ?? '');
  const reasoningChunks = splitWords(turn.reasoning ?? '');
  const toolCalls = (turn.toolCalls ?? []).map((call) => ({ ...call, id: call.id ?? fakeId('call_') }));
  const text = textChunks.join('');
  const reasoning = reasoningChunks.join('');
  const output = text + reasoning + toolCalls.map((call) => call.name + call.arguments).join('');
  return {
    textChunks,
    text,
    reasoningChunks,
    reasoning,
    toolCalls,
    finishReason: turn.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: turn.usage ?? {
      prompt_tokens: Math.ceil(JSON.stringify(requestBody ?? '').length / 4),
      completion_tokens: Math.ceil(output.length / 4),
    },
  };
}

/** "Hello there, friend." → ["Hello", " there,", " friend."], as tokens arrive. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Arguments arrive a few characters at a time, splitting JSON tokens. */
export function splitArguments(text: string, size = 6): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

export function fakeId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Round-robin over several lists: [[a1, a2], [b1]] → [a1, b1, a2]. */
export function interleave<T>(lists: T[][]): T[] {
  const result: T[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++)
    for (const list of lists) if (i < list.length) result.push(list[i]!);
  return result;
}

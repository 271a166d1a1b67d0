import type { ContentPart, Item, MessageRole, ModelMessage, ModelToolCall, OutputItem } from '@agentd/spec';
import { isSuperseded } from './interrupted-turn.js';

/** A rough, provider-neutral token estimate: about four characters a token, plus framing. */
export function estimateTokens(message: ModelMessage): number {
  let chars = message.content.length;
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length + 16;
  }
  return Math.ceil(chars / 4) + 4;
}

function textOf(content: ContentPart[]): string {
  return content.map((part) => (part.type === 'refusal' ? part.refusal : part.text)).join('');
}

/**
 * A message item's role in the prompt. The caller's own `system` and
 * `developer` items stay system messages where they are in the history,
 * after the run's instructions; nothing else is ever made a system message.
 */
function messageRole(role: MessageRole): 'system' | 'user' | 'assistant' {
  switch (role) {
    case 'assistant':
      return 'assistant';
    case 'system':
    case 'developer':
      return 'system';
    default:
      return 'user';
  }
}

/**
 * Conversation items as chat messages. Consecutive function calls join the
 * assistant turn they belong to; reasoning items are not sent back, nor are
 * items a worker failure cut short and a new attempt superseded.
 */
export function itemsToMessages(items: readonly (Item | OutputItem)[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const item of items) {
    if (isSuperseded(item)) continue;
    switch (item.type) {
      case 'message': {
        messages.push({ role: messageRole(item.role), content: textOf(item.content) });
        break;
      }
      case 'function_call': {
        const call: ModelToolCall = { id: item.call_id, name: item.name, arguments: item.arguments };
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
        else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
        break;
      }
      case 'function_call_output':
        messages.push({ role: 'tool', toolCallId: item.call_id, content: item.output });
        break;
      case 'reasoning':
      case 'approval_request':
      case 'approval_response':
        break;
    }
  }
  return answerDanglingCalls(messages);
}

/**
 * A tool call with no result (one that waited for an approval that never
 * came) would be rejected by model APIs: it gets a result saying it did not run.
 */
function answerDanglingCalls(messages: ModelMessage[]): ModelMessage[] {
  const answered = new Set(
    messages.flatMap((message) => (message.role === 'tool' ? [message.toolCallId] : [])),
  );
  const out: ModelMessage[] = [];
  for (const message of messages) {
    out.push(message);
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) {
      if (answered.has(call.id)) continue;
      out.push({
        role: 'tool',
        toolCallId: call.id,
        content: 'Error: this call was not executed: it was not approved.',
      });
    }
  }
  return out;
}

/** A prompt over the budget with truncation `disabled`: the run fails, as OpenAI's does. */
export class ContextLengthExceeded extends Error {
  readonly code = 'context_length_exceeded';
  constructor(tokens: number, budget: number) {
    super(
      `The prompt is about ${tokens} tokens, over the context budget of ${budget} tokens, and truncation is "disabled"; with truncation "auto" the oldest turns are dropped instead.`,
    );
    this.name = 'ContextLengthExceeded';
  }
}

/**
 * Fits the history into `budget` tokens by dropping the oldest turns first.
 * An assistant tool-call message and its tool results go together; the
 * system prompt and the newest turn are always kept. With truncation
 * `disabled` nothing is dropped: a prompt over the budget throws.
 */
export function fitToBudget(
  system: ModelMessage[],
  history: ModelMessage[],
  budget: number,
  truncation: 'auto' | 'disabled' = 'auto',
): ModelMessage[] {
  const units: ModelMessage[][] = [];
  for (const message of history) {
    const current = units.at(-1);
    if (message.role === 'tool' && current?.[0]?.role === 'assistant') current.push(message);
    else units.push([message]);
  }
  const cost = (unit: ModelMessage[]) => unit.reduce((sum, message) => sum + estimateTokens(message), 0);
  let total =
    system.reduce((sum, message) => sum + estimateTokens(message), 0) +
    units.reduce((s, u) => s + cost(u), 0);
  if (truncation === 'disabled' && total > budget) throw new ContextLengthExceeded(total, budget);
  let start = 0;
  while (total > budget && start < units.length - 1) {
    total -= cost(units[start]!);
    start++;
  }
  // A tool result whose call was dropped would be rejected by the model API.
  const kept = units.slice(start).flat();
  while (kept[0]?.role === 'tool') kept.shift();
  return [...system, ...kept];
}

import type { Item, MessageItem, ResponseEventBody } from '@agentd/spec';
import { checkedEvent, REFUSED_INPUT, type RunChecks } from './run-checks.js';

/** The run's new input: the user messages that end its history. */
function newInput(history: readonly Item[]): { start: number; messages: MessageItem[] } {
  let start = history.length;
  while (start > 0) {
    const item = history[start - 1];
    if (item?.type !== 'message' || item.role !== 'user') break;
    start -= 1;
  }
  return { start, messages: history.slice(start) as MessageItem[] };
}

/**
 * Checks the run's new input before the first model call. Each text part is
 * checked on its own; a block anywhere refuses the run (the model is never
 * called), a redaction replaces that part in what the model reads. Returns
 * the history the model is given, or undefined when the input was refused.
 */
export async function checkInput(
  check: NonNullable<RunChecks['input']>,
  history: readonly Item[],
  signal: AbortSignal,
  emit: (event: ResponseEventBody) => void,
): Promise<readonly Item[] | undefined> {
  const { start, messages } = newInput(history);
  const checked: MessageItem[] = [];
  for (const message of messages) {
    const content = [];
    for (const part of message.content) {
      if (part.type !== 'input_text' && part.type !== 'output_text') {
        content.push(part);
        continue;
      }
      const result = await check(part.text, signal);
      const recorded = checkedEvent('user_input', result, { item_id: message.id });
      if (recorded) emit(recorded);
      if (result.action === 'block') return undefined;
      content.push({ ...part, text: result.text });
    }
    checked.push({ ...message, content });
  }
  return [...history.slice(0, start), ...checked];
}

/** The answer of a run whose input was refused: a refusal, as OpenAI's models give one. */
export function refusalMessage(id: string): MessageItem {
  return {
    type: 'message',
    id,
    role: 'assistant',
    content: [{ type: 'refusal', refusal: REFUSED_INPUT }],
    status: 'completed',
  };
}

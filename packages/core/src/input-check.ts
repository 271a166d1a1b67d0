import type { FunctionCallOutputItem, Item, MessageItem, ResponseEventBody } from '@agentd/spec';
import { checkedEvent, REFUSED_INPUT, type RunChecks, withheldToolOutput } from './run-checks.js';

/**
 * The run's new input: the user messages and the results of the client's
 * own tools (function_call_output items it sends back) that end its history.
 */
function newInputStart(history: readonly Item[]): number {
  let start = history.length;
  while (start > 0) {
    const item = history[start - 1];
    const fresh = (item?.type === 'message' && item.role === 'user') || item?.type === 'function_call_output';
    if (!fresh) break;
    start -= 1;
  }
  return start;
}

/**
 * Checks the run's new input before the first model call. Each text part of
 * a user message is checked on its own (`user_input`); a block anywhere
 * refuses the run (the model is never called), a redaction replaces that part
 * in what the model reads. A result the client sends for its own tool is
 * checked as tool output, like the results of the tools agentd runs: a block
 * withholds it (the model reads why), a redaction replaces it. Returns the
 * history the model is given, or undefined when the input was refused.
 */
export async function checkInput(
  checks: RunChecks,
  history: readonly Item[],
  signal: AbortSignal,
  emit: (event: ResponseEventBody) => void,
): Promise<readonly Item[] | undefined> {
  const start = newInputStart(history);
  const checked: Item[] = [];
  for (const item of history.slice(start)) {
    if (item.type === 'function_call_output') {
      checked.push(await checkToolResult(checks, item, toolName(history, item.call_id), signal, emit));
      continue;
    }
    if (item.type !== 'message' || !checks.input) {
      checked.push(item);
      continue;
    }
    const message = await checkMessage(checks.input, item, signal, emit);
    if (!message) return undefined;
    checked.push(message);
  }
  return [...history.slice(0, start), ...checked];
}

async function checkMessage(
  check: NonNullable<RunChecks['input']>,
  message: MessageItem,
  signal: AbortSignal,
  emit: (event: ResponseEventBody) => void,
): Promise<MessageItem | undefined> {
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
  return { ...message, content };
}

async function checkToolResult(
  checks: RunChecks,
  item: FunctionCallOutputItem,
  tool: string,
  signal: AbortSignal,
  emit: (event: ResponseEventBody) => void,
): Promise<FunctionCallOutputItem> {
  if (!checks.toolOutput || typeof item.output !== 'string') return item;
  const result = await checks.toolOutput(tool, item.output, signal);
  const blocked = result.action === 'block';
  const recorded = checkedEvent('tool_output', result, {
    item_id: item.call_id,
    ...(blocked ? { withheld: item.output } : {}),
  });
  if (recorded) emit(recorded);
  if (blocked) return { ...item, output: withheldToolOutput(tool, result.verdicts) };
  return result.text === item.output ? item : { ...item, output: result.text };
}

/** The name of the function the client answered (from its call earlier in the history). */
function toolName(history: readonly Item[], callId: string): string {
  for (const item of history) if (item.type === 'function_call' && item.call_id === callId) return item.name;
  return 'a client tool';
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

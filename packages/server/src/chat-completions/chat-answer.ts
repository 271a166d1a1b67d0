import type { OutputItem, ResponseEvent, ResponseObject } from '@agentd/spec';

/** A tool call the chat client runs, in the Chat Completions shape. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

const LONGEST_DETAIL = 80;

/**
 * Turns a run's events into the text of a chat answer. A chat application
 * shows only text, so the agent's work appears as short lines between its
 * words: which tool runs (and on what), a tool that failed, an image a tool
 * made, an approval the run waits for.
 */
export class ChatAnswer {
  private written = false;
  private blockStarts = true;

  constructor(private readonly responseId: string) {}

  /** The text this event adds to the answer, if any. */
  textOf(event: ResponseEvent): string | undefined {
    switch (event.type) {
      case 'response.content_part.added':
        this.blockStarts = true;
        return undefined;
      case 'response.output_text.delta':
        return event.delta ? this.write(event.delta) : undefined;
      case 'response.tool_call.started':
        return this.line(`Running ${event.name}${detailOf(event.arguments)}…`);
      case 'response.tool_call.completed':
        return event.status === 'completed' ? undefined : this.line(failureOf(event.name, event.status));
      case 'response.output_item.done':
        return this.itemText(event.item);
      default:
        return undefined;
    }
  }

  private itemText(item: OutputItem): string | undefined {
    if (item.type === 'message' && item.superseded) {
      // A worker failure cut the answer short and the model is asked again; sent text cannot be taken back.
      return this.line('The answer above was cut short by a worker failure; it starts again.');
    }
    if (item.type === 'approval_request') {
      return this.line(
        `${item.name} needs approval before it runs: approve or deny ${item.id} of response ${this.responseId} through the agentd API.`,
      );
    }
    if (item.type === 'code_interpreter_call' || item.type === 'web_search_call') {
      // Only a URL a browser can open is worth showing; a relative one needs the API key.
      const images = (item.outputs ?? []).flatMap((output) =>
        output.type === 'image' && /^https?:\/\//.test(output.url) ? [`![image](${output.url})`] : [],
      );
      return images.length > 0 ? this.block(images.join('\n')) : undefined;
    }
    return undefined;
  }

  /** A line of its own, in italics, apart from the model's words. */
  private line(text: string): string {
    return this.block(`*${text}*`);
  }

  private block(text: string): string {
    this.blockStarts = true;
    const out = this.write(text);
    this.blockStarts = true;
    return out;
  }

  private write(text: string): string {
    const out = this.written && this.blockStarts ? `\n\n${text}` : text;
    this.written = true;
    this.blockStarts = false;
    return out;
  }
}

/** What a tool call was about, from its arguments: a query, a URL or a path, if it has one. */
function detailOf(args: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return '';
  }
  if (!parsed || typeof parsed !== 'object') return '';
  const record = parsed as Record<string, unknown>;
  const detail = ['query', 'url', 'path'].map((key) => record[key]).find((v) => typeof v === 'string');
  if (typeof detail !== 'string' || detail.length === 0) return '';
  const short = detail.length > LONGEST_DETAIL ? `${detail.slice(0, LONGEST_DETAIL - 1)}…` : detail;
  return ` (${short.replace(/[*\n]/g, ' ')})`;
}

function failureOf(name: string, status: string): string {
  if (status === 'invalid_arguments') return `${name} was called with invalid arguments; the model was told.`;
  if (status === 'cancelled') return `${name} was cancelled.`;
  if (status === 'denied') return `${name} was not run: the platform's policies or limits denied it.`;
  return `${name} failed; the model was told why.`;
}

/** The function calls the run ended on that nobody answered: the client's to run. */
export function pendingToolCalls(response: ResponseObject): ChatToolCall[] {
  const answered = new Set<string>();
  for (const item of response.output) {
    if (item.type === 'function_call_output' || item.type === 'approval_request') answered.add(item.call_id);
  }
  return response.output.flatMap((item) =>
    item.type === 'function_call' && !answered.has(item.call_id)
      ? [
          {
            id: item.call_id,
            type: 'function' as const,
            function: { name: item.name, arguments: item.arguments },
          },
        ]
      : [],
  );
}

export function finishReasonOf(
  response: ResponseObject,
  toolCalls: readonly ChatToolCall[],
): ChatFinishReason {
  if (toolCalls.length > 0) return 'tool_calls';
  const reason = response.incomplete_details?.reason;
  if (reason === 'content_filter') return 'content_filter';
  return reason ? 'length' : 'stop';
}

export function usageOf(response: ResponseObject): ChatUsage {
  const usage = response.usage;
  return {
    prompt_tokens: usage?.input_tokens ?? 0,
    completion_tokens: usage?.output_tokens ?? 0,
    total_tokens: usage?.total_tokens ?? 0,
    prompt_tokens_details: { cached_tokens: usage?.input_tokens_details.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.output_tokens_details.reasoning_tokens ?? 0 },
  };
}

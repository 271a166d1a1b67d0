import type { OutputItem, ResponseEvent, ResponseObject, ResponseStatus } from '../api/types.js';

/** What agentd's own events said about one tool call (by call_id). */
export interface ToolActivity {
  name: string;
  state: 'running' | 'completed' | 'failed' | 'invalid_arguments' | 'cancelled' | 'denied';
  durationMs?: number;
  /** Why the control plane denied it. */
  reason?: string;
}

export interface SafetyNote {
  surface: string;
  action: string;
  reasons: string[];
  itemId?: string;
}

/**
 * A run as the chat shows it, built from its events alone: the output items
 * (text, reasoning, tool calls) as they grow, what agentd said about each tool
 * call and safety check, and how the run ended. Serialisable, so that a
 * reloaded page restores it and resumes the stream after `seq`.
 */
export interface RunView {
  responseId: string | null;
  /** The last sequence number applied: the stream resumes after it. */
  seq: number;
  status: ResponseStatus;
  /** What the user sent to start it, shown above its output. */
  userText: string;
  /** Instead of a message: the user's answer to an approval request, which this run carries out. */
  answer?: ApprovalAnswer;
  items: OutputItem[];
  tools: Record<string, ToolActivity>;
  safety: SafetyNote[];
  error: { code: string; message: string } | null;
  /** Why an incomplete run stopped short (content_filter: a safety check). */
  incompleteReason?: string;
}

export interface ApprovalAnswer {
  requestId: string;
  name: string;
  approve: boolean;
  reason: string;
}

export function emptyRun(userText: string, answer?: ApprovalAnswer): RunView {
  return {
    ...(answer ? { answer } : {}),
    responseId: null,
    seq: 0,
    status: 'queued',
    userText,
    items: [],
    tools: {},
    safety: [],
    error: null,
  };
}

export const isTerminal = (status: ResponseStatus) =>
  status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'incomplete';

/** Applies a batch of events; an event at or below `seq` was applied already and is skipped. */
export function applyEvents(view: RunView, events: readonly ResponseEvent[]): RunView {
  let next = view;
  for (const event of events) {
    if (event.sequence_number <= next.seq) continue;
    next = { ...applyEvent(next, event), seq: event.sequence_number };
  }
  return next;
}

function withItem(view: RunView, index: number, change: (item: OutputItem) => OutputItem): RunView {
  const item = view.items[index];
  if (!item) return view;
  const items = view.items.slice();
  items[index] = change(item);
  return { ...view, items };
}

function appendText(item: OutputItem, contentIndex: number, delta: string): OutputItem {
  if (item.type === 'message') {
    const content = item.content.slice();
    const part = content[contentIndex];
    if (part?.type === 'output_text') content[contentIndex] = { ...part, text: part.text + delta };
    else content[contentIndex] = { type: 'output_text', text: delta, annotations: [] };
    return { ...item, content };
  }
  if (item.type === 'reasoning') {
    const content = (item.content ?? []).slice();
    content[contentIndex] = { type: 'reasoning_text', text: (content[contentIndex]?.text ?? '') + delta };
    return { ...item, content };
  }
  return item;
}

function ended(view: RunView, response: ResponseObject, status: ResponseStatus): RunView {
  return {
    ...view,
    status,
    responseId: response.id,
    items: response.output.length >= view.items.length ? response.output : view.items,
    error: response.error ?? view.error,
    ...(response.incomplete_details ? { incompleteReason: response.incomplete_details.reason } : {}),
  };
}

function applyEvent(view: RunView, event: ResponseEvent): RunView {
  switch (event.type) {
    case 'response.created':
    case 'response.queued':
    case 'response.in_progress':
      return { ...view, responseId: event.response.id, status: event.response.status };
    case 'response.completed':
    case 'response.incomplete':
    case 'response.cancelled':
      return ended(view, event.response, event.response.status);
    case 'response.failed':
      // The default view sends a cancel as response.failed with status cancelled.
      return ended(view, event.response, event.response.status === 'cancelled' ? 'cancelled' : 'failed');
    case 'response.output_item.added':
    case 'response.output_item.done': {
      const items = view.items.slice();
      items[event.output_index] = event.item;
      return { ...view, items };
    }
    case 'response.content_part.added':
      return withItem(view, event.output_index, (item) => appendText(item, event.content_index, ''));
    case 'response.output_text.delta':
    case 'response.reasoning_text.delta':
      return withItem(view, event.output_index, (item) => appendText(item, event.content_index, event.delta));
    case 'response.output_text.annotation.added':
      return withItem(view, event.output_index, (item) => {
        if (item.type !== 'message') return item;
        const content = item.content.map((part, index) =>
          index === event.content_index && part.type === 'output_text'
            ? { ...part, annotations: [...part.annotations, event.annotation] }
            : part,
        );
        return { ...item, content };
      });
    case 'response.function_call_arguments.delta':
      return withItem(view, event.output_index, (item) =>
        item.type === 'function_call' ? { ...item, arguments: item.arguments + event.delta } : item,
      );
    case 'response.code_interpreter_call_code.delta':
      return withItem(view, event.output_index, (item) =>
        item.type === 'code_interpreter_call' ? { ...item, code: (item.code ?? '') + event.delta } : item,
      );
    case 'response.code_interpreter_call.interpreting':
      return withItem(view, event.output_index, (item) =>
        item.type === 'code_interpreter_call' ? { ...item, status: 'interpreting' } : item,
      );
    case 'response.tool_call.started':
      return {
        ...view,
        tools: { ...view.tools, [event.call_id]: { name: event.name, state: 'running' } },
      };
    case 'response.tool_call.completed':
      return {
        ...view,
        tools: {
          ...view.tools,
          [event.call_id]: { name: event.name, state: event.status, durationMs: event.duration_ms },
        },
      };
    case 'response.tool_call.denied':
      return {
        ...view,
        tools: {
          ...view.tools,
          [event.call_id]: { name: event.name, state: 'denied', reason: event.reason },
        },
      };
    case 'response.safety.checked': {
      if (event.action === 'allow') return view;
      const reasons = event.verdicts
        .filter((verdict) => verdict.action !== 'allow')
        .map((verdict) => verdict.reason || verdict.categories.join(', '));
      const note: SafetyNote = { surface: event.surface, action: event.action, reasons };
      if (event.item_id) note.itemId = event.item_id;
      return { ...view, safety: [...view.safety, note] };
    }
    case 'error':
      return { ...view, error: { code: event.code, message: event.message } };
    default:
      return view;
  }
}

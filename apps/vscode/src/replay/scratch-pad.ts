import type { Item, OutputItem } from '@agentd/spec';

/** One entry of the context: who wrote it and what. */
export interface ScratchEntry {
  /** `user`, `assistant`, `system`, `developer`, `tool call`, `tool result`, `approval`, `reasoning`, ... */
  role: string;
  text: string;
}

/**
 * The run's context as it stood at one step: the instructions, every item
 * the model can read so far, and what is being written right now.
 */
export interface ScratchPad {
  instructions: string | null;
  entries: ScratchEntry[];
  /** Text (or call arguments) streamed for an item that is not done yet. */
  pending: { role: string; text: string } | null;
}

type AnyItem = Item | OutputItem | { type: string; [field: string]: unknown };

/**
 * An item as the scratch-pad shows it, or undefined for one the model never
 * reads (an item a worker failure superseded).
 */
export function entryOf(item: AnyItem): ScratchEntry | undefined {
  const open = item as Record<string, unknown>;
  if (open.superseded === true) return undefined;
  switch (item.type) {
    case 'message':
      return { role: String(open.role ?? 'user'), text: messageText(open.content) };
    case 'function_call':
      return { role: 'tool call', text: `${String(open.name)} ${String(open.arguments ?? '')}`.trim() };
    case 'function_call_output':
      return { role: 'tool result', text: `${String(open.call_id)}: ${String(open.output ?? '')}` };
    case 'approval_request':
      return { role: 'approval', text: `asked to run ${String(open.name)} ${String(open.arguments ?? '')}` };
    case 'approval_response':
      return {
        role: 'approval',
        text: `${open.approve === true ? 'approved' : 'denied'}${open.reason ? `: ${String(open.reason)}` : ''}`,
      };
    case 'reasoning': {
      const summary = Array.isArray(open.summary) ? open.summary : [];
      return { role: 'reasoning', text: summary.map((part) => String(part?.text ?? '')).join('\n') };
    }
    default:
      return { role: item.type, text: JSON.stringify(withoutId(open)) };
  }
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: Record<string, unknown>) => {
      if (typeof part.text === 'string') return part.text;
      if (typeof part.refusal === 'string') return `(refusal) ${part.refusal}`;
      return `[${String(part.type)}]`;
    })
    .join('');
}

function withoutId(item: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, status: _status, ...rest } = item;
  return rest;
}

/** The scratch-pad as plain text: what a reader of the replay sees beside the step. */
export function renderScratchPad(pad: ScratchPad): string {
  const lines: string[] = [];
  if (pad.instructions) lines.push(`[instructions] ${pad.instructions}`);
  pad.entries.forEach((entry, index) => {
    lines.push(`${index + 1}. [${entry.role}] ${entry.text}`);
  });
  if (pad.pending) lines.push(`…  [${pad.pending.role}, being written] ${pad.pending.text}`);
  if (lines.length === 0) lines.push('(empty)');
  return lines.join('\n');
}

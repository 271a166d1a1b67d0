import type { Item, ResponseEvent, ResponseObject } from '@agentd/spec';
import { entryOf, type ScratchEntry, type ScratchPad } from './scratch-pad.js';

export type StepKind =
  | 'request'
  | 'status'
  | 'model_request'
  | 'model_answer'
  | 'delta'
  | 'message'
  | 'tool_call'
  | 'tool_result'
  | 'approval'
  | 'safety'
  | 'control'
  | 'item'
  | 'error';

/** One step of a replay: one meaningful event (or a run of deltas) and the context as it stood after it. */
export interface ReplayStep {
  index: number;
  kind: StepKind;
  title: string;
  /** The events this step covers, in order (none for the opening request step). */
  events: ResponseEvent[];
  scratchPad: ScratchPad;
}

export interface Replay {
  responseId: string;
  status: string;
  steps: ReplayStep[];
}

export interface ReplaySource {
  response: ResponseObject;
  /** The response's input items (GET /v1/responses/{id}/input_items), oldest first. */
  inputItems: Item[];
  /** Its event log, in any order; it is sorted by sequence number. */
  events: ResponseEvent[];
}

const DELTA_TYPES = new Set([
  'response.output_text.delta',
  'response.reasoning_text.delta',
  'response.function_call_arguments.delta',
  'response.code_interpreter_call_code.delta',
]);

const STATUS_TYPES = new Set([
  'response.created',
  'response.queued',
  'response.in_progress',
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);

/**
 * Turns a run's event log into steps. Bookkeeping events (an item added, a
 * content part opened, a text done) join the step before them; a run of
 * deltas of one item is one step; every other event starts a step.
 */
export function buildReplay(source: ReplaySource): Replay {
  const events = [...source.events].sort((a, b) => a.sequence_number - b.sequence_number);
  const entries: ScratchEntry[] = [];
  for (const item of source.inputItems) {
    const entry = entryOf(item);
    if (entry) entries.push(entry);
  }
  let pending: ScratchPad['pending'] = null;
  let pendingItem: string | undefined;
  const instructions = source.response.instructions;
  const pad = (): ScratchPad => ({ instructions, entries: [...entries], pending });
  const steps: ReplayStep[] = [
    {
      index: 0,
      kind: 'request',
      title: `Request: ${source.inputItems.length} input item(s) to ${source.response.model}`,
      events: [],
      scratchPad: pad(),
    },
  ];
  const push = (kind: StepKind, title: string, event: ResponseEvent) => {
    steps.push({ index: steps.length, kind, title, events: [event], scratchPad: pad() });
  };
  for (const event of events) {
    const last = steps[steps.length - 1]!;
    if (DELTA_TYPES.has(event.type)) {
      const delta = event as ResponseEvent & { item_id: string; delta: string };
      const continues = pendingItem === delta.item_id && last.kind === 'delta';
      if (!continues) {
        pendingItem = delta.item_id;
        pending = { role: deltaRole(event.type), text: '' };
      }
      pending = { role: pending!.role, text: pending!.text + delta.delta };
      if (continues) {
        last.events.push(event);
        last.title = deltaTitle(last.events, pending.text);
        last.scratchPad = pad();
      } else {
        push('delta', deltaTitle([event], pending.text), event);
      }
      continue;
    }
    const described = describe(event);
    if (event.type === 'response.output_item.done') {
      const entry = entryOf(event.item);
      if (entry) entries.push(entry);
      if (pendingItem === event.item.id) {
        pending = null;
        pendingItem = undefined;
      }
    }
    if (described) push(described.kind, described.title, event);
    else last.events.push(event);
  }
  const status = source.response.status;
  return { responseId: source.response.id, status, steps };
}

function deltaRole(type: string): string {
  if (type === 'response.reasoning_text.delta') return 'reasoning';
  if (type === 'response.function_call_arguments.delta') return 'tool call arguments';
  if (type === 'response.code_interpreter_call_code.delta') return 'code';
  return 'assistant';
}

function deltaTitle(events: ResponseEvent[], text: string): string {
  return `${events.length} delta(s) of ${deltaRole(events[0]!.type)}: ${preview(text)}`;
}

function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A step's kind and title for an event that starts one; undefined for bookkeeping events. */
function describe(event: ResponseEvent): { kind: StepKind; title: string } | undefined {
  if (STATUS_TYPES.has(event.type)) {
    const { response } = event as ResponseEvent & { response: ResponseObject };
    const why = response.error ? `: ${response.error.message}` : '';
    return { kind: 'status', title: `Run ${response.status}${why}` };
  }
  switch (event.type) {
    case 'response.model_call.started':
      return { kind: 'model_request', title: `Model request #${event.step} to ${event.model}` };
    case 'response.model_call.completed':
      return {
        kind: 'model_answer',
        title: `Model answered (${event.finish_reason}; ${event.usage.input_tokens} in, ${event.usage.output_tokens} out)`,
      };
    case 'response.tool_call.started':
      return { kind: 'tool_call', title: `Tool ${event.name} called with ${preview(event.arguments)}` };
    case 'response.tool_call.completed':
      return { kind: 'tool_result', title: `Tool ${event.name} ${event.status} in ${event.duration_ms} ms` };
    case 'response.tool_call.denied':
      return { kind: 'control', title: `Tool ${event.name} denied by ${event.by}: ${event.reason}` };
    case 'response.tool_call.routed':
      return { kind: 'control', title: `Capability ${event.capability} routed to ${event.tool}` };
    case 'response.tool_call.fallback':
      return {
        kind: 'control',
        title: `Capability ${event.capability}: ${event.from} failed, ${event.to ?? 'no other tool'} next`,
      };
    case 'response.safety.checked': {
      const labels = [...new Set(event.verdicts.flatMap((verdict) => verdict.categories))].join(', ');
      return {
        kind: 'safety',
        title: `Safety on ${event.surface}: ${event.action}${labels ? ` (${labels})` : ''}`,
      };
    }
    case 'response.output_item.done':
      return itemDone(event.item as unknown as { type: string; [field: string]: unknown });
    case 'error':
      return { kind: 'error', title: `Error ${event.code}: ${event.message}` };
    default:
      return undefined;
  }
}

function itemDone(item: { type: string; [field: string]: unknown }): { kind: StepKind; title: string } {
  const entry = entryOf(item);
  const text = preview(entry?.text ?? '');
  const superseded = item.superseded === true ? ' (superseded; the model never reads it)' : '';
  switch (item.type) {
    case 'message':
      return { kind: 'message', title: `Message done: ${text}${superseded}` };
    case 'function_call':
      return { kind: 'tool_call', title: `Function call ${text}${superseded}` };
    case 'function_call_output':
      return { kind: 'tool_result', title: `Tool result ${text}` };
    case 'approval_request':
      return { kind: 'approval', title: `Approval requested: ${text}` };
    default:
      return { kind: 'item', title: `${item.type} done${superseded}` };
  }
}

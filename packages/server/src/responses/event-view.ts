import type { ResponseEvent, ResponseEventType } from '@agentd/spec';

/**
 * Which events a response stream carries. `openai` (the default) is exactly
 * OpenAI's Responses stream, so that the official clients' stream helpers
 * work unchanged; `all` adds agentd's own run events (model calls, tool
 * execution and routing). The event log keeps every event either way.
 */
export type EventView = 'openai' | 'all';

/** The request header that picks the view, and its values. */
export const EVENT_VIEW_HEADER = 'agentd-events';
export const EVENT_VIEWS = ['openai', 'all'] as const;

/**
 * agentd's own event types: only the `all` view streams them. Every other
 * type agentd emits is OpenAI's, with its fields; the stream-helpers test
 * checks at compile time that each is in the official client's
 * ResponseStreamEvent union, so a new agentd event must be listed here.
 */
export const AGENTD_EVENT_TYPES = [
  'response.model_call.started',
  'response.model_call.completed',
  'response.tool_call.started',
  'response.tool_call.completed',
  'response.tool_call.routed',
  'response.tool_call.fallback',
  'response.tool_call.denied',
  'response.safety.checked',
  // OpenAI's stream has no cancelled event: the default view sends it as response.failed (below).
  'response.cancelled',
] as const satisfies readonly ResponseEventType[];

export type AgentdEventType = (typeof AGENTD_EVENT_TYPES)[number];
/** The event types the default stream carries. */
export type OpenAIEventType = Exclude<ResponseEventType, AgentdEventType>;

const AGENTD_ONLY: ReadonlySet<string> = new Set(AGENTD_EVENT_TYPES);

/**
 * An event as the view shows it, or undefined when the view leaves it out.
 * Its `sequence_number` is never changed: it is the SSE id a client resumes
 * from, and OpenAI's clients only compare it, they do not need it contiguous.
 */
export function viewEvent(event: ResponseEvent, view: EventView): ResponseEvent | undefined {
  // What a safety block withheld stays in the log for the audit; no stream carries it.
  if (event.type === 'response.safety.checked' && event.withheld !== undefined) {
    if (view !== 'all') return undefined;
    const { withheld: _withheld, ...shown } = event;
    return shown;
  }
  if (view === 'all' || !AGENTD_ONLY.has(event.type)) return event;
  // A cancelled run ends the stream as OpenAI ends a run that did not finish,
  // with the response itself saying `status: "cancelled"`.
  if (event.type === 'response.cancelled') return { ...event, type: 'response.failed' };
  return undefined;
}

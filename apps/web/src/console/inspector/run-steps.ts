import type { ResponseEvent } from '../../api/types.js';

export type StepKind = 'run' | 'model' | 'tool' | 'approval' | 'safety' | 'output' | 'error';

/** One entry of a run's timeline: an event that is not a delta, and what it says in a line. */
export interface TimelineStep {
  /** Index of the event in the whole log (deltas included): the replay applies the log up to it. */
  index: number;
  event: ResponseEvent;
  kind: StepKind;
  title: string;
}

const RUN_STATES = new Set([
  'response.created',
  'response.queued',
  'response.in_progress',
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);

/** Each event's kind and one-line summary; deltas and per-part bookkeeping are left to the replay. */
export function timelineOf(events: readonly ResponseEvent[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  events.forEach((event, index) => {
    const described = describe(event);
    if (described) steps.push({ index, event, ...described });
  });
  return steps;
}

function describe(event: ResponseEvent): { kind: StepKind; title: string } | null {
  const e = event as ResponseEvent & Record<string, unknown>;
  if (RUN_STATES.has(event.type))
    return { kind: 'run', title: `run ${event.type.slice('response.'.length)}` };
  switch (event.type) {
    case 'response.model_call.started':
      return { kind: 'model', title: `model request ${e.step} to ${e.model}` };
    case 'response.model_call.completed': {
      const usage = e.usage as { input_tokens: number; output_tokens: number };
      return {
        kind: 'model',
        title: `model answered (${e.finish_reason}; ${usage.input_tokens} in, ${usage.output_tokens} out)`,
      };
    }
    case 'response.tool_call.started':
      return { kind: 'tool', title: `tool ${e.name} called with ${e.arguments}` };
    case 'response.tool_call.completed':
      return { kind: 'tool', title: `tool ${e.name} ${e.status} in ${e.duration_ms} ms` };
    case 'response.tool_call.denied':
      return { kind: 'tool', title: `tool ${e.name} denied by ${e.by}: ${e.reason}` };
    case 'response.tool_call.routed':
    case 'response.tool_call.fallback':
      return { kind: 'tool', title: `capability ${e.capability} → ${e.tool}` };
    case 'response.safety.checked': {
      const verdicts = (e.verdicts as { phase: string; reason: string }[]) ?? [];
      const why = verdicts.map((verdict) => `${verdict.phase}: ${verdict.reason}`);
      return {
        kind: 'safety',
        title: `safety ${e.surface}: ${e.action}${why.length ? ` (${why.join('; ')})` : ''}`,
      };
    }
    case 'response.output_item.added':
    case 'response.output_item.done': {
      const item = e.item as { type: string; name?: string; status?: string };
      const done = event.type.endsWith('.done');
      if (item.type === 'approval_request')
        return { kind: 'approval', title: `approval asked for ${item.name}${done ? '' : ' (pending)'}` };
      if (item.type === 'approval_response') return { kind: 'approval', title: 'approval answered' };
      return done ? { kind: 'output', title: `${item.type}${item.name ? ` ${item.name}` : ''} done` } : null;
    }
    case 'error':
      return { kind: 'error', title: `error ${e.code}: ${e.message}` };
    default:
      return null;
  }
}

import type { ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { RunEventSink } from '../../src/index.js';

/** A sink that keeps the run's events in memory. */
export function memorySink() {
  const events: ResponseEventBody[] = [];
  const sink: RunEventSink = {
    append: (event) => void events.push(event),
    flush: async () => undefined,
  };
  return { sink, events };
}

/** A response as stored at creation: queued, with nothing in it yet. */
export function queued(): ResponseObject {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 0,
    completed_at: null,
    status: 'queued',
    error: null,
    incomplete_details: null,
    instructions: null,
    model: 'test-model',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    conversation: null,
    agent: null,
    tools: [],
    tool_choice: 'auto',
    temperature: null,
    top_p: null,
    max_output_tokens: null,
    max_steps: 10,
    max_total_tokens: null,
    background: false,
    metadata: {},
    usage: null,
  };
}

import type { Item, LanguageModel, ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { RunEventSink, RunTool } from '../../src/index.js';

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

/** The user's message a run answers. */
export function userMessage(text: string): Item {
  return {
    type: 'message',
    id: 'msg_in',
    role: 'user',
    content: [{ type: 'input_text', text }],
    status: 'completed',
  };
}

export interface LoopInputOptions {
  tools?: RunTool[];
  /** Items before the user's message. */
  history?: Item[];
  /** The user's message after `history` ('hi' when not given); null: none, `history` is the whole of it. */
  text?: string | null;
  instructions?: string | null;
  maxSteps?: number;
  signal?: AbortSignal;
}

/** Ids unique within a test file, across runs (a resumed run must not reuse its crashed worker's). */
let ids = 0;

/** The run loop's input for a queued response answered by `model`; the caller adds the sink. */
export function loopInput(model: LanguageModel, options: LoopInputOptions = {}) {
  const { text = 'hi' } = options;
  return {
    response: queued(),
    model,
    settings: {},
    instructions: options.instructions ?? null,
    history: [...(options.history ?? []), ...(text === null ? [] : [userMessage(text)])],
    tools: options.tools ?? [],
    maxSteps: options.maxSteps ?? 10,
    maxTotalTokens: null,
    contextTokens: 10_000,
    signal: options.signal ?? new AbortController().signal,
    newId: (prefix: string) => `${prefix}_${++ids}`,
    coalesceMs: 0,
  };
}

import type { ModelMessage, ModelRequest, ModelToolChoice } from '@agentd/spec';

/** The Responses API request body: stateless (`store: false`), streaming. */
export function toResponsesRequestBody(request: ModelRequest): Record<string, unknown> {
  const { settings } = request;
  const hasTools = request.tools.length > 0;
  // The leading system messages (the run's instructions) are `instructions`; a later one
  // (the caller's own system or developer item) stays where it is in the input.
  const leading = request.messages.findIndex((message) => message.role !== 'system');
  const head = leading === -1 ? request.messages.length : leading;
  const instructions = request.messages
    .slice(0, head)
    .map((message) => message.content)
    .join('\n\n');
  return {
    model: request.model,
    instructions: instructions || undefined,
    input: request.messages.slice(head).flatMap(toInputItems),
    tools: hasTools
      ? request.tools.map((tool) => ({
          type: 'function',
          name: tool.name,
          description: tool.description,
          parameters: tool.parameters,
          // The Responses API defaults to strict schemas, which most tool schemas are not.
          strict: false,
        }))
      : undefined,
    tool_choice: hasTools && request.toolChoice ? toResponsesToolChoice(request.toolChoice) : undefined,
    parallel_tool_calls: hasTools ? settings.parallelToolCalls : undefined,
    temperature: settings.temperature,
    top_p: settings.topP,
    max_output_tokens: settings.maxOutputTokens,
    reasoning: settings.reasoningEffort ? { effort: settings.reasoningEffort } : undefined,
    text: request.textFormat ? { format: request.textFormat } : undefined,
    include: settings.logprobs ? ['message.output_text.logprobs'] : undefined,
    user: settings.user,
    safety_identifier: settings.safetyIdentifier,
    stream: true,
    store: false,
  };
}

function toInputItems(message: ModelMessage): Record<string, unknown>[] {
  switch (message.role) {
    case 'system':
      return [{ type: 'message', role: 'system', content: message.content }];
    case 'user':
      return [{ type: 'message', role: 'user', content: message.content }];
    case 'assistant': {
      const calls = (message.toolCalls ?? []).map((call) => ({
        type: 'function_call',
        call_id: call.id,
        name: call.name,
        arguments: call.arguments,
      }));
      if (message.content === '' && calls.length > 0) return calls;
      return [{ type: 'message', role: 'assistant', content: message.content }, ...calls];
    }
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
  }
}

function toResponsesToolChoice(choice: ModelToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

import type { ModelMessage, ModelRequest, ModelToolChoice } from '@agentd/spec';

/** The Chat Completions request body for a model request, streaming with usage. */
export function toChatRequestBody(request: ModelRequest): Record<string, unknown> {
  const { settings } = request;
  const hasTools = request.tools.length > 0;
  return {
    model: request.model,
    messages: request.messages.map(toChatMessage),
    tools: hasTools
      ? request.tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.parameters },
        }))
      : undefined,
    // OpenAI rejects tool_choice and parallel_tool_calls without tools.
    tool_choice: hasTools && request.toolChoice ? toChatToolChoice(request.toolChoice) : undefined,
    parallel_tool_calls: hasTools ? settings.parallelToolCalls : undefined,
    temperature: settings.temperature,
    top_p: settings.topP,
    max_tokens: settings.maxOutputTokens,
    presence_penalty: settings.presencePenalty,
    frequency_penalty: settings.frequencyPenalty,
    seed: settings.seed,
    stop: settings.stop && settings.stop.length > 0 ? settings.stop : undefined,
    reasoning_effort: settings.reasoningEffort,
    response_format: toResponseFormat(request.textFormat),
    logprobs: settings.logprobs || undefined,
    user: settings.user,
    safety_identifier: settings.safetyIdentifier,
    stream: true,
    stream_options: { include_usage: true },
  };
}

function toChatMessage(message: ModelMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toChatToolChoice(choice: ModelToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** Structured outputs as Chat Completions asks for them: the schema goes under `json_schema`. */
function toResponseFormat(format: ModelRequest['textFormat']): unknown {
  if (format === undefined || format.type === 'json_object') return format;
  const { type, ...schema } = format;
  return { type, json_schema: schema };
}

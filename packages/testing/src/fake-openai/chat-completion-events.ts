import { interleave, splitArguments, type TurnContent } from './turn-content.js';

export interface ChatContext {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
  /** The request asked for `logprobs`: each text chunk carries its token's (a made-up -0.1). */
  logprobs?: boolean;
}

const SYSTEM_FINGERPRINT = 'fp_fake0penai';

/**
 * The `chat.completion.chunk` objects OpenAI streams for a turn: a role
 * chunk, content deltas, tool call deltas (header with id, type and name and
 * empty arguments, then argument pieces), a finish chunk, then the usage
 * chunk with empty `choices` when `stream_options.include_usage` is set.
 */
export function chatCompletionChunks(
  content: TurnContent,
  context: ChatContext,
  interleaveCalls = false,
  streamError?: { message: string; code?: string },
): object[] {
  const chunk = (delta: object, finishReason: string | null = null, logprobs: object | null = null) => ({
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs, finish_reason: finishReason }],
    ...(context.includeUsage ? { usage: null } : {}),
  });

  const callDeltas = content.toolCalls.map((call, index) => [
    { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
    ...splitArguments(call.arguments).map((piece) => ({ index, function: { arguments: piece } })),
  ]);
  const toolCallDeltas = interleaveCalls ? interleave(callDeltas) : callDeltas.flat();
  const onlyToolCalls = content.textChunks.length === 0 && content.reasoningChunks.length === 0;

  const chunks: object[] = [];
  // OpenAI folds the first tool call header into the role chunk when there is no text.
  if (onlyToolCalls && toolCallDeltas.length > 0)
    chunks.push(
      chunk({ role: 'assistant', content: null, tool_calls: [toolCallDeltas.shift()], refusal: null }),
    );
  else chunks.push(chunk({ role: 'assistant', content: '', refusal: null }));
  for (const piece of content.reasoningChunks) chunks.push(chunk({ reasoning_content: piece }));
  for (const piece of content.textChunks)
    chunks.push(
      chunk({ content: piece }, null, context.logprobs ? { content: [tokenLogprob(piece)] } : null),
    );
  for (const delta of toolCallDeltas) chunks.push(chunk({ tool_calls: [delta] }));
  if (streamError) {
    chunks.push({
      error: {
        message: streamError.message,
        type: 'server_error',
        param: null,
        code: streamError.code ?? null,
      },
    });
    return chunks;
  }
  chunks.push(chunk({}, content.finishReason));
  if (context.includeUsage)
    chunks.push({
      id: context.id,
      object: 'chat.completion.chunk',
      created: context.created,
      model: context.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [],
      usage: chatUsage(content),
    });
  return chunks;
}

/** The non-streaming `chat.completion` object for the same turn. */
export function chatCompletion(content: TurnContent, context: ChatContext): object {
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content.text === '' && content.toolCalls.length > 0 ? null : content.text,
          refusal: null,
          annotations: [],
          ...(content.toolCalls.length > 0
            ? {
                tool_calls: content.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: content.finishReason,
      },
    ],
    usage: chatUsage(content),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

function chatUsage(content: TurnContent) {
  const { prompt_tokens, completion_tokens } = content.usage;
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function tokenLogprob(token: string) {
  return { token, logprob: -0.1, bytes: [...Buffer.from(token)], top_logprobs: [] };
}

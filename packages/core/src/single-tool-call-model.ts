import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';

/**
 * `parallel_tool_calls: false` for every model: the setting is passed on, and
 * any tool call after the turn's first is dropped before it is recorded or
 * run. OpenAI's models make at most one call per turn then, so the output a
 * client sees has the same shape; the model asks again next turn if it must.
 */
export function singleToolCallModel(model: LanguageModel): LanguageModel {
  return {
    provider: model.provider,
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
      let first: number | undefined;
      for await (const part of model.stream(request, signal)) {
        if (part.type === 'tool-call-start' || part.type === 'tool-call-delta' || part.type === 'tool-call') {
          first ??= part.index;
          if (part.index !== first) continue;
        }
        yield part;
      }
    },
  };
}

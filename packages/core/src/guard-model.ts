import type { LanguageModel, TextFormat } from '@agentd/spec';
import { singleToolCallModel } from './single-tool-call-model.js';
import { type StructuredOutputModel, structuredOutputModel } from './structured-output-model.js';

export interface ModelGuardOptions {
  /** The answer's required format; absent or `text`: free text, nothing to enforce. */
  textFormat?: TextFormat | undefined;
  /** How many times an answer that does not match is sent back to the model (default 1). */
  textFormatRetries?: number | undefined;
  /** false: at most one tool call per turn. */
  parallelToolCalls?: boolean | undefined;
}

/** The run's model with the request's promises kept for any model: one tool call a turn, a valid structured answer. */
export function guardModel(model: LanguageModel, options: ModelGuardOptions): StructuredOutputModel {
  const guarded = options.parallelToolCalls === false ? singleToolCallModel(model) : model;
  const format = options.textFormat;
  if (format === undefined || format.type === 'text') return { model: guarded, rejection: () => undefined };
  return structuredOutputModel(guarded, format, options.textFormatRetries ?? 1);
}

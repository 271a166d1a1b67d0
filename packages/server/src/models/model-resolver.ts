import {
  createOpenAIChatModel,
  createOpenAIResponsesModel,
  createScriptedModel,
  type ScriptedModelOptions,
  type ScriptedRule,
} from '@agentd/providers';
import type { LanguageModel } from '@agentd/spec';
import type { Config } from '../config/schema.js';
import { BUILTIN_SCRIPTED_RULES } from '../tools/builtins/scripted-rules.js';

export const SCRIPTED_MODEL = 'scripted';

/** Turns a model name into the provider that serves it. */
export interface ModelResolver {
  /** The model used when neither the request nor the agent names one. */
  readonly defaultModel: string;
  resolve(name: string): LanguageModel;
}

export interface ModelResolverOptions extends ScriptedModelOptions {
  /** The scripted stand-in's rules; by default those of the built-in tools. */
  rules?: readonly ScriptedRule[];
}

/**
 * With OPENAI_BASE_URL set, every model name goes to that endpoint (Chat
 * Completions or Responses, by AGENTD_MODEL_API), except `scripted`. Without
 * it, every run uses the scripted stand-in, which drives the built-in tools
 * from plain requests ("run python: …", "open <url>", "search …").
 */
export function createModelResolver(config: Config, options: ModelResolverOptions = {}): ModelResolver {
  const { rules = BUILTIN_SCRIPTED_RULES, ...scriptedOptions } = options;
  const scripted = createScriptedModel(rules, scriptedOptions);
  const endpoint = config.OPENAI_BASE_URL;
  let remote: LanguageModel | undefined;
  if (endpoint) {
    const endpointOptions = {
      baseURL: endpoint,
      ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
      maxRetries: config.AGENTD_MODEL_MAX_RETRIES,
      requestTimeoutMs: config.AGENTD_MODEL_TIMEOUT_MS,
      idleTimeoutMs: config.AGENTD_MODEL_IDLE_TIMEOUT_MS,
    };
    remote =
      config.AGENTD_MODEL_API === 'responses'
        ? createOpenAIResponsesModel(endpointOptions)
        : createOpenAIChatModel(endpointOptions);
  }
  return {
    defaultModel: endpoint ? (config.AGENTD_DEFAULT_MODEL ?? 'gpt-4o-mini') : SCRIPTED_MODEL,
    resolve: (name) => (remote && name !== SCRIPTED_MODEL ? remote : scripted),
  };
}

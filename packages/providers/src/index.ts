export { ModelError, type ModelErrorCode, type ModelErrorOptions } from './model-error.js';
export { createOpenAIChatModel } from './openai-chat/openai-chat-model.js';
export type {
  OpenAIChatModelOptions,
  OpenAICompatibleOptions,
  OpenAIResponsesModelOptions,
} from './openai-compatible-options.js';
export { createOpenAIResponsesModel } from './openai-responses/openai-responses-model.js';
export {
  createScriptedModel,
  SCRIPTED_MODEL_NAME,
  type ScriptedModelOptions,
  type ScriptedRule,
} from './scripted/scripted-model.js';

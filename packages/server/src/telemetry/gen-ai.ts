/**
 * Attribute names of the OpenTelemetry semantic conventions for generative
 * AI (gen_ai.*, still incubating, so not taken from a package that may
 * rename them) and agentd's own (agentd.*).
 */
export const GenAi = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  /** The older name of gen_ai.provider.name, still read by many back ends. */
  system: 'gen_ai.system',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  errorType: 'error.type',
} as const;

export const Agentd = {
  tenant: 'agentd.tenant.id',
  step: 'agentd.step',
  runStatus: 'agentd.run.status',
  toolStatus: 'agentd.tool.status',
  deniedBy: 'agentd.tool.denied_by',
  safetySurface: 'agentd.safety.surface',
  safetyAction: 'agentd.safety.action',
  safetyPhases: 'agentd.safety.phases',
  safetyCategories: 'agentd.safety.categories',
} as const;

/** A finish reason as the conventions spell it (`tool_calls`, `content_filter`). */
export function finishReason(reason: string): string {
  return reason.replaceAll('-', '_');
}

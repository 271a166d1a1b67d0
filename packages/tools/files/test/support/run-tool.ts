import type { RunTool, ToolResult, ToolScope } from '@agentd/spec';

export const SCOPE: ToolScope = {
  tenantId: 'ten_1',
  responseId: 'resp_1',
  conversationId: 'conv_1',
  user: 'user_42',
  sessionKey: 'conv_1',
};

/** Calls a tool as the run loop would, and normalises its result. */
export async function call(
  tool: RunTool,
  args: Record<string, unknown>,
  options: { scope?: ToolScope; signal?: AbortSignal } = {},
): Promise<ToolResult> {
  const result = await tool.execute!(args, {
    signal: options.signal ?? new AbortController().signal,
    callId: 'call_test',
    ...(options.scope ? { scope: options.scope } : {}),
  });
  return typeof result === 'string' ? { output: result } : result;
}

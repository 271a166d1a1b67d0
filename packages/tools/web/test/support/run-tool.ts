import type { RunTool, ToolResult } from '@agentd/spec';

/** Calls a tool as the run loop would, and normalises its result. */
export async function call(
  tool: RunTool,
  args: Record<string, unknown>,
  signal = new AbortController().signal,
): Promise<ToolResult> {
  const result = await tool.execute!(args, { signal, callId: 'call_test' });
  return typeof result === 'string' ? { output: result } : result;
}

/** The text between the untrusted-data markers of a tool output. */
export function untrustedBody(output: string): string {
  const match = /<<<untrusted-data id=([0-9a-f]+)>>>\n([\s\S]*)\n<<<end-untrusted-data id=\1>>>/.exec(output);
  if (!match) throw new Error(`no untrusted block in:\n${output}`);
  return match[2]!;
}

/** Everything outside the untrusted block. */
export function trustedFrame(output: string): string {
  return output.replace(/<<<untrusted-data id=([0-9a-f]+)>>>\n[\s\S]*\n<<<end-untrusted-data id=\1>>>/, '');
}

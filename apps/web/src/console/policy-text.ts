/** Where the server says a policy goes wrong: its message names `line L, column C`. */
export function errorPosition(message: string): { line: number; column: number } | null {
  const match = /line (\d+), column (\d+)/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** The text offset of a line and column (both from 1; columns count characters), for the caret. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let index = 0; index < line - 1 && index < lines.length; index++)
    offset += (lines[index]?.length ?? 0) + 1;
  const current = lines[Math.min(line, lines.length) - 1] ?? '';
  // Columns count code points, as the server counts them; the caret counts UTF-16 units.
  const units = [...current].slice(0, Math.max(0, column - 1)).join('').length;
  return Math.min(text.length, offset + units);
}

export const POLICY_EXAMPLE = `forbid (
  principal,
  action == Agentd::Action::"call_tool",
  resource == Agentd::Tool::"wire_money"
) unless {
  context.arguments has amount && context.arguments.amount <= 100
};
`;

// A streamed Chat Completions answer read whole, as a minimal client would:
// its text and its tool calls (arguments joined from their deltas). Shared by
// the benchmark's direct loop and its bare proxy, so both do the same work.

/** @returns {{ content: string, calls: { id: string, name: string, arguments: string }[] }} */
export function readChatStream(text) {
  const calls = new Map();
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const delta = JSON.parse(line.slice(6)).choices?.[0]?.delta;
    if (!delta) continue;
    if (delta.content) content += delta.content;
    for (const call of delta.tool_calls ?? []) {
      const current = calls.get(call.index) ?? { id: call.id, name: call.function?.name, arguments: '' };
      current.arguments += call.function?.arguments ?? '';
      calls.set(call.index, current);
    }
  }
  return { content, calls: [...calls.values()] };
}

import type { ResponseObject } from '@agentd/spec';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Where a tool result names the response (the run) behind it, for GET /v1/responses/{id}. */
export const RESPONSE_ID_META = 'agentd/response_id';

/** The answer of an ended run: its messages' output text. */
export function answerText(response: ResponseObject): string {
  const parts: string[] = [];
  for (const item of response.output) {
    if (item.type !== 'message' || item.superseded) continue;
    for (const part of item.content) if (part.type === 'output_text') parts.push(part.text);
  }
  return parts.join('\n');
}

/**
 * An ended run as an MCP tool result: a completed one is its answer; any
 * other end (failed, incomplete, cancelled, waiting for an approval or a
 * client-side tool) is a tool error saying why, so the client's model can act on it.
 */
export function runResult(response: ResponseObject): CallToolResult {
  const _meta = { [RESPONSE_ID_META]: response.id };
  const text = answerText(response);
  if (response.status === 'completed' && (text || !waits(response))) {
    return { content: [{ type: 'text', text }], _meta };
  }
  return { content: [{ type: 'text', text: whyNotCompleted(response) }], isError: true, _meta };
}

function whyNotCompleted(response: ResponseObject): string {
  const id = response.id;
  switch (response.status) {
    case 'failed':
      return `The run ${id} failed: ${response.error?.message ?? 'no reason given'}.`;
    case 'incomplete':
      return `The run ${id} ended incomplete (${response.incomplete_details?.reason ?? 'no reason given'}).${partial(response)}`;
    case 'cancelled':
      return `The run ${id} was cancelled.`;
    case 'completed':
      return `The run ${id} waits for an approval or a client-side tool call; answer it through the API (POST /v1/responses with previous_response_id ${id}).`;
    default:
      return `The run ${id} ended ${response.status}.`;
  }
}

/** A run that ended handing something to its caller: a client-side function call, an approval request. */
function waits(response: ResponseObject): boolean {
  const answered = new Set(
    response.output.flatMap((item) => (item.type === 'function_call_output' ? [item.call_id] : [])),
  );
  return response.output.some(
    (item) =>
      item.type === 'approval_request' || (item.type === 'function_call' && !answered.has(item.call_id)),
  );
}

function partial(response: ResponseObject): string {
  const text = answerText(response);
  return text ? ` Its answer so far: ${text}` : '';
}

import { type Agentd, outputText, type ResponseEvent } from '@agentd/sdk';

export interface RunSelectionRequest {
  /** The selected text: the user's message. */
  text: string;
  /** A stored agent (id or name); absent runs the tenant's default agent. */
  agent?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface RunSelectionResult {
  responseId: string;
  status: string;
  /** The answer's text. */
  text: string;
  /** The tools the run called, in order. */
  toolCalls: string[];
}

/** A message naming what is wrong with the request, or undefined when it can run. */
export function selectionProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Select the text to send to the agent first.';
  return undefined;
}

/**
 * Runs the selected text against an agent (POST /v1/responses, streamed
 * through the SDK) and reports each event as it comes, so the editor can show
 * progress; resolves with the finished run.
 */
export async function runSelection(
  client: Agentd,
  request: RunSelectionRequest,
  onEvent: (event: ResponseEvent) => void = () => {},
): Promise<RunSelectionResult> {
  const problem = selectionProblem(request.text);
  if (problem) throw new Error(problem);
  const agent = request.agent?.trim();
  const stream = client.responses.stream(
    { input: request.text, ...(agent ? { agent } : {}) },
    request.signal ? { signal: request.signal } : {},
  );
  const toolCalls: string[] = [];
  for await (const event of stream) {
    if (event.type === 'response.tool_call.started') toolCalls.push(event.name);
    onEvent(event);
  }
  const response = await stream.finalResponse();
  return { responseId: response.id, status: response.status, text: outputText(response), toolCalls };
}

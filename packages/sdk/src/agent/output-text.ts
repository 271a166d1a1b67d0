import type { ResponseObject } from '@agentd/spec';

/** The text of a response's assistant messages, as OpenAI's `output_text` (superseded attempts left out). */
export function outputText(response: ResponseObject): string {
  return response.output
    .flatMap((item) =>
      item.type === 'message' && item.role === 'assistant' && !('superseded' in item && item.superseded)
        ? item.content.flatMap((part) => (part.type === 'output_text' ? [part.text] : []))
        : [],
    )
    .join('');
}

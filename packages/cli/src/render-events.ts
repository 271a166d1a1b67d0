import type { ResponseEvent } from '@agentd/spec';

export interface Output {
  write(text: string): void;
}

/**
 * Shows a run's steps in the terminal as they happen: the model's text as it
 * streams, each tool call with its arguments, each result, and how it ended.
 */
export function createEventRenderer(out: Output, err: Output) {
  let inText = false;
  const endText = () => {
    if (inText) out.write('\n');
    inText = false;
  };
  return (event: ResponseEvent): void => {
    switch (event.type) {
      case 'response.output_text.delta':
        inText = true;
        out.write(event.delta);
        break;
      case 'response.tool_call.started':
        endText();
        err.write(`→ ${event.name} ${event.arguments}\n`);
        break;
      case 'response.tool_call.routed':
        err.write(`  routed ${event.capability} to ${event.tool} (attempt ${event.attempt})\n`);
        break;
      case 'response.tool_call.fallback':
        err.write(
          `  ${event.from} failed (${event.reason}); ${event.to ? `trying ${event.to}` : 'no tool left'}\n`,
        );
        break;
      case 'response.output_item.done':
        if (event.item.type === 'function_call_output') err.write(`← ${clip(event.item.output, 400)}\n`);
        if (event.item.type === 'approval_request')
          err.write(`? ${event.item.name} needs an approval (not given in a one-off run)\n`);
        break;
      case 'error':
        endText();
        err.write(`error: ${event.code}: ${event.message}\n`);
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
      case 'response.cancelled': {
        endText();
        const usage = event.response.usage;
        const reason = event.response.incomplete_details
          ? ` (${event.response.incomplete_details.reason})`
          : '';
        err.write(
          `[${event.response.status}${reason}${usage ? `; ${usage.input_tokens} tokens in, ${usage.output_tokens} out` : ''}]\n`,
        );
        break;
      }
    }
  };
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

import type { ToolResult } from '@agentd/spec';
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/**
 * An MCP call result as a tool result: structured content as JSON when
 * there is some, else the text blocks joined, with other blocks summarised.
 */
export function toToolResult(result: CallToolResult | { toolResult: unknown }): ToolResult {
  if ('toolResult' in result) return { output: JSON.stringify(result.toolResult) };
  const isError = result.isError === true ? { isError: true } : {};
  if (result.structuredContent !== undefined) {
    return { output: JSON.stringify(result.structuredContent), ...isError };
  }
  return { output: (result.content ?? []).map(describeBlock).join('\n'), ...isError };
}

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${Buffer.byteLength(block.data, 'base64')} bytes]`;
    case 'resource_link':
      return `[resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}]`;
    case 'resource': {
      const resource = block.resource;
      if ('text' in resource && typeof resource.text === 'string')
        return `[resource: ${resource.uri}]\n${resource.text}`;
      const blob = 'blob' in resource && typeof resource.blob === 'string' ? resource.blob : '';
      return `[resource: ${resource.uri}, ${resource.mimeType ?? 'binary'}, ${Buffer.byteLength(blob, 'base64')} bytes]`;
    }
    default:
      return `[${(block as { type: string }).type} content]`;
  }
}

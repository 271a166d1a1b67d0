import { z } from 'zod';

/** The header naming an MCP session (Streamable HTTP). */
export const MCP_SESSION_HEADER = 'mcp-session-id';

export const McpMessageSchema = z
  .looseObject({ jsonrpc: z.literal('2.0') })
  .meta({ id: 'McpMessage', description: 'A JSON-RPC 2.0 message of the Model Context Protocol.' });

/** POST /mcp's body: one message or a batch. */
export const McpBodySchema = z.union([McpMessageSchema, z.array(McpMessageSchema).min(1)]);

export const McpSessionHeadersSchema = z.object({
  [MCP_SESSION_HEADER]: z.string().min(1).max(256).optional().meta({
    description: "The session's id, from the answer to `initialize`; every later request sends it.",
  }),
  'mcp-protocol-version': z.string().max(32).optional(),
});

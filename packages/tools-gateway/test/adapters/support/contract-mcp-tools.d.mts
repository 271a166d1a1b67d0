import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** Registers the contract's echo, slow and failing tools; `slow` hears when a slow call starts and is cancelled. */
export function registerContractTools(
  server: McpServer,
  slow: { started(): unknown; cancelled(): unknown },
): void;

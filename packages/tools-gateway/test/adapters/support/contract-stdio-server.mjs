// An MCP server over stdio with the tools the ToolAdapter contract needs (echo, slow, failing).
// Started by the MCP adapter as its child process; the slow tool tells the test, over HTTP at
// CONTRACT_REPORT_URL, when its call started and when its cancel arrived.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerContractTools } from './contract-mcp-tools.mjs';

const report = (what) =>
  fetch(`${process.env.CONTRACT_REPORT_URL}/${what}`, { method: 'POST' }).catch(() => undefined);

const server = new McpServer({ name: 'contract-stdio-server', version: '1.0.0' });
registerContractTools(server, { started: () => report('started'), cancelled: () => report('cancelled') });
await server.connect(new StdioServerTransport());

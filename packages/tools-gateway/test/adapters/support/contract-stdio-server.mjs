// An MCP server over stdio with the tools the ToolAdapter contract needs (echo, slow, failing).
// Started by the MCP adapter as its child process; the slow tool tells the test, over HTTP at
// CONTRACT_REPORT_URL, when its call started and when its cancel arrived.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const report = (what) =>
  fetch(`${process.env.CONTRACT_REPORT_URL}/${what}`, { method: 'POST' }).catch(() => undefined);

const server = new McpServer({ name: 'contract-stdio-server', version: '1.0.0' });
server.registerTool(
  'echo',
  {
    description: 'Echoes its arguments as JSON',
    inputSchema: {
      q: z.string(),
      n: z.number(),
      tags: z.array(z.string()),
      nested: z.object({ ok: z.boolean() }),
    },
  },
  async (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
);
server.registerTool('slow', { description: 'Waits until cancelled' }, async (extra) => {
  await report('started');
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    extra.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      void report('cancelled').then(resolve);
    });
  });
  return { content: [{ type: 'text', text: 'finished' }] };
});
server.registerTool('failing', { description: 'Fails' }, async () => ({
  content: [{ type: 'text', text: 'it broke' }],
  isError: true,
}));
await server.connect(new StdioServerTransport());

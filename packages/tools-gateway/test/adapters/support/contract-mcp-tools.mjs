// The MCP tools the ToolAdapter contract needs (echo, slow, failing), registered the same way on
// the stdio server (a child process, so this module is JavaScript) and on the HTTP one in the test.
import { z } from 'zod';

/**
 * @param {import('@modelcontextprotocol/sdk/server/mcp.js').McpServer} server
 * @param {{ started(): unknown, cancelled(): unknown }} slow what the slow tool tells when its call
 *   starts and when its cancel arrives (awaited when they return a promise)
 */
export function registerContractTools(server, slow) {
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
    await slow.started();
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        void Promise.resolve(slow.cancelled()).then(resolve);
      });
    });
    return { content: [{ type: 'text', text: 'finished' }] };
  });
  server.registerTool('failing', { description: 'Fails' }, async () => ({
    content: [{ type: 'text', text: 'it broke' }],
    isError: true,
  }));
}

#!/usr/bin/env node
// The mini-stack's MCP server, over Streamable HTTP at POST /mcp: a read-only
// notebook with two tools, `notes_search` and `notes_get`. Stateless and
// answering with plain JSON (no session, no SSE stream), which the
// transport allows; JSON-RPC written directly, like examples/tools/weather-server.mjs,
// so it needs nothing installed.
import { HttpError, readJson, sendJson, serve } from './serve.mjs';

const NOTES = [
  { id: 'n1', title: 'Release checklist', text: 'Tag, build the image, run the smoke test, announce.' },
  { id: 'n2', title: 'On-call', text: 'Page the platform team for anything in the run queue.' },
  { id: 'n3', title: 'Style', text: 'Small modules, named exports, comments say why.' },
];

const TOOLS = [
  {
    name: 'notes_search',
    description: 'Notes whose title or text contains the query (example data).',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
  {
    name: 'notes_get',
    description: 'One note by id (n1, n2, n3).',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  },
];

const text = (value, isError = false) => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
  ...(isError ? { isError: true } : {}),
});

function callTool(name, args = {}) {
  if (name === 'notes_search') {
    const query = String(args.query ?? '').toLowerCase();
    const found = NOTES.filter((note) => `${note.title} ${note.text}`.toLowerCase().includes(query));
    return text(found.map(({ id, title }) => ({ id, title })));
  }
  if (name === 'notes_get') {
    const note = NOTES.find((item) => item.id === args.id);
    return note ? text(note) : text(`no note with id ${JSON.stringify(args.id)}`, true);
  }
  return undefined;
}

/** The result of one JSON-RPC request, or an error object. */
function answer(request) {
  switch (request.method) {
    case 'initialize':
      return {
        result: {
          protocolVersion: request.params?.protocolVersion ?? '2025-06-18',
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'agentd-mini-stack-notes', version: '1.0.0' },
        },
      };
    case 'ping':
      return { result: {} };
    case 'tools/list':
      return { result: { tools: TOOLS } };
    case 'tools/call': {
      const result = callTool(request.params?.name, request.params?.arguments);
      return result
        ? { result }
        : { error: { code: -32602, message: `unknown tool ${request.params?.name}` } };
    }
    default:
      return { error: { code: -32601, message: `method not found: ${request.method}` } };
  }
}

serve('stub-mcp', async (req, res, url) => {
  if (url.pathname !== '/mcp') throw new HttpError(404, 'the MCP endpoint is /mcp');
  // No server-initiated stream and no sessions: GET and DELETE are not offered.
  if (req.method !== 'POST') throw new HttpError(405, 'POST JSON-RPC messages to /mcp');
  const body = await readJson(req);
  const messages = Array.isArray(body) ? body : [body];
  const replies = messages
    .filter((message) => message && message.id !== undefined && message.method)
    .map((message) => ({ jsonrpc: '2.0', id: message.id, ...answer(message) }));
  // Notifications and responses only: accepted, nothing to say.
  if (replies.length === 0) return res.writeHead(202).end();
  sendJson(res, 200, Array.isArray(body) ? replies : replies[0]);
});

#!/usr/bin/env node
// An MCP server over stdio with one tool, `weather`, for trying agentd's tool
// directory without a network or an API key: the weather is made up, the same
// for the same city. It speaks MCP's newline-delimited JSON-RPC directly, so
// it needs nothing installed.
import { createInterface } from 'node:readline';

const TOOL = {
  name: 'weather',
  description: 'Current weather for a city (made-up example data).',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city, e.g. Oslo' } },
    required: ['city'],
  },
};
const SKIES = ['clear', 'cloudy', 'light rain', 'snow', 'fog'];

function weather(city) {
  const seed = [...city.toLowerCase()].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 10007, 7);
  return { city, sky: SKIES[seed % SKIES.length], temperature_c: (seed % 35) - 5, source: 'example data' };
}

function answer(request) {
  switch (request.method) {
    case 'initialize':
      return {
        protocolVersion: request.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'agentd-example-weather', version: '1.0.0' },
      };
    case 'ping':
      return {};
    case 'tools/list':
      return { tools: [TOOL] };
    case 'tools/call': {
      const city = request.params?.arguments?.city;
      if (request.params?.name !== TOOL.name || typeof city !== 'string') {
        return { isError: true, content: [{ type: 'text', text: 'weather takes {"city": "<name>"}' }] };
      }
      return { content: [{ type: 'text', text: JSON.stringify(weather(city)) }] };
    }
    default:
      return undefined;
  }
}

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return send({ id: null, error: { code: -32700, message: 'Parse error' } });
  }
  if (request.id === undefined) return; // a notification
  const result = answer(request);
  if (result === undefined)
    send({ id: request.id, error: { code: -32601, message: `Unknown method ${request.method}` } });
  else send({ id: request.id, result });
});

#!/usr/bin/env node
// The mini-stack walkthrough (README: Dev container and mini-stack): registers
// the three example tools, creates an agent on the scripted model, and runs it
// once per tool through POST /v1/responses. Only Node's fetch: nothing to build.
//
//   AGENTD_API_KEY=... node examples/mini-stack/walkthrough.mjs
//
// AGENTD_URL (default http://127.0.0.1:8787) is the server. The manifests in
// tools/ name the stubs as compose does (stub-http, stub-mcp, stub-openapi);
// STUB_HTTP_URL, STUB_MCP_URL and STUB_OPENAPI_URL put them elsewhere.
import { readdirSync, readFileSync } from 'node:fs';

const server = (process.env.AGENTD_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const apiKey = process.env.AGENTD_API_KEY;
if (!apiKey) {
  console.error('Set AGENTD_API_KEY (the admin key agentd printed, or .agentd/admin-key).');
  process.exit(2);
}
const STUBS = {
  'http://stub-http:8080': process.env.STUB_HTTP_URL,
  'http://stub-mcp:8080': process.env.STUB_MCP_URL,
  'http://stub-openapi:8080': process.env.STUB_OPENAPI_URL,
};

/** What the agent is asked, one per kind of tool: the scripted model calls the named tool. */
export const RUNS = [
  { kind: 'HTTP tool', input: 'call convert {"amount": 100, "from": "EUR", "to": "NOK"}' },
  { kind: 'MCP server', input: 'call notes_search {"query": "release"}' },
  { kind: 'OpenAPI service', input: 'call getProduct {"sku": "KB-01"}' },
];

async function api(method, path, body) {
  const response = await fetch(`${server}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const value = await response.json().catch(() => ({}));
  return { status: response.status, body: value };
}

function manifests() {
  const dir = new URL('./tools/', import.meta.url);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tool.json'))
    .sort()
    .map((name) => {
      let text = readFileSync(new URL(name, dir), 'utf8');
      for (const [from, to] of Object.entries(STUBS))
        if (to) text = text.replaceAll(from, to.replace(/\/+$/, ''));
      return JSON.parse(text);
    });
}

function fail(step, response) {
  console.error(
    `${step} failed (${response.status}): ${JSON.stringify(response.body.error ?? response.body)}`,
  );
  process.exit(1);
}

const names = [];
for (const manifest of manifests()) {
  const created = await api('POST', '/v1/tools', manifest);
  if (created.status === 409) console.log(`tool ${manifest.name}: already registered`);
  else if (created.status !== 200) fail(`registering ${manifest.name}`, created);
  else {
    const offered = created.body.tools.map((tool) => tool.name).join(', ');
    console.log(`tool ${manifest.name} (${manifest.adapter.type}): registered, offers ${offered}`);
  }
  names.push(manifest.name);
}

const agent = await api('POST', '/v1/agents', {
  name: 'mini-stack',
  model: 'scripted',
  instructions: 'Use the tools to answer.',
  tools: names,
});
if (agent.status === 409) console.log('agent mini-stack: already there');
else if (agent.status !== 200) fail('creating the agent', agent);
else console.log(`agent mini-stack: created with tools ${names.join(', ')}`);

for (const run of RUNS) {
  const response = await api('POST', '/v1/responses', { agent: 'mini-stack', input: run.input });
  if (response.status !== 200) fail(`the run for the ${run.kind}`, response);
  const output = response.body.output ?? [];
  const call = output.find((item) => item.type === 'function_call');
  const result = output.find((item) => item.type === 'function_call_output');
  if (!call || !result || response.body.status !== 'completed') fail(`the run for the ${run.kind}`, response);
  console.log(`${run.kind}: ${call.name} ${call.arguments} -> ${result.output} (${response.body.id})`);
}
console.log('Every kind of tool answered. Replay any run above: GET /v1/responses/<id>/events.');

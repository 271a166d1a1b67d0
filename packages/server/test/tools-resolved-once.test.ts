import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpToolManifest } from './support/http-tools.js';

// ADR-0035: the create resolves a request's tools (refusing unknown ones) and the run it starts here uses them.
describe("a request's tools are resolved once", () => {
  let agentd: AgentdWithFakeModel;
  let upstream: ToolServer;

  beforeAll(async () => {
    upstream = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
    });
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { OPENAI_API_KEY: 'sk-upstream', AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
    });
    const registered = await agentd.api.post(
      '/v1/tools',
      httpToolManifest('weather', `${upstream.url}/weather`),
    );
    expect(registered.status).toBe(200);
  });
  afterAll(async () => {
    await agentd?.close();
    await upstream?.close();
  });

  it('reads the tenant’s tools once for a registered tool and a built-in tool object, and the run calls them', async () => {
    const reads = vi.spyOn(agentd.server.server.services.toolRepository, 'all');
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'w', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { text: 'Clear in Oslo.' },
    );
    const response = await agentd.api.post('/v1/responses', {
      input: 'Weather in Oslo?',
      tools: ['weather', { type: 'web_search' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    expect(
      response.body.tools.map((tool: { type: string; name?: string }) => tool.name ?? tool.type),
    ).toEqual(['weather', 'web_search']);
    const output = response.body.output.find(
      (item: { type: string }) => item.type === 'function_call_output',
    );
    expect(JSON.parse(output.output)).toEqual({ city: 'Oslo', sky: 'clear' });
    // The model was offered both: the registered tool and the built-in the object turned on.
    const offered = (agentd.fake.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map(
      (tool: { function: { name: string } }) => tool.function.name,
    );
    expect(offered).toEqual(expect.arrayContaining(['weather', 'web_search']));
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });

  it('still refuses an unknown tool at the create, naming it', async () => {
    const refused = await agentd.api.post('/v1/responses', {
      input: 'Hi',
      tools: ['weather', 'nope'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'unknown_tool', param: 'tools[1]' });
  });
});

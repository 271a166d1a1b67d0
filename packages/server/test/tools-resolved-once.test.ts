import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { httpToolManifest } from './support/http-tools.js';
import { toolServerSuite } from './support/tool-server-suite.js';

// ADR-0035: the create resolves a request's tools (refusing unknown ones) and the run it starts here uses them.
describe("a request's tools are resolved once", () => {
  const upstream = toolServerSuite({
    weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
  });
  const suite = fakeModelSuite({
    backend: 'pglite',
    env: { OPENAI_API_KEY: 'sk-upstream', AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
  });

  beforeAll(async () => {
    const registered = await suite.api.post(
      '/v1/tools',
      httpToolManifest('weather', `${upstream.server.url}/weather`),
    );
    expect(registered.status).toBe(200);
  });

  it('reads the tenant’s tools once for a registered tool and a built-in tool object, and the run calls them', async () => {
    const reads = vi.spyOn(suite.agentd.server.server.services.toolRepository, 'all');
    suite.fake.enqueue(
      { toolCalls: [{ id: 'w', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { text: 'Clear in Oslo.' },
    );
    const response = await suite.api.post('/v1/responses', {
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
    const offered = (suite.fake.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map(
      (tool: { function: { name: string } }) => tool.function.name,
    );
    expect(offered).toEqual(expect.arrayContaining(['weather', 'web_search']));
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });

  it('still refuses an unknown tool at the create, naming it', async () => {
    const refused = await suite.api.post('/v1/responses', {
      input: 'Hi',
      tools: ['weather', 'nope'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'unknown_tool', param: 'tools[1]' });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOpenAI, startFakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.js';

// Each run starts a whole server (PGlite and its migrations) as a process: slow on a loaded machine.
describe('agentd run --local --tool-dir', { timeout: 180_000 }, () => {
  let fake: FakeOpenAI;
  let tools: ToolServer;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    tools = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
    });
    dir = mkdtempSync(join(tmpdir(), 'agentd-cli-tools-'));
    writeFileSync(
      join(dir, 'weather.json'),
      JSON.stringify({
        name: 'weather',
        description: 'Weather for a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        adapter: { type: 'http', url: `${tools.url}/weather` },
      }),
    );
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', adapter: { type: 'http' } }));
  });
  afterAll(async () => {
    await tools?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a one-off agent with the directory’s tools, shows its steps, and reports the bad manifest', async () => {
    fake.enqueue(
      { toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { text: 'Clear skies in Oslo.' },
    );
    const result = await runCli(['run', '--local', '--tool-dir', dir, 'What is the weather in Oslo?'], {
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AGENTD_DEFAULT_MODEL: 'fake-model',
    });
    expect(result.stderr).toContain(`skipped ${join(dir, 'bad.json')}: adapter.url: is required`);
    expect(result.stderr).toContain('1 tool loaded: weather');
    expect(result.stderr).toContain('→ weather {"city":"Oslo"}');
    expect(result.stderr).toContain('← {"city":"Oslo","sky":"clear"}');
    expect(result.stderr).toMatch(/\[completed; \d+ tokens in, \d+ out\]/);
    expect(result.stdout).toBe('Clear skies in Oslo.\n');
    expect(result.code).toBe(0);
    expect(
      fake.requests[0]!.body.tools.map((tool: { function: { name: string } }) => tool.function.name),
    ).toEqual(['weather']);
  });

  it('works with zero set-up on the scripted model', async () => {
    const result = await runCli(['run', '--local', 'hello']);
    expect(result.stdout).toContain('stand-in');
    expect(result.code).toBe(0);
  });

  it('says what is wrong with its arguments', async () => {
    const result = await runCli(['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('run needs a question');
    const unknown = await runCli(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'fly'");
    const missingDir = await runCli(['run', '--local', '--tool-dir', join(dir, 'nope'), 'hi']);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toContain('cannot read the tool directory');
  });
});

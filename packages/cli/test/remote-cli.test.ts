import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.js';

describe('the CLI against a running server', () => {
  let agentd: AgentdWithFakeModel;
  let tools: ToolServer;
  let home: string;
  let toolDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    tools = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
    });
    home = mkdtempSync(join(tmpdir(), 'agentd-cli-home-'));
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-cli-tools-'));
    writeFileSync(
      join(toolDir, 'weather.json'),
      JSON.stringify({
        name: 'weather',
        description: 'Weather for a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        adapter: { type: 'http', url: `${tools.url}/weather` },
      }),
    );
    env = { AGENTD_URL: agentd.server.url, AGENTD_API_KEY: agentd.server.adminKey, XDG_CONFIG_HOME: home };
  }, 120_000);
  afterAll(async () => {
    await tools?.close();
    await agentd?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(toolDir, { recursive: true, force: true });
  });

  it('runs a prompt on the server, its local tools called in the CLI, the answer on stdout', async () => {
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { chunks: ['Clear ', 'skies ', 'in Oslo.'] },
    );
    const result = await runCli(['run', '--tool-dir', toolDir, 'What is the weather in Oslo?'], env);
    expect(result.stderr).toContain('agentd: 1 tool loaded: weather');
    expect(result.stderr).toContain('→ weather {"city":"Oslo"}');
    expect(result.stderr).toContain('← {"city":"Oslo","sky":"clear"}');
    expect(result.stderr).toMatch(/\[completed; \d+ tokens in, \d+ out\]/);
    // Not a terminal: no colour codes, no spinner frames.
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.stderr).not.toContain('⠋');
    expect(result.stdout).toBe('Clear skies in Oslo.\n');
    expect(result.code).toBe(0);
    const lastRequest = agentd.fake.requests.at(-1)!.body;
    expect(JSON.stringify(lastRequest.messages)).toContain('"sky\\":\\"clear');
  });

  it('prints only the final response with --json, and exits 1 when the run fails', async () => {
    agentd.fake.enqueue({ text: 'forty-two' });
    const ok = await runCli(['run', '--json', 'answer?'], env);
    expect(ok.code).toBe(0);
    const response = JSON.parse(ok.stdout);
    expect(response).toMatchObject({ object: 'response', status: 'completed' });
    expect(JSON.stringify(response.output)).toContain('forty-two');

    agentd.fake.enqueue({
      error: { status: 400, body: { error: { message: 'model says no', type: 'invalid_request_error' } } },
    });
    const failed = await runCli(['run', 'answer?'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: model_http_error: ');
    expect(failed.stderr).toContain('model says no');
    expect(failed.stdout).toBe('');
  });

  it('runs a stored agent by name, and replays its events', async () => {
    const created = await runCli(['agents', 'create', 'helper', '--instructions', 'Be brief.'], env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'helper', instructions: 'Be brief.' });
    const list = await runCli(['agents', 'list'], env);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+MODEL\s+VERSION\n/);
    expect(list.stdout).toContain('helper');

    agentd.fake.enqueue({ text: 'Hi from helper.' });
    const run = await runCli(['run', '--agent', 'helper', '--json', 'hello'], env);
    expect(run.code).toBe(0);
    const id = JSON.parse(run.stdout).id as string;
    expect(JSON.stringify(agentd.fake.requests.at(-1)!.body.messages)).toContain('Be brief.');

    const replay = await runCli(['responses', 'events', id], env);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe('Hi from helper.\n');
    expect(replay.stderr).toMatch(/\[completed/);
    const lines = await runCli(['responses', 'events', id, '--json'], env);
    const types = lines.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const followed = await runCli(['responses', 'events', id, '--follow', '--json'], env);
    expect(
      followed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type),
    ).toEqual(types);

    const deleted = await runCli(['agents', 'delete', 'helper'], env);
    expect(deleted).toMatchObject({ code: 0, stdout: 'deleted helper\n' });
    const gone = await runCli(['agents', 'get', 'helper'], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("no agent named 'helper'");
  });

  it('manages keys and files, and validates a tool directory offline', async () => {
    const key = await runCli(['keys', 'create', 'ci', '--role', 'member'], env);
    expect(key.code).toBe(0);
    const created = JSON.parse(key.stdout);
    expect(created.value).toMatch(/^sk-/);
    expect((await runCli(['keys', 'list'], env)).stdout).toContain(created.id);

    const file = join(home, 'notes.txt');
    writeFileSync(file, 'hello file');
    const upload = await runCli(['files', 'create', file], env);
    expect(upload.code).toBe(0);
    const uploaded = JSON.parse(upload.stdout);
    expect(uploaded).toMatchObject({ filename: 'notes.txt', bytes: 10 });
    expect((await runCli(['files', 'list'], env)).stdout).toContain(uploaded.id);
    expect(await runCli(['files', 'delete', uploaded.id], env)).toMatchObject({ code: 0 });

    writeFileSync(
      join(toolDir, 'broken.json'),
      JSON.stringify({ name: 'broken', adapter: { type: 'http' } }),
    );
    const validate = await runCli(['tools', 'validate', toolDir], {});
    rmSync(join(toolDir, 'broken.json'));
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(`ok    ${join(toolDir, 'weather.json')}: weather`);
    expect(validate.stdout).toContain('adapter.url: is required');
    expect(validate.stdout).toContain('1 valid, 1 invalid');
    expect(await runCli(['tools', 'validate', toolDir], {})).toMatchObject({ code: 0 });
  });

  it('logs in: checks the key, stores it readable by the user only, and uses it', async () => {
    const config = { XDG_CONFIG_HOME: join(home, 'login') };
    const refused = await runCli(['login', '--url', agentd.server.url, '--key', 'sk-agentd-wrong'], config);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the server refused the API key');

    const login = await runCli(['login', '--url', agentd.server.url], config, {
      input: `${agentd.server.adminKey}\n`,
    });
    expect(login.code).toBe(0);
    const path = join(home, 'login', 'agentd', 'config.json');
    expect(login.stdout).toBe(`logged in to ${agentd.server.url}; saved to ${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'login', 'agentd')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      url: agentd.server.url,
      key: agentd.server.adminKey,
    });

    const list = await runCli(['agents', 'list', '--json'], config);
    expect(list.code).toBe(0);
    expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
  });

  it('says clearly when no server answers, the key is refused, or none is given', async () => {
    const port = await closedPort();
    const closed = await runCli(['agents', 'list'], {
      AGENTD_URL: `http://127.0.0.1:${port}`,
      AGENTD_API_KEY: 'sk-x',
      XDG_CONFIG_HOME: home,
    });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(
      new RegExp(`^agentd: cannot reach the agentd server .*127\\.0\\.0\\.1:${port}.*is it running\\?`),
    );
    const refused = await runCli(['run', 'hi'], { ...env, AGENTD_API_KEY: 'sk-agentd-wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the server refused the API key');
    const none = await runCli(['run', 'hi'], { XDG_CONFIG_HOME: home });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no API key: pass --key, set AGENTD_API_KEY, or run `agentd login` first');
  });

  it('has --help on every verb', async () => {
    for (const verb of [
      [],
      ['run'],
      ['login'],
      ['agents', 'list'],
      ['tools', 'validate'],
      ['responses', 'events'],
      ['keys', 'create'],
      ['files', 'create'],
    ]) {
      const help = await runCli([...verb, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: agentd/);
    }
  });
});

/** A port nothing listens on: one the system gave, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

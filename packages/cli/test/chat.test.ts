import { spawn } from 'node:child_process';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, outputWaiters } from './cli-support.js';

/** `agentd chat` with its stdin piped (not a terminal: no prompt, no colour), read as it writes. */
function startChat(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, 'chat', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env },
  });
  const seen = { stdout: '', stderr: '' };
  const { wake, until } = outputWaiters();
  child.stdout.on('data', (chunk) => {
    seen.stdout += chunk;
    wake();
  });
  child.stderr.on('data', (chunk) => {
    seen.stderr += chunk;
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    seen,
    exited,
    type: (line: string) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    kill: () => child.kill(),
    until,
  };
}

describe('agentd chat', () => {
  let agentd: AgentdWithFakeModel;
  let tools: ToolServer;
  let env: Record<string, string>;
  const calls: string[] = [];

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    tools = await startToolServer({
      weather: (body: { city: string }) => {
        calls.push(body.city);
        return { city: body.city, sky: 'clear' };
      },
    });
    await agentd.api.post('/v1/tools', {
      name: 'weather',
      description: 'Weather for a city',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      adapter: { type: 'http', url: `${tools.url}/weather` },
      requires_approval: true,
    });
    env = {
      AGENTD_URL: agentd.server.url,
      AGENTD_API_KEY: agentd.server.adminKey,
      AGENTD_NET_ALLOW: '127.0.0.1',
    };
  }, 120_000);
  afterAll(async () => {
    await tools?.close();
    await agentd?.close();
  });

  it('keeps the thread, streams answers, and asks approvals at the prompt', async () => {
    const chat = startChat(env, ['--tools', 'weather']);
    try {
      agentd.fake.enqueue({ chunks: ['Hi ', 'there.'] }, { text: 'You said hello.' });
      chat.type('hello');
      await chat.until(() => chat.seen.stdout.includes('Hi there.\n'));
      chat.type('what did I say?');
      await chat.until(() => chat.seen.stdout.includes('You said hello.\n'));
      const history = JSON.stringify(agentd.fake.requests.at(-1)!.body.messages);
      expect(history).toContain('hello');
      expect(history).toContain('Hi there.');

      agentd.fake.enqueue(
        { toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
        { text: 'Clear in Oslo.' },
      );
      chat.type('weather in Oslo?');
      await chat.until(() => chat.seen.stderr.includes('approve? [y/N]'));
      expect(chat.seen.stderr).toContain('? weather {"city":"Oslo"}');
      expect(calls).toEqual([]);
      chat.type('y');
      await chat.until(() => chat.seen.stdout.includes('Clear in Oslo.\n'));
      expect(calls).toEqual(['Oslo']);
      // Not a terminal: no prompt on stdout, only the answers.
      expect(chat.seen.stdout).toBe('Hi there.\nYou said hello.\nClear in Oslo.\n');
      chat.end();
      expect(await chat.exited).toBe(0);
    } finally {
      chat.kill();
    }
  });

  it('/stop cancels the answer being written, and the chat goes on', async () => {
    const chat = startChat(env);
    try {
      // The model is called, then says nothing: the answer is being waited for when /stop comes.
      let called: () => void = () => undefined;
      const modelCalled = new Promise<void>((resolve) => {
        called = resolve;
      });
      const turns = [{ hang: true }, { text: 'Still here.' }];
      agentd.fake.setHandler(() => {
        called();
        return turns.shift() ?? { text: 'unexpected' };
      });
      chat.type('tell me a long story');
      await modelCalled;
      chat.type('/stop');
      await chat.until(() => chat.seen.stderr.includes('[stopped]'));
      chat.type('are you there?');
      await chat.until(() => chat.seen.stdout.includes('Still here.\n'));
      expect(chat.seen.stdout).toBe('Still here.\n');
      agentd.fake.setHandler(undefined);
      chat.end();
      expect(await chat.exited).toBe(0);
    } finally {
      chat.kill();
    }
  });
});

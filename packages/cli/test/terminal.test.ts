/**
 * The CLI in a real pseudo-terminal (python3's pty module), as a user at a
 * shell sees it: the spinner and colour on a terminal, none of the colour
 * with NO_COLOR, the chat's prompt, /stop and approvals typed at it, and a
 * login prompt that does not show the key being typed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInTerminal, stripAnsi, type Terminal } from './support/pty.js';

/** A colour or weight escape (SGR), as opposed to the spinner's line clearing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it finds.
const SGR = /\u001b\[\d+(;\d+)*m/;
const SPINNER_FRAME = '⠋ thinking (fake-model, step 1)';

describe('the CLI in a terminal', () => {
  let agentd: AgentdWithFakeModel;
  let tools: ToolServer;
  let env: Record<string, string>;
  let home: string;
  const open: Terminal[] = [];
  const terminal = (args: string[], extra: Record<string, string> = {}, base = env) => {
    const started = startInTerminal(args, { ...base, ...extra });
    open.push(started);
    return started;
  };

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    tools = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
      clock: () => ({ time: '12:00' }),
    });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    await agentd.api.post('/v1/tools', {
      name: 'weather',
      description: 'Weather for a city',
      input_schema: schema,
      adapter: { type: 'http', url: `${tools.url}/weather` },
      requires_approval: true,
    });
    await agentd.api.post('/v1/tools', {
      name: 'clock',
      description: 'The time',
      input_schema: { type: 'object', properties: {} },
      adapter: { type: 'http', url: `${tools.url}/clock` },
    });
    home = mkdtempSync(join(tmpdir(), 'agentd-cli-tty-'));
    env = {
      AGENTD_URL: agentd.server.url,
      AGENTD_API_KEY: agentd.server.adminKey,
      XDG_CONFIG_HOME: home,
    };
  }, 120_000);
  afterAll(async () => {
    for (const started of open) started.kill();
    await tools?.close();
    await agentd?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('`agentd run` shows a spinner while the model thinks, and its steps in colour', async () => {
    agentd.fake.enqueue({ toolCalls: [{ id: 'c1', name: 'clock', arguments: '{}' }] }, { text: 'Noon.' });
    const run = terminal(['run', '--tools', 'clock', 'What time is it?']);
    expect(await run.exited).toBe(0);
    const screen = run.screen();
    expect(screen).toContain(`⠋ \u001b[2m${SPINNER_FRAME.slice(2)}\u001b[22m`);
    // The spinner's line is cleared before the next line is written.
    expect(screen).toContain('\r\u001b[2K');
    expect(screen).toContain('\u001b[36m→\u001b[39m \u001b[1mclock\u001b[22m {}');
    const plain = stripAnsi(screen);
    expect(plain).toContain('← {"time":"12:00"}');
    expect(plain).toContain('Noon.\r\n');
    expect(plain).toMatch(/\[completed; \d+ tokens in, \d+ out\]/);
  });

  it('`agentd run` with NO_COLOR set writes no colour, still on a terminal', async () => {
    agentd.fake.enqueue({ toolCalls: [{ id: 'c2', name: 'clock', arguments: '{}' }] }, { text: 'Noon.' });
    const run = terminal(['run', '--tools', 'clock', 'What time is it?'], { NO_COLOR: '1' });
    expect(await run.exited).toBe(0);
    const screen = run.screen();
    expect(screen).not.toMatch(SGR);
    expect(screen).toContain(SPINNER_FRAME);
    expect(screen).toContain('→ clock {}');
    expect(screen).toContain('Noon.\r\n');
  });

  it('`agentd chat` prompts, streams the answer, and asks an approval at the prompt', async () => {
    const chat = terminal(['chat', '--tools', 'weather']);
    await chat.until((plain) => plain.includes('you> '));
    expect(chat.screen()).toContain('\u001b[1myou> \u001b[22m');
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'c3', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { chunks: ['Clear ', 'in Oslo.'] },
    );
    chat.type('weather in Oslo?\r');
    await chat.until((plain) => plain.includes('approve? [y/N]'));
    expect(chat.screen()).toContain('\u001b[33m? weather {"city":"Oslo"} — approve? [y/N] ');
    chat.type('y\r');
    await chat.until((plain) => plain.includes('Clear in Oslo.'));
    await chat.until((plain) => plain.split('you> ').length > 2);
    // What the user typed is echoed once (readline's echo), never doubled by the terminal.
    expect(stripAnsi(chat.screen()).split('weather in Oslo?').length).toBe(2);
    chat.type('/exit\r');
    expect(await chat.exited).toBe(0);
  });

  it('`agentd chat`: /stop typed while the answer is awaited stops it, and the chat goes on', async () => {
    let called: () => void = () => undefined;
    const modelCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const turns = [{ hang: true }, { text: 'Still here.' }];
    agentd.fake.setHandler(() => {
      called();
      return turns.shift() ?? { text: 'unexpected' };
    });
    try {
      const chat = terminal(['chat']);
      await chat.until((plain) => plain.includes('you> '));
      chat.type('tell me a long story\r');
      await modelCalled;
      await chat.until((plain) => plain.includes('thinking'));
      chat.type('/stop\r');
      await chat.until((plain) => plain.includes('[stopped]'));
      chat.type('are you there?\r');
      await chat.until((plain) => plain.includes('Still here.'));
      chat.type('\u0004');
      expect(await chat.exited).toBe(0);
    } finally {
      agentd.fake.setHandler(undefined);
    }
  });

  it('`agentd login` reads the key at a prompt that does not show it', async () => {
    const key = agentd.server.adminKey;
    const login = terminal(['login', '--url', agentd.server.url], { XDG_CONFIG_HOME: home }, {});
    await login.until((plain) => plain.includes('API key: '));
    login.type(`${key}\r`);
    expect(await login.exited).toBe(0);
    const screen = login.screen();
    expect(screen).toContain('logged in to');
    expect(screen).not.toContain(key);
    expect(screen).not.toContain(key.slice(0, 12));
    const saved = JSON.parse(readFileSync(join(home, 'agentd', 'config.json'), 'utf8'));
    expect(saved.key).toBe(key);
  });

  it('`agentd login`: Ctrl-C at the prompt leaves without saving anything', async () => {
    const other = mkdtempSync(join(tmpdir(), 'agentd-cli-tty-'));
    try {
      const login = terminal(['login', '--url', agentd.server.url], { XDG_CONFIG_HOME: other }, {});
      await login.until((plain) => plain.includes('API key: '));
      login.type('sk-agentd-half\u0003');
      expect(await login.exited).toBe(130);
      expect(login.screen()).not.toContain('sk-agentd-half');
      expect(() => readFileSync(join(other, 'agentd', 'config.json'))).toThrow();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

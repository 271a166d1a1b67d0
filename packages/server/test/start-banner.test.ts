import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import type { RunningServer } from '../src/server.js';
import { banner, builtinLines } from '../src/start-banner.js';
import type { ArtifactStore } from '../src/tools/builtins/artifact-store.js';
import { BuiltinTools } from '../src/tools/builtins/builtin-tools.js';

const noArtifacts: ArtifactStore = { save: async () => ({ fileId: 'file_test' }) };

// The banner's tool lines, from the same BuiltinTools the server makes (no server: nothing here needs one).
describe('the start banner’s built-in tools', () => {
  const made: BuiltinTools[] = [];
  const builtins = (env: Record<string, string>) => {
    const tools = new BuiltinTools({
      config: loadConfig(env),
      logger: pino({ level: 'silent' }),
      artifacts: noArtifacts,
    });
    made.push(tools);
    return tools;
  };
  afterAll(async () => {
    await Promise.all(made.map((tools) => tools.close()));
  });

  it('lists what is on, and for what is off says why and how to turn it on', () => {
    const lines = builtinLines(
      builtins({ AGENTD_BROWSER: 'off', AGENTD_CODE_INTERPRETER_CPYTHON: 'off' }).report(),
    );
    expect(lines).toEqual([
      '  tools:     code_interpreter, fetch_url, web_search',
      '             code_interpreter runtimes: pyodide (booting in the background)',
      '             web_search has no web backend (set AGENTD_SEARCH_BACKEND to searxng, brave or tavily); it searches files only',
      '  off:       browser: it is turned off on this server (AGENTD_BROWSER=off)',
      '             to turn it on: unset AGENTD_BROWSER (or set it to on) and restart',
      '  off:       code_interpreter runtime cpython: it is turned off on this server (AGENTD_CODE_INTERPRETER_CPYTHON=off)',
      '             to turn it on: set AGENTD_CODE_INTERPRETER_CPYTHON=auto and restart',
    ]);
  });

  it('says when the interpreters boot: in the background at start, or on first use', () => {
    const off = builtinLines(
      builtins({ AGENTD_CODE_INTERPRETER_PREWARM: 'off', AGENTD_CODE_INTERPRETER_CPYTHON: 'off' }).report(),
    );
    expect(off).toContain('             code_interpreter runtimes: pyodide (booted on first use)');
  });

  it('says Chromium is missing and how to install it', () => {
    const lines = builtinLines(builtins({ AGENTD_CHROMIUM_PATH: '/nonexistent/chromium' }).report());
    expect(lines).toContain(
      '  off:       browser: there is no Chromium at /nonexistent/chromium (AGENTD_CHROMIUM_PATH)',
    );
    expect(lines).toContain(
      '             to turn it on: install Chromium (apt-get install chromium; npm start does it when run as root) or point AGENTD_CHROMIUM_PATH at one, and restart',
    );
  });

  it('puts them in the banner, before the try line', () => {
    const config = loadConfig({ AGENTD_BROWSER: 'off' });
    const server = {
      url: 'http://127.0.0.1:8787',
      admin: { source: 'env', keyFile: '/tmp/none' },
      services: { tools: { builtins: builtins({ AGENTD_BROWSER: 'off' }) } },
    } as unknown as RunningServer;
    const text = banner(config, server);
    expect(text).toContain('\n  off:       browser: it is turned off on this server (AGENTD_BROWSER=off)\n');
    expect(text.indexOf('  tools:  ')).toBeLessThan(text.indexOf('  try:  '));
  });

  it('answers a call for a runtime that is off with why, not with a schema error', async () => {
    const tools = builtins({ AGENTD_CODE_INTERPRETER_CPYTHON: 'off' });
    const tool = tools.tools.get('code_interpreter')!;
    const runtime = (tool.definition.parameters as { properties: { runtime: { enum: string[] } } }).properties
      .runtime;
    // Still named in the schema, so the argument check lets the call through to say why.
    expect(runtime.enum).toEqual(['pyodide', 'cpython']);
    const result = await tool.execute(
      { code: 'print(1)', runtime: 'cpython' },
      {
        callId: 'c1',
        signal: new AbortController().signal,
      },
    );
    expect(result).toEqual({
      isError: true,
      output:
        "The cpython runtime is not available: it is turned off on this server (AGENTD_CODE_INTERPRETER_CPYTHON=off). Run the code with runtime 'pyodide' instead.",
    });
  });
});

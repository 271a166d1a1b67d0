import { BACKENDS } from '@agentd/test-server';
import { describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

// A request that names a tool or runtime that is off is told why, in the words a user can act on.
describe.each(BACKENDS)('built-in tools and runtimes that are off (%s)', (backend) => {
  const suite = testServerSuite({
    backend,
    env: { AGENTD_BROWSER: 'off', AGENTD_CODE_INTERPRETER_CPYTHON: 'off' },
  });

  it.each([
    [
      'a tool that is off with a 400 that says why',
      {
        request: { input: 'open https://example.com', tools: ['browser'] },
        param: 'tools[0]',
        message:
          "The built-in tool 'browser' is not available: it is turned off on this server (AGENTD_BROWSER=off).",
      },
    ],
    [
      'a built-in code interpreter with a runtime that is off, naming the field',
      {
        request: {
          input: 'hi',
          tools: [{ type: 'code_interpreter', container: { type: 'auto' }, runtime: 'cpython' }],
        },
        param: 'tools[0].runtime',
        message:
          'The cpython runtime is not available: it is turned off on this server (AGENTD_CODE_INTERPRETER_CPYTHON=off).',
      },
    ],
  ] as const)('refuses %s', async (_what, { request, param, message }) => {
    const response = await suite.api.post('/v1/responses', request);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'unsupported_tool', param, message });
  });

  it('answers a model’s call for that runtime with why, not "must be equal to one of the allowed values"', async () => {
    const response = await suite.api.post('/v1/responses', {
      input: '```cpython\nprint(1)\n```',
      tools: ['code_interpreter'],
    });
    expect(response.status).toBe(200);
    const output = response.body.output.find(
      (item: { type: string }) => item.type === 'function_call_output',
    );
    expect(output.output).toBe(
      "Error: The cpython runtime is not available: it is turned off on this server (AGENTD_CODE_INTERPRETER_CPYTHON=off). Run the code with runtime 'pyodide' instead.",
    );
    expect(JSON.stringify(response.body)).not.toContain('allowed values');
  });

  it('has the stand-in say why when asked to call a tool that is off', async () => {
    const response = await suite.api.post('/v1/responses', { input: 'call browser {"action": "open"}' });
    expect(response.status).toBe(200);
    const text = response.body.output.at(-1).content[0].text;
    expect(text).toBe(
      'I cannot call browser: it is not available (it is turned off on this server (AGENTD_BROWSER=off)).',
    );
  });
});

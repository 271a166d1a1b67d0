import type { ToolContext, ToolManifest } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import {
  AdapterError,
  type BuiltinTool,
  createAdapter,
  createBuiltinAdapter,
  createClientAdapter,
} from '../../src/index.js';
import { toolContext } from './support/tool-context.js';

const seen: { args: unknown; context: ToolContext }[] = [];
const builtins = new Map<string, BuiltinTool>([
  [
    'calculator',
    {
      definition: {
        name: 'calculator',
        description: 'Adds numbers',
        parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
      },
      execute: async (args, context) => {
        seen.push({ args, context });
        const { a, b } = args as { a: number; b: number };
        return String(a + b);
      },
    },
  ],
  [
    'failing',
    {
      definition: { name: 'failing', parameters: { type: 'object' } },
      execute: async () => ({ output: 'no luck', isError: true }),
    },
  ],
]);

describe('client-side adapter', () => {
  const manifest: ToolManifest = {
    name: 'pick_colour',
    description: 'Asks the user for a colour',
    input_schema: { type: 'object', properties: { prompt: { type: 'string' } } },
    adapter: { type: 'client' },
  };

  it('offers the tool but refuses to run it', async () => {
    const adapter = createClientAdapter(manifest);
    expect(await adapter.list()).toEqual([
      {
        name: 'pick_colour',
        description: 'Asks the user for a colour',
        inputSchema: { type: 'object', properties: { prompt: { type: 'string' } } },
      },
    ]);
    const error = await adapter.call('pick_colour', {}, toolContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('client_side');
    expect((error as Error).message).toBe("'pick_colour' is a client-side tool: the client runs it");
  });
});

describe('built-in adapter', () => {
  it('delegates to the named built-in with the arguments and the context', async () => {
    const adapter = createBuiltinAdapter(
      { name: 'add', adapter: { type: 'builtin', tool: 'calculator' } },
      builtins,
    );
    expect(await adapter.list()).toEqual([
      {
        name: 'add',
        description: 'Adds numbers',
        inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
      },
    ]);
    const context = toolContext();
    expect(await adapter.call('add', { a: 2, b: 3 }, context)).toEqual({ output: '5' });
    expect(seen.at(-1)).toEqual({ args: { a: 2, b: 3 }, context });
  });

  it('passes error results through', async () => {
    const adapter = createBuiltinAdapter(
      { name: 'f', adapter: { type: 'builtin', tool: 'failing' } },
      builtins,
    );
    expect(await adapter.call('f', {}, toolContext())).toEqual({ output: 'no luck', isError: true });
  });

  it('fails at creation for an unknown built-in, naming the known ones', () => {
    expect(() =>
      createBuiltinAdapter({ name: 'py', adapter: { type: 'builtin', tool: 'code_interpreter' } }, builtins),
    ).toThrow(
      "the tool 'py' names the built-in 'code_interpreter', which is not registered (built-ins: calculator, failing)",
    );
  });
});

describe('createAdapter', () => {
  it('dispatches on adapter.type', async () => {
    const client = createAdapter({
      name: 'c',
      input_schema: { type: 'object' },
      adapter: { type: 'client' },
    });
    await expect(client.call('c', {}, toolContext())).rejects.toThrow('client-side tool');

    const builtin = createAdapter(
      { name: 'b', adapter: { type: 'builtin', tool: 'calculator' } },
      { builtins },
    );
    expect(await builtin.call('b', { a: 1, b: 1 }, toolContext())).toEqual({ output: '2' });

    const http = createAdapter({
      name: 'h',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/x' },
    });
    expect((await http.list()).map((tool) => tool.name)).toEqual(['h']);

    const openapi = createAdapter({
      name: 'o',
      adapter: {
        type: 'openapi',
        server_url: 'http://127.0.0.1:9',
        document: { openapi: '3.1.0', paths: { '/ping': { get: { operationId: 'ping' } } } },
      },
    });
    expect((await openapi.list()).map((tool) => tool.name)).toEqual(['ping']);

    const mcp = createAdapter({
      name: 'm',
      adapter: { type: 'mcp', transport: 'http', url: 'http://127.0.0.1:9/mcp' },
    });
    expect(mcp.health()).toBe('healthy');
    await mcp.close();
    expect(mcp.health()).toBe('unavailable');

    expect(() => createAdapter({ name: 'x', adapter: { type: 'builtin', tool: 'calculator' } })).toThrow(
      /not registered \(built-ins: none\)/,
    );
    expect(() => createAdapter({ name: 'x', adapter: { type: 'smtp' } as never })).toThrow(
      "the tool 'x' has an unknown adapter type 'smtp'",
    );
  });
});

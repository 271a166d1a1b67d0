import type { ToolManifest } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { type ToolAdapter, ToolRegistry } from '../src/index.js';

const adapter = (tools: string[]): ToolAdapter => ({
  list: async () => tools.map((name) => ({ name, inputSchema: { type: 'object' } })),
  call: async (tool) => ({ output: `${tool} ok` }),
  health: () => 'healthy',
  close: async () => undefined,
});

const manifest = (name: string, extra: Partial<ToolManifest> = {}): ToolManifest => ({
  name,
  input_schema: { type: 'object' },
  adapter: { type: 'http', url: `https://${name}.example` },
  ...extra,
});

describe('idempotent tools (run again when a worker failure left a call in flight)', () => {
  it("take the manifest's idempotent, false when it is absent", async () => {
    const registry = new ToolRegistry();
    await registry.put('api', 't1', manifest('search', { idempotent: true }), adapter(['search']));
    await registry.put('api', 't1', manifest('charge'), adapter(['charge']));
    await registry.put('api', 't1', manifest('refund', { idempotent: false }), adapter(['refund']));
    await registry.put(
      'api',
      't1',
      {
        name: 'docs',
        adapter: { type: 'mcp', transport: 'http', url: 'https://docs.example' },
        idempotent: true,
      },
      adapter(['read_page', 'list_pages']),
    );
    const tools = registry.resolve('t1', ['search', 'charge', 'refund', 'docs']);
    expect(tools.map((tool) => [tool.definition.name, tool.idempotent === true])).toEqual([
      ['search', true],
      ['charge', false],
      ['refund', false],
      ['read_page', true],
      ['list_pages', true],
    ]);
  });

  it('make a capability idempotent only when every tool that may serve it is', async () => {
    const registry = new ToolRegistry();
    const capability = (confidence: number) => ({ capabilities: [{ name: 'web.search', confidence }] });
    await registry.put('api', 't1', manifest('a', { ...capability(0.9), idempotent: true }), adapter(['a']));
    expect(registry.resolve('t1', [{ capability: 'web.search' }])[0]?.idempotent).toBe(true);
    await registry.put('api', 't1', manifest('b', capability(0.5)), adapter(['b']));
    expect(registry.resolve('t1', [{ capability: 'web.search' }])[0]?.idempotent).toBeUndefined();
  });
});

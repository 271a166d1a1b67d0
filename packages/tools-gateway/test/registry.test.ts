import type { ToolManifest, ToolReport } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { type AdapterHealth, type ToolAdapter, ToolRegistry, type UnknownToolError } from '../src/index.js';

/** An adapter whose tools behave as the test says, and which counts calls. */
function adapter(
  tools: string[],
  behave: (tool: string, args: unknown) => Promise<string> = async (tool) => `${tool} ok`,
  health: { value: AdapterHealth } = { value: 'healthy' },
) {
  const calls: string[] = [];
  const listeners = new Set<() => void>();
  const a: ToolAdapter & { calls: string[]; tools: string[]; changed(): void } = {
    calls,
    tools,
    list: async () =>
      a.tools.map((name) => ({
        name,
        inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
      })),
    call: async (tool, args) => {
      calls.push(tool);
      return { output: await behave(tool, args) };
    },
    health: () => health.value,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    changed: () => {
      for (const listener of listeners) listener();
    },
    close: async () => undefined,
  };
  return a;
}

const manifest = (name: string, extra: Partial<ToolManifest> = {}): ToolManifest => ({
  name,
  input_schema: { type: 'object', properties: { q: { type: 'string' } } },
  adapter: { type: 'http', url: `https://${name}.example` },
  ...extra,
});

const context = (reports: ToolReport[] = []) => ({
  signal: new AbortController().signal,
  callId: 'call_1',
  report: (report: ToolReport) => void reports.push(report),
});

describe('the tool registry', () => {
  it('resolves names, whole MCP tool sets, and shadows server-wide tools with a tenant’s own', async () => {
    const registry = new ToolRegistry();
    await registry.put('dir', null, manifest('search'), adapter(['search']));
    await registry.put(
      'dir',
      null,
      { name: 'files', adapter: { type: 'mcp', transport: 'stdio', command: 'x' } },
      adapter(['read_file', 'write_file']),
    );
    const own = adapter(['search'], async () => 'tenant search');
    await registry.put('api', 'tenant_a', manifest('search', { description: 'mine' }), own);
    expect(registry.resolve('tenant_b', ['files']).map((tool) => tool.definition.name)).toEqual([
      'read_file',
      'write_file',
    ]);
    expect(registry.resolve('tenant_b', ['write_file']).map((tool) => tool.definition.name)).toEqual([
      'write_file',
    ]);
    const [tenantSearch] = registry.resolve('tenant_a', ['search']);
    expect(tenantSearch?.definition.description).toBe('mine');
    expect(await tenantSearch?.execute?.({}, context())).toEqual({ output: 'tenant search' });
    expect(() => registry.resolve('tenant_a', ['search', 'nope'])).toThrowError(
      expect.objectContaining({
        message: "No tool named 'nope' is registered.",
        index: 1,
      }) as UnknownToolError,
    );
  });

  it('routes a capability to the most confident healthy tool, falling back and reporting each step', async () => {
    const registry = new ToolRegistry();
    const best = adapter(['best'], async () => {
      throw new Error('upstream 503');
    });
    const good = adapter(['good'], async () => 'from good');
    const poor = adapter(['poor'], async () => 'from poor');
    await registry.put(
      'dir',
      null,
      manifest('poor', { capabilities: [{ name: 'web.search', confidence: 0.2 }] }),
      poor,
    );
    await registry.put(
      'dir',
      null,
      manifest('best', { capabilities: [{ name: 'web.search', confidence: 0.9 }] }),
      best,
    );
    await registry.put(
      'dir',
      null,
      manifest('good', { capabilities: [{ name: 'web.search', confidence: 0.6 }] }),
      good,
    );
    const [tool] = registry.resolve('t', [{ capability: 'web.search' }]);
    expect(tool?.definition.name).toBe('web_search');
    const reports: ToolReport[] = [];
    expect(await tool?.execute?.({ q: 'x' }, context(reports))).toEqual({ output: 'from good' });
    expect(reports).toEqual([
      { type: 'routed', capability: 'web.search', tool: 'best', attempt: 1 },
      { type: 'fallback', capability: 'web.search', from: 'best', to: 'good', reason: 'upstream 503' },
      { type: 'routed', capability: 'web.search', tool: 'good', attempt: 2 },
    ]);
    expect(poor.calls).toEqual([]);
  });

  it('takes a failing tool out for a cool-down with a circuit breaker, then tries it again', async () => {
    let now = 0;
    const registry = new ToolRegistry({ threshold: 2, cooldownMs: 1000, now: () => now });
    let failing = true;
    const flaky = adapter(['flaky'], async () => {
      if (failing) throw new Error('down');
      return 'flaky is back';
    });
    const steady = adapter(['steady'], async () => 'steady');
    await registry.put(
      'dir',
      null,
      manifest('flaky', { capabilities: [{ name: 'cap', confidence: 1 }] }),
      flaky,
    );
    await registry.put(
      'dir',
      null,
      manifest('steady', { capabilities: [{ name: 'cap', confidence: 0.5 }] }),
      steady,
    );
    const [tool] = registry.resolve('t', [{ capability: 'cap' }]);
    await tool?.execute?.({}, context());
    await tool?.execute?.({}, context());
    expect(flaky.calls.length).toBe(2);
    const reports: ToolReport[] = [];
    expect(await tool?.execute?.({}, context(reports))).toEqual({ output: 'steady' });
    expect(flaky.calls.length).toBe(2);
    expect(reports[0]).toEqual({
      type: 'fallback',
      capability: 'cap',
      from: 'flaky',
      to: 'steady',
      reason: 'unhealthy',
    });
    now = 1500;
    failing = false;
    expect(await tool?.execute?.({}, context())).toEqual({ output: 'flaky is back' });
    expect(flaky.calls.length).toBe(3);
  });

  it('skips an unavailable adapter and follows an MCP server’s changing tool list', async () => {
    const registry = new ToolRegistry();
    const health = { value: 'unavailable' as AdapterHealth };
    const mcp = adapter(['a'], undefined, health);
    await registry.put(
      'dir',
      null,
      {
        name: 'srv',
        adapter: { type: 'mcp', transport: 'http', url: 'http://x' },
        capabilities: [{ name: 'c', confidence: 1 }],
      },
      mcp,
    );
    const backup = adapter(['backup'], async () => 'backup');
    await registry.put(
      'dir',
      null,
      manifest('backup', { capabilities: [{ name: 'c', confidence: 0.1 }] }),
      backup,
    );
    const [routed] = registry.resolve('t', [{ capability: 'c' }]);
    expect(await routed?.execute?.({}, context())).toEqual({ output: 'backup' });
    expect(mcp.calls).toEqual([]);
    mcp.tools = ['a', 'b'];
    mcp.changed();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(registry.resolve('t', ['srv']).map((tool) => tool.definition.name)).toEqual(['a', 'b']);
  });

  it('retries only idempotent tools, and limits concurrency per tool', async () => {
    const registry = new ToolRegistry();
    let attempts = 0;
    const shaky = async () => {
      attempts++;
      if (attempts < 3) throw new Error('blip');
      return 'third time';
    };
    await registry.put(
      'dir',
      null,
      manifest('safe', { idempotent: true, retries: 2 }),
      adapter(['safe'], shaky),
    );
    expect(await registry.resolve('t', ['safe'])[0]?.execute?.({}, context())).toEqual({
      output: 'third time',
    });
    attempts = 0;
    await registry.put('dir', null, manifest('unsafe'), adapter(['unsafe'], shaky));
    await expect(registry.resolve('t', ['unsafe'])[0]?.execute?.({}, context())).rejects.toThrow('blip');
    expect(attempts).toBe(1);

    let running = 0;
    let peak = 0;
    const slow = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return 'done';
    };
    await registry.put('dir', null, manifest('narrow', { concurrency: 2 }), adapter(['narrow'], slow));
    const [narrow] = registry.resolve('t', ['narrow']);
    await Promise.all(Array.from({ length: 6 }, () => narrow?.execute?.({}, context())));
    expect(peak).toBe(2);
  });

  it('leaves client-side tools to the client and marks tools that need approval', async () => {
    const registry = new ToolRegistry();
    await registry.put(
      'api',
      't',
      { name: 'pick_file', input_schema: { type: 'object' }, adapter: { type: 'client' } },
      adapter(['pick_file']),
    );
    await registry.put(
      'api',
      't',
      manifest('wire_money', { requires_approval: true }),
      adapter(['wire_money']),
    );
    const [client, approval] = registry.resolve('t', ['pick_file', 'wire_money']);
    expect(client?.execute).toBeUndefined();
    expect(approval?.requiresApproval).toBe(true);
  });
});

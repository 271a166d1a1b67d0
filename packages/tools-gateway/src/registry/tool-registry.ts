import type { RunTool, ToolContext, ToolResult } from '@agentd/spec';
import { AgentdError, type ToolManifest } from '@agentd/spec';
import type { ToolAdapter } from '../adapters/tool-adapter.js';
import { argumentsFit } from './arguments-fit.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { GatewayTool } from './gateway-tool.js';

/** Where a tool set comes from. Directory and built-in tools serve every tenant; API tools one. */
export type ToolOrigin = 'dir' | 'builtin' | 'api';

export interface ToolSource {
  origin: ToolOrigin;
  /** The tenant an API tool belongs to; null for server-wide tools. */
  tenantId: string | null;
  manifest: ToolManifest;
  adapter: ToolAdapter;
  tools: GatewayTool[];
}

export type ToolReference = string | { capability: string };

/** A tool reference that names nothing the tenant has; `index` is its place in the list (param `tools[index]`). */
export class UnknownToolError extends AgentdError {
  declare readonly code: 'unknown_tool' | 'unknown_capability';

  constructor(
    code: 'unknown_tool' | 'unknown_capability',
    message: string,
    readonly index: number,
  ) {
    super('invalid_request', code, message, { param: `tools[${index}]` });
    this.name = 'UnknownToolError';
  }
}

/**
 * Every tool the gateway knows, by origin and tenant, and the resolution of an
 * agent's tool references (names and capabilities) into run tools.
 */
export class ToolRegistry {
  private readonly sources = new Map<string, ToolSource>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly unsubscribe = new Map<string, () => void>();

  constructor(private readonly breakerOptions: CircuitBreakerOptions = {}) {}

  /** Adds or replaces a tool set; the replaced adapter is closed. */
  async put(
    origin: ToolOrigin,
    tenantId: string | null,
    manifest: ToolManifest,
    adapter: ToolAdapter,
  ): Promise<void> {
    const key = sourceKey(tenantId, manifest.name);
    const previous = this.sources.get(key);
    const source: ToolSource = { origin, tenantId, manifest, adapter, tools: [] };
    source.tools = await this.toolsOf(source);
    this.sources.set(key, source);
    this.unsubscribe.get(key)?.();
    const off = adapter.onChange?.(() => {
      this.toolsOf(source).then(
        (tools) => {
          source.tools = tools;
        },
        () => {
          source.tools = [];
        },
      );
    });
    if (off) this.unsubscribe.set(key, off);
    if (previous && previous.adapter !== adapter) await previous.adapter.close().catch(() => undefined);
  }

  async remove(tenantId: string | null, name: string): Promise<boolean> {
    const key = sourceKey(tenantId, name);
    const source = this.sources.get(key);
    if (!source) return false;
    this.sources.delete(key);
    this.unsubscribe.get(key)?.();
    this.unsubscribe.delete(key);
    await source.adapter.close().catch(() => undefined);
    return true;
  }

  /** Replaces every server-wide tool set of one origin (a reloaded tool directory). */
  async replaceOrigin(
    origin: ToolOrigin,
    entries: { manifest: ToolManifest; adapter: ToolAdapter }[],
  ): Promise<void> {
    const keep = new Set(entries.map((entry) => sourceKey(null, entry.manifest.name)));
    for (const [key, source] of this.sources) {
      if (source.origin === origin && source.tenantId === null && !keep.has(key)) {
        await this.remove(null, source.manifest.name);
      }
    }
    for (const entry of entries) await this.put(origin, null, entry.manifest, entry.adapter);
  }

  /** The tool sets a tenant sees: server-wide ones, shadowed by its own of the same name. */
  sourcesFor(tenantId: string): ToolSource[] {
    const byName = new Map<string, ToolSource>();
    for (const source of this.sources.values()) {
      if (source.tenantId === null && !byName.has(source.manifest.name))
        byName.set(source.manifest.name, source);
    }
    for (const source of this.sources.values()) {
      if (source.tenantId === tenantId) byName.set(source.manifest.name, source);
    }
    return [...byName.values()];
  }

  /**
   * Resolves references into run tools: a name is a tool set (all of an MCP
   * server's or OpenAPI document's tools) or a single tool; `{ capability }`
   * becomes one routed tool. Throws UnknownToolError naming the reference.
   */
  resolve(tenantId: string, refs: readonly ToolReference[]): RunTool[] {
    const sources = this.sourcesFor(tenantId);
    const out: RunTool[] = [];
    refs.forEach((ref, index) => {
      if (typeof ref === 'string') {
        const set = sources.find((source) => source.manifest.name === ref);
        const tools = set
          ? set.tools
          : sources.flatMap((source) => source.tools).filter((tool) => tool.name === ref);
        if (tools.length === 0) {
          throw new UnknownToolError(
            'unknown_tool',
            set
              ? `The tool set '${ref}' offers no tools right now.`
              : `No tool named '${ref}' is registered.`,
            index,
          );
        }
        out.push(...tools.map(toRunTool));
        return;
      }
      const candidates = this.candidates(sources, ref.capability);
      if (candidates.length === 0) {
        throw new UnknownToolError(
          'unknown_capability',
          `No tool provides the capability '${ref.capability}'.`,
          index,
        );
      }
      out.push(routedTool(ref.capability, candidates));
    });
    return out;
  }

  /** The tools providing a capability, best first. */
  candidates(sources: ToolSource[], capability: string): GatewayTool[] {
    const scored: { tool: GatewayTool; confidence: number }[] = [];
    for (const source of sources) {
      const declared = source.manifest.capabilities?.find((c) => c.name === capability);
      if (!declared) continue;
      for (const tool of source.tools) scored.push({ tool, confidence: declared.confidence });
    }
    return scored.sort((a, b) => b.confidence - a.confidence).map((entry) => entry.tool);
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe.values()) off();
    await Promise.allSettled([...this.sources.values()].map((source) => source.adapter.close()));
    this.sources.clear();
  }

  private async toolsOf(source: ToolSource): Promise<GatewayTool[]> {
    const listed = await source.adapter.list();
    const single = source.manifest.adapter.type !== 'openapi' && source.manifest.adapter.type !== 'mcp';
    return listed.map((tool) => {
      const key = `${sourceKey(source.tenantId, source.manifest.name)}/${tool.name}`;
      let breaker = this.breakers.get(key);
      if (!breaker) {
        breaker = new CircuitBreaker(this.breakerOptions);
        this.breakers.set(key, breaker);
      }
      return new GatewayTool(
        single ? source.manifest.name : tool.name,
        tool.description ?? source.manifest.description,
        tool.inputSchema,
        source.manifest,
        source.adapter,
        tool.name,
        breaker,
      );
    });
  }
}

function sourceKey(tenantId: string | null, name: string): string {
  return `${tenantId ?? '*'}:${name}`;
}

function toRunTool(tool: GatewayTool): RunTool {
  const definition = {
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    parameters: tool.inputSchema,
  };
  const base: RunTool = {
    definition,
    ...(tool.manifest.timeout_ms ? { timeoutMs: tool.manifest.timeout_ms } : {}),
    ...(tool.manifest.requires_approval ? { requiresApproval: true } : {}),
    ...(tool.manifest.idempotent ? { idempotent: true } : {}),
  };
  if (tool.clientSide) return base;
  return {
    ...base,
    execute: async (args, context) => {
      if (tool.adapter.health() !== 'healthy') throw new Error(`${tool.name} is unavailable right now`);
      return tool.call(args, context);
    },
  };
}

/** The model-facing name of a capability: `web.search` → `web_search`. */
export function capabilityToolName(capability: string): string {
  return capability.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/**
 * One tool standing for a capability. Each call goes to the healthy candidate
 * with the highest confidence whose schema accepts the arguments, and falls
 * back to the next when a call fails. Every choice and fallback is reported.
 */
function routedTool(capability: string, candidates: GatewayTool[]): RunTool {
  const best = candidates[0]!;
  return {
    definition: {
      name: capabilityToolName(capability),
      description: best.description ?? `Provides ${capability}.`,
      parameters: best.inputSchema,
    },
    ...(best.manifest.timeout_ms ? { timeoutMs: best.manifest.timeout_ms } : {}),
    ...(candidates.some((tool) => tool.manifest.requires_approval) ? { requiresApproval: true } : {}),
    // Any candidate may serve a call: it runs again after a worker failure only if every one may.
    ...(candidates.every((tool) => tool.manifest.idempotent) ? { idempotent: true } : {}),
    execute: async (args, context: ToolContext): Promise<ToolResult> => {
      const usable = candidates.filter((tool) => !tool.clientSide);
      let attempt = 0;
      let lastError: unknown = new Error(`no healthy tool provides ${capability}`);
      for (const [index, tool] of usable.entries()) {
        const next = usable[index + 1]?.name ?? null;
        if (!tool.healthy() || !tool.breaker.allow()) {
          context.report?.({ type: 'fallback', capability, from: tool.name, to: next, reason: 'unhealthy' });
          continue;
        }
        if (!argumentsFit(tool.inputSchema, args)) {
          context.report?.({
            type: 'fallback',
            capability,
            from: tool.name,
            to: next,
            reason: 'arguments do not fit',
          });
          continue;
        }
        attempt++;
        context.report?.({ type: 'routed', capability, tool: tool.name, attempt });
        try {
          return await tool.call(args, context);
        } catch (error) {
          if (context.signal.aborted) throw error;
          lastError = error;
          context.report?.({
            type: 'fallback',
            capability,
            from: tool.name,
            to: next,
            reason: (error as Error).message,
          });
        }
      }
      throw lastError;
    },
  };
}

import type { RunTool } from '@agentd/core';
import type { NetworkPolicy } from '@agentd/net-policy';
import type { ToolManifest } from '@agentd/spec';
import {
  type AdapterTool,
  type BuiltinTool,
  createBuiltinAdapter,
  loadToolDir,
  type ToolAdapter,
  type ToolReference,
  ToolRegistry,
  UnknownToolError,
  watchToolDir,
} from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import { AgentdError } from '../errors.js';
import type { BuiltinTools } from './builtins/builtin-tools.js';
import type { ToolRepository } from './tool-repository.js';

/**
 * Makes the adapter a manifest names; `baseDir` resolves relative paths (a tool
 * directory's), `resolveSecret` finds the values of the secrets it names.
 */
export type AdapterFactory = (
  manifest: ToolManifest,
  options: {
    baseDir?: string;
    resolveSecret: (name: string) => Promise<string>;
    /** The operator's own manifest (the tool directory): not held to the network policy. */
    trusted?: boolean;
    /** The tenant's network policy, for a tenant's tool. */
    tenantPolicy?: NetworkPolicy;
    /** The built-in tools a `builtin` manifest may name. */
    builtins?: ReadonlyMap<string, BuiltinTool>;
  },
) => ToolAdapter;

/** Secrets of tool-directory tools come from the environment: `weather-key` → AGENTD_SECRET_WEATHER_KEY. */
export function environmentSecret(name: string): Promise<string> {
  const variable = `AGENTD_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const value = process.env[variable];
  return value
    ? Promise.resolve(value)
    : Promise.reject(new Error(`the secret '${name}' is not set (${variable})`));
}

export interface ToolSummary {
  name: string;
  source: 'api' | 'dir' | 'builtin';
  manifest: ToolManifest;
  /** Each tool with its circuit breaker's state in this process (open: skipped after repeated failures). */
  tools: { name: string; description: string | null; circuit: 'closed' | 'open' | 'half-open' }[];
  health: 'healthy' | 'unavailable';
}

/**
 * The server's side of the tools gateway: the registry, kept in step with the
 * tool directory (watched) and with each tenant's registered tools (read from
 * the database when the tenant next resolves tools, so every process agrees).
 */
export class ToolService {
  readonly registry = new ToolRegistry();
  private readonly synced = new Map<string, Map<string, string>>();
  private stopWatching: (() => Promise<void>) | undefined;

  constructor(
    private readonly repository: ToolRepository,
    private readonly createAdapter: AdapterFactory,
    private readonly logger: Logger,
    /** A tenant's stored secret, decrypted. */
    private readonly tenantSecret: (tenantId: string, name: string) => Promise<string>,
    /** A tenant's network policy (server-wide rules plus its own). */
    private readonly tenantPolicy: ((tenantId: string) => Promise<NetworkPolicy>) | undefined,
    /** The built-in tools, registered server-wide when the registry is first used. */
    readonly builtins?: BuiltinTools,
  ) {
    if (builtins) {
      const make = createAdapter;
      this.createAdapter = (manifest, options) => make(manifest, { builtins: builtins.tools, ...options });
    }
  }

  private builtinsLoaded: Promise<void> | undefined;

  /** Puts the enabled built-ins in the registry (origin `builtin`); nothing starts before a call. */
  private loadBuiltins(): Promise<void> {
    this.builtinsLoaded ??= (async () => {
      if (!this.builtins) return;
      for (const manifest of this.builtins.manifests) {
        const adapter = createBuiltinAdapter(
          { ...manifest, adapter: { type: 'builtin', tool: manifest.name } },
          this.builtins.tools,
        );
        await this.addBuiltin(manifest, adapter);
      }
    })();
    return this.builtinsLoaded;
  }

  /** Loads a tool directory and keeps it loaded as files are added, changed and removed. */
  async watchDirectory(dir: string): Promise<void> {
    const apply = async (contents: Awaited<ReturnType<typeof loadToolDir>>) => {
      for (const rejected of contents.rejected)
        this.logger.warn({ file: rejected.file }, `tool manifest rejected: ${rejected.error}`);
      const entries: { manifest: ToolManifest; adapter: ToolAdapter }[] = [];
      for (const { file, manifest } of contents.loaded) {
        try {
          entries.push({
            manifest,
            adapter: this.createAdapter(manifest, {
              baseDir: dir,
              resolveSecret: environmentSecret,
              trusted: true,
            }),
          });
        } catch (error) {
          this.logger.warn({ file }, `tool manifest rejected: ${file}: ${(error as Error).message}`);
        }
      }
      await this.registry.replaceOrigin('dir', entries);
      this.logger.info({ dir, tools: entries.map((entry) => entry.manifest.name) }, 'tool directory loaded');
    };
    await apply(await loadToolDir(dir));
    this.stopWatching = watchToolDir(
      dir,
      (contents) =>
        void apply(contents).catch((error) =>
          this.logger.error({ err: error }, 'tool directory reload failed'),
        ),
      {
        onError: (error) => this.logger.error({ err: error }, 'tool directory watch failed'),
      },
    );
  }

  /** Registers a server-wide built-in tool. */
  async addBuiltin(manifest: ToolManifest, adapter: ToolAdapter): Promise<void> {
    await this.registry.put('builtin', null, manifest, adapter);
  }

  /** Brings the registry in step with the tenant's registered tools. */
  async syncTenant(tenantId: string): Promise<void> {
    await this.loadBuiltins();
    const stored = await this.repository.all(tenantId);
    const known = this.synced.get(tenantId) ?? new Map<string, string>();
    const next = new Map<string, string>();
    const policy = await this.tenantPolicy?.(tenantId);
    for (const tool of stored) {
      // A change of the tenant's network rules remakes its tools' adapters too.
      const fingerprint = JSON.stringify([tool.manifest, policy?.fingerprint ?? null]);
      next.set(tool.name, fingerprint);
      if (known.get(tool.name) === fingerprint) continue;
      try {
        await this.registry.put(
          'api',
          tenantId,
          tool.manifest,
          this.createAdapter(tool.manifest, {
            resolveSecret: (name) => this.tenantSecret(tenantId, name),
            ...(policy ? { tenantPolicy: policy } : {}),
          }),
        );
      } catch (error) {
        next.delete(tool.name);
        this.logger.warn(
          { tenant: tenantId, tool: tool.name, err: error },
          'registered tool could not be loaded',
        );
      }
    }
    for (const name of known.keys()) if (!next.has(name)) await this.registry.remove(tenantId, name);
    this.synced.set(tenantId, next);
  }

  /** Resolves tool references into run tools; an unknown one is a 400 naming it. */
  async resolve(tenantId: string, refs: readonly ToolReference[], param = 'tools'): Promise<RunTool[]> {
    return (await this.resolveLists(tenantId, [refs], param))[0]!;
  }

  /**
   * Resolves several lists of references with one read of the tenant's
   * tools: the run tools of each list, in order. An unknown reference is a
   * 400 naming its place as if the lists were one (`param[i]`).
   */
  async resolveLists(
    tenantId: string,
    lists: readonly (readonly ToolReference[])[],
    param = 'tools',
  ): Promise<RunTool[][]> {
    if (lists.every((refs) => refs.length === 0)) return lists.map(() => []);
    await this.syncTenant(tenantId);
    let offset = 0;
    try {
      return lists.map((refs) => {
        const tools = this.registry.resolve(tenantId, refs);
        offset += refs.length;
        return tools;
      });
    } catch (error) {
      // Already a 400 naming `tools[i]`; renamed where the list sits elsewhere in the request or after another.
      if (error instanceof UnknownToolError && (param !== 'tools' || offset > 0)) {
        throw new AgentdError(error.category, error.code, error.message, {
          param: `${param}[${offset + error.index}]`,
        });
      }
      throw error;
    }
  }

  /** Every tool set the tenant sees, for the API. */
  async describe(tenantId: string): Promise<ToolSummary[]> {
    await this.syncTenant(tenantId);
    return this.registry.sourcesFor(tenantId).map((source) => ({
      name: source.manifest.name,
      source: source.origin,
      manifest: source.manifest,
      tools: source.tools.map((tool) => ({
        name: tool.name,
        description: tool.description ?? null,
        circuit: tool.breaker.state,
      })),
      health: source.adapter.health(),
    }));
  }

  /** Checks that a manifest's adapter can be made and lists its tools (for registration). */
  async probe(tenantId: string, manifest: ToolManifest): Promise<AdapterTool[]> {
    const policy = await this.tenantPolicy?.(tenantId);
    const adapter = this.createAdapter(manifest, {
      resolveSecret: (name) => this.tenantSecret(tenantId, name),
      ...(policy ? { tenantPolicy: policy } : {}),
    });
    try {
      return await adapter.list();
    } finally {
      await adapter.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.stopWatching?.();
    await this.registry.close();
    await this.builtins?.close();
  }
}

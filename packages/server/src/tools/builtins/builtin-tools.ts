import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ToolContext, ToolScope } from '@agentd/core';
import type { ToolCapability, ToolManifest } from '@agentd/spec';
import type { CodeInterpreterRuntime, Sandbox } from '@agentd/tool-code-interpreter';
import type { FileSearchFunction } from '@agentd/tool-files';
import {
  BrowserPool,
  type BrowserPoolStats,
  createFetchUrlTool,
  createSearchBackend,
  DEFAULT_CHROMIUM_PATH,
  type FetchUrlTool,
  type NetworkPolicy,
  type SearchBackend,
} from '@agentd/tool-web';
import type { BuiltinTool } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { AgentdError } from '../../errors.js';
import { serverNetworkPolicy } from '../../network/server-network-policy.js';
import type { ArtifactStore } from './artifact-store.js';
import { createCodeInterpreterBuiltin } from './code-interpreter-builtin.js';
import { type CodeInterpreterPools, CodeInterpreterRuntimes } from './code-interpreter-runtimes.js';
import { type FileReadGuard, guardedSearch } from './file-read-guard.js';
import { createFileSearchBuiltin } from './file-search-builtin.js';
import { chromiumHint, cpythonHint, switchHint } from './turn-on-hints.js';
import { withUnavailableRuntimes } from './unavailable-runtimes.js';
import { createBrowserBuiltin, createFetchUrlBuiltin, createWebSearchBuiltin } from './web-builtins.js';

export const BUILTIN_TOOL_NAMES = [
  'code_interpreter',
  'browser',
  'fetch_url',
  'web_search',
  'file_search',
] as const;
export type BuiltinName = (typeof BUILTIN_TOOL_NAMES)[number];

export function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name);
}

/** The tools whose results carry web text: a run with any of them gets the untrusted-content instruction. */
export const WEB_TOOL_NAMES: ReadonlySet<string> = new Set(['browser', 'fetch_url', 'web_search']);

const SWITCHES: Record<BuiltinName, keyof Config> = {
  code_interpreter: 'AGENTD_CODE_INTERPRETER',
  browser: 'AGENTD_BROWSER',
  fetch_url: 'AGENTD_FETCH_URL',
  web_search: 'AGENTD_WEB_SEARCH',
  file_search: 'AGENTD_FILE_SEARCH',
};

/**
 * The built-ins that may run again when a worker failure left a call in
 * flight: reads, where a second call has no effect beyond the first. Not the
 * code interpreter (code has effects), nor the browser (its actions move a
 * session's page, which lives in the process that failed).
 */
const IDEMPOTENT: Record<BuiltinName, boolean> = {
  code_interpreter: false,
  browser: false,
  fetch_url: true,
  web_search: true,
  file_search: true,
};

const CAPABILITIES: Record<BuiltinName, ToolCapability[]> = {
  code_interpreter: [{ name: 'code.exec', confidence: 0.9 }],
  browser: [
    { name: 'web.browse', confidence: 0.9 },
    { name: 'web.fetch', confidence: 0.6 },
  ],
  fetch_url: [{ name: 'web.fetch', confidence: 0.9 }],
  web_search: [{ name: 'web.search', confidence: 0.9 }],
  file_search: [{ name: 'files.search', confidence: 0.9 }],
};

/** Time for a code_interpreter call: the sandbox's own limit, plus a first boot. */
const CODE_INTERPRETER_TIMEOUT_MS = 150_000;
/** Time for Chromium to start on a first call, on top of the action's own limit. */
const BROWSER_LAUNCH_MS = 30_000;

export interface BuiltinToolsOptions {
  config: Config;
  logger: Logger;
  artifacts: ArtifactStore;
  /** The network policy of a tenant's calls (server-wide rules plus its own); the server-wide one when absent. */
  tenantPolicy?: (tenantId: string) => Promise<NetworkPolicy>;
  /** Reads a tenant's file, for the code interpreter's `container.file_ids`. */
  readFile?: (scope: ToolScope, fileId: string) => Promise<{ filename: string; bytes: Buffer }>;
  /** Searches the tenant's vector stores; without it there is no file_search. */
  fileSearch?: FileSearchFunction;
  /** Whether a run may read a file or vector store (the policies' `read_file`); every read allowed without it. */
  fileReads?: FileReadGuard;
  /** Where the web tools may connect; by default AGENTD_NET_ALLOW and AGENTD_NET_DENY. */
  policy?: NetworkPolicy;
}

export interface BuiltinReport {
  on: string[];
  notes: string[];
  off: { name: string; why: string; fix?: string }[];
}

/** Whether each heavy runtime has started: at start-up with prewarm, else on its first call. */
export interface BuiltinStatus {
  pyodide: boolean;
  cpython: boolean;
  /** The code interpreter's pools: warm interpreters, boots, their time. */
  pools: CodeInterpreterPools | null;
  browser: BrowserPoolStats | null;
}

/**
 * The built-in tools (code_interpreter, browser, fetch_url, web_search) as
 * configured: their shared runtimes, made on first use and closed on
 * shutdown, and their manifests for the tools gateway (origin `builtin`).
 */
export class BuiltinTools {
  /** Enabled built-ins by name, for `builtin` adapters. */
  readonly tools = new Map<string, BuiltinTool>();
  readonly manifests: ToolManifest[] = [];
  /** Code interpreter runtimes on offer. */
  readonly runtimes: CodeInterpreterRuntime[] = [];
  readonly #reasons = new Map<string, string>();
  /** How to turn on each tool or runtime in #reasons. */
  readonly #hints = new Map<string, string>();
  readonly #notes: string[] = [];
  readonly #interpreters: CodeInterpreterRuntimes | undefined;
  readonly #pool: BrowserPool | undefined;
  #browserPolicy: NetworkPolicy | undefined;
  #browserPrewarm: 'modules' | 'launch' | 'off' = 'off';
  readonly #fetch: FetchUrlTool | undefined;
  readonly #tenantFetches = new Map<string, FetchUrlTool>();
  readonly #tenantPolicy: ((tenantId: string) => Promise<NetworkPolicy>) | undefined;

  constructor(options: BuiltinToolsOptions) {
    const { config, logger, artifacts } = options;
    this.#tenantPolicy = options.tenantPolicy;
    const enabled = (name: BuiltinName) => {
      if (config[SWITCHES[name]] === false) {
        this.#reasons.set(name, `it is turned off on this server (${SWITCHES[name]}=off)`);
        this.#hints.set(name, switchHint(SWITCHES[name]));
        return false;
      }
      return true;
    };

    if (enabled('code_interpreter')) {
      const cpython = cpythonAvailability(config.AGENTD_CODE_INTERPRETER_CPYTHON);
      const interpreters = new CodeInterpreterRuntimes({ config, logger, cpython: cpython === true });
      this.#interpreters = interpreters;
      const sandboxes: Partial<Record<CodeInterpreterRuntime, Sandbox>> = { pyodide: interpreters.pyodide };
      this.runtimes.push('pyodide');
      if (interpreters.cpython) {
        sandboxes.cpython = interpreters.cpython;
        this.runtimes.push('cpython');
      } else if (cpython !== true) {
        this.#reasons.set('cpython', cpython);
        this.#hints.set('cpython', cpythonHint(config.AGENTD_CODE_INTERPRETER_CPYTHON === 'off'));
      }
      const off = new Map(cpython === true ? [] : [['cpython', cpython]]);
      this.#add(
        'code_interpreter',
        withUnavailableRuntimes(
          createCodeInterpreterBuiltin({
            sandboxes,
            artifacts,
            logger,
            ...(options.readFile ? { readFile: options.readFile } : {}),
            ...(options.fileReads ? { fileReads: options.fileReads } : {}),
          }),
          off,
        ),
        CODE_INTERPRETER_TIMEOUT_MS,
      );
    }

    const wantsBrowser = enabled('browser');
    const wantsFetch = enabled('fetch_url');
    const policy = wantsBrowser || wantsFetch ? (options.policy ?? serverNetworkPolicy(config)) : undefined;
    if (policy && wantsFetch) {
      this.#fetch = createFetchUrlTool({ policy });
      const shared = this.#fetch;
      const fetchFor = async (context: ToolContext) => {
        const tenant = await this.#policyOf(context, policy);
        return tenant.fingerprint === policy.fingerprint ? shared : this.#tenantFetch(tenant);
      };
      this.#add('fetch_url', createFetchUrlBuiltin(shared, fetchFor), (shared.timeoutMs ?? 30_000) + 5_000);
    }
    if (policy && wantsBrowser) {
      const executablePath = config.AGENTD_CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
      if (isExecutable(executablePath)) {
        // Made now, launched on the first call.
        this.#pool = new BrowserPool({
          executablePath,
          limits: {
            extraction: config.AGENTD_BROWSER_EXTRACTION,
            settle: config.AGENTD_BROWSER_SETTLE,
            subresources: config.AGENTD_BROWSER_SUBRESOURCES,
          },
        });
        this.#browserPolicy = policy;
        this.#browserPrewarm = config.AGENTD_BROWSER_PREWARM;
        const browser = createBrowserBuiltin({
          pool: this.#pool,
          policy,
          policyFor: (context) => this.#policyOf(context, policy),
          artifacts,
          logger,
        });
        this.#add('browser', browser, this.#pool.limits.actionTimeoutMs + 15_000 + BROWSER_LAUNCH_MS);
      } else {
        this.#reasons.set('browser', `there is no Chromium at ${executablePath} (AGENTD_CHROMIUM_PATH)`);
        this.#hints.set('browser', chromiumHint());
        logger.info({ path: executablePath }, 'the browser tool is off: Chromium was not found');
      }
    }

    if (enabled('web_search')) {
      const backend = searchBackend(config);
      if (!backend) {
        this.#notes.push(
          'web_search has no web backend (set AGENTD_SEARCH_BACKEND to searxng, brave or tavily); it searches files only',
        );
      }
      const { fileSearch, fileReads } = options;
      const searchFiles =
        fileSearch && fileReads ? guardedSearch(fileSearch, fileReads, 'web_search') : fileSearch;
      this.#add('web_search', createWebSearchBuiltin(backend, searchFiles), 35_000);
    }

    if (enabled('file_search') && options.fileSearch) {
      this.#add('file_search', createFileSearchBuiltin(options.fileSearch, options.fileReads), 30_000);
    }
  }

  /** The call's tenant's policy, or the server-wide one. */
  async #policyOf(context: ToolContext, fallback: NetworkPolicy): Promise<NetworkPolicy> {
    const tenantId = context.scope?.tenantId;
    return tenantId && this.#tenantPolicy ? this.#tenantPolicy(tenantId) : fallback;
  }

  /** A fetch_url tool (with its own connection pool) per distinct tenant policy. */
  #tenantFetch(policy: NetworkPolicy): FetchUrlTool {
    let tool = this.#tenantFetches.get(policy.fingerprint);
    if (!tool) {
      tool = createFetchUrlTool({ policy });
      this.#tenantFetches.set(policy.fingerprint, tool);
    }
    return tool;
  }

  #add(name: BuiltinName, tool: BuiltinTool, timeoutMs: number): void {
    this.tools.set(name, tool);
    this.manifests.push({
      name,
      ...(tool.definition.description ? { description: tool.definition.description } : {}),
      input_schema: tool.definition.parameters,
      capabilities: CAPABILITIES[name],
      adapter: { type: 'builtin', tool: name },
      timeout_ms: timeoutMs,
      idempotent: IDEMPOTENT[name],
    });
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  /** Why a built-in tool or code runtime (`cpython`) is not on offer; undefined when it is. */
  unavailable(name: string): string | undefined {
    if (this.tools.has(name) || this.runtimes.includes(name as CodeInterpreterRuntime)) return undefined;
    return this.#reasons.get(name) ?? 'it does not exist';
  }

  /** What is on and, for what is off, why and how to turn it on: for the start-up banner. */
  report(): BuiltinReport {
    const runtimes = this.#interpreters
      ? [`code_interpreter runtimes: ${this.runtimes.join(', ')} (${this.#interpreters.bootNote})`]
      : [];
    const off = [...BUILTIN_TOOL_NAMES, 'cpython']
      .filter((name) => this.#reasons.has(name))
      .map((name) => ({
        name: name === 'cpython' ? 'code_interpreter runtime cpython' : name,
        why: this.#reasons.get(name) as string,
        ...(this.#hints.has(name) ? { fix: this.#hints.get(name) as string } : {}),
      }));
    return { on: [...this.tools.keys()], notes: [...runtimes, ...this.#notes], off };
  }

  /** The capabilities the web built-ins provide: a run routed to one reads web text too. */
  get webCapabilities(): ReadonlySet<string> {
    return new Set(
      [...WEB_TOOL_NAMES]
        .filter((name) => this.tools.has(name))
        .flatMap((name) => CAPABILITIES[name as BuiltinName].map((capability) => capability.name)),
    );
  }

  async status(): Promise<BuiltinStatus> {
    return {
      pyodide: this.#interpreters?.pyodide.started ?? false,
      cpython: this.#interpreters?.cpython?.started ?? false,
      pools: this.#interpreters?.pools ?? null,
      browser: this.#pool ? await this.#pool.stats() : null,
    };
  }

  /**
   * Boots the code interpreter's pools in the background (unless
   * AGENTD_CODE_INTERPRETER_PREWARM=off); the server calls it once it listens.
   * Resolves to the line that says they are warm, without ever rejecting.
   */
  prewarm(): Promise<string | undefined> {
    return this.#interpreters?.prewarm() ?? Promise.resolve(undefined);
  }

  /**
   * Readies the browser in the background of a server's start
   * (AGENTD_BROWSER_PREWARM): its modules, and with `launch` Chromium and a
   * spare context. `agentd serve` calls it; test servers do not, so that a
   * test pays for no browser it does not use. Never rejects.
   */
  warmBrowser(): Promise<void> {
    const mode = this.#browserPrewarm;
    if (!this.#pool || mode === 'off') return Promise.resolve();
    return this.#pool.warm(mode === 'launch' && this.#browserPolicy ? { launch: this.#browserPolicy } : {});
  }

  /** Stops interpreters (and boots under way), Chromium and pooled connections. */
  async close(): Promise<void> {
    await Promise.allSettled([
      this.#interpreters?.close(),
      this.#pool?.close(),
      this.#fetch?.close(),
      ...[...this.#tenantFetches.values()].map((tool) => tool.close()),
    ]);
  }
}

function configError(param: string, message: string): AgentdError {
  return new AgentdError('invalid_request', 'invalid_config', `${param}: ${message}`, { param });
}

function searchBackend(config: Config): SearchBackend | undefined {
  try {
    return createSearchBackend({
      backend: config.AGENTD_SEARCH_BACKEND,
      searxng: { url: config.AGENTD_SEARXNG_URL },
      brave: { apiKey: config.AGENTD_BRAVE_API_KEY, baseUrl: config.AGENTD_BRAVE_BASE_URL },
      tavily: { apiKey: config.AGENTD_TAVILY_API_KEY, baseUrl: config.AGENTD_TAVILY_BASE_URL },
    });
  } catch (error) {
    throw configError('AGENTD_SEARCH_BACKEND', (error as Error).message);
  }
}

/** true, or why CPython is not offered. `on` requires it; `auto` offers it when bubblewrap and python3 are there. */
function cpythonAvailability(setting: 'auto' | 'on' | 'off'): true | string {
  if (setting === 'off') return 'it is turned off on this server (AGENTD_CODE_INTERPRETER_CPYTHON=off)';
  const missing = ['bwrap', '/usr/bin/python3'].filter((program) => !isExecutable(program));
  if (missing.length === 0) return true;
  const why = `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed`;
  if (setting === 'on') throw configError('AGENTD_CODE_INTERPRETER_CPYTHON', `on, but ${why}`);
  return `${why} on this server`;
}

function isExecutable(program: string): boolean {
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).map((dir) => join(dir, program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

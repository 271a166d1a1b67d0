import type { JsonSchema, ToolContext, ToolManifest, ToolResult } from '@agentd/spec';
import type { ToolAdapter } from '../adapters/tool-adapter.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Semaphore } from './semaphore.js';

/** One tool in the registry: what the model sees, and how a call is made. */
export class GatewayTool {
  readonly breaker: CircuitBreaker;
  private readonly semaphore: Semaphore;

  constructor(
    /** The model-facing name. */
    readonly name: string,
    readonly description: string | undefined,
    readonly inputSchema: JsonSchema,
    /** The manifest it came from (for openapi and mcp, the tool set's). */
    readonly manifest: ToolManifest,
    readonly adapter: ToolAdapter,
    /** The tool's name inside its adapter. */
    readonly adapterName: string,
    breaker?: CircuitBreaker,
  ) {
    this.breaker = breaker ?? new CircuitBreaker();
    this.semaphore = new Semaphore(manifest.concurrency ?? Number.POSITIVE_INFINITY);
  }

  get clientSide(): boolean {
    return this.manifest.adapter.type === 'client';
  }

  healthy(): boolean {
    return this.adapter.health() === 'healthy' && this.breaker.state !== 'open';
  }

  /**
   * One call under the execution policy: the concurrency limit, retries for
   * idempotent tools only (on errors, not on error results), the abort signal
   * passed through, and the outcome recorded by the circuit breaker.
   */
  async call(args: unknown, context: ToolContext): Promise<ToolResult> {
    const release = await this.semaphore.acquire(context.signal);
    try {
      const attempts = 1 + (this.manifest.idempotent ? (this.manifest.retries ?? 0) : 0);
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        context.signal.throwIfAborted();
        try {
          const result = await this.adapter.call(this.adapterName, args, context);
          this.breaker.success();
          return result;
        } catch (error) {
          lastError = error;
          if (context.signal.aborted) throw error;
          if (attempt < attempts) await delay(100 * 2 ** (attempt - 1), context.signal);
        }
      }
      this.breaker.failure();
      throw lastError;
    } finally {
      release();
    }
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

import type { CellRequest } from './cell-request.js';
import { type OutputLimits, resolveOutputLimits } from './output-limits.js';
import type { RefillGate } from './refill-gate.js';
import { type PoolRunSettings, runInPool } from './run-in-pool.js';
import type { Sandbox, SandboxRequest, SandboxResult } from './sandbox.js';
import type { PooledRunner, SessionPool, SessionPoolStats } from './session-pool.js';

/** The options both runtimes take for a call's limits. */
export interface PooledSandboxOptions {
  /** Per-call wall-clock limit when the request names none. */
  timeoutMs?: number;
  /** The most a request may ask for. Default 10 minutes. */
  maxTimeoutMs?: number;
  /** Bytes a session's files may use. Default 100 MB. */
  fsQuotaBytes?: number;
  outputLimits?: Partial<OutputLimits>;
  /** After a cancel, how long a cell may take to stop before its interpreter is ended. Default 1 s. */
  cancelGraceMs?: number;
  /** When the pool's refills that need not start at once do. Default: the one the process's sandboxes share. */
  refillGate?: RefillGate;
}

/**
 * What the two runtimes share: a session pool of interpreters, and every call
 * checked, bounded and run on the session's interpreter the same way. A
 * subclass calls `super` and then makes its pool (whose boot may use the
 * subclass's own fields).
 */
export abstract class PooledSandbox<
  R extends PooledRunner & { run(request: CellRequest): Promise<SandboxResult> },
> implements Sandbox
{
  protected abstract readonly pool: SessionPool<R>;
  protected readonly settings: PoolRunSettings;

  constructor(options: PooledSandboxOptions, defaults: { timeoutMs: number; label: string }) {
    this.settings = {
      defaultTimeoutMs: options.timeoutMs ?? defaults.timeoutMs,
      maxTimeoutMs: options.maxTimeoutMs ?? 600_000,
      fsQuotaBytes: options.fsQuotaBytes ?? 100 * 1024 * 1024,
      cancelGraceMs: options.cancelGraceMs ?? 1_000,
      limits: resolveOutputLimits(options.outputLimits),
      label: defaults.label,
    };
  }

  /** Boot and session counters; `coldStarts` counts new sessions that waited for a boot. */
  get stats(): SessionPoolStats {
    return this.pool.stats;
  }

  /** Resolves once the warm pool is full. */
  ready(): Promise<void> {
    return this.pool.ready();
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    return runInPool(this.pool, request, this.settings);
  }

  reset(sessionId: string): Promise<void> {
    return this.pool.reset(sessionId);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

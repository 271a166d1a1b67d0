import { failedResult } from './cell-output.js';
import type { CellRequest } from './cell-request.js';
import type { OutputLimits } from './output-limits.js';
import { isResult, prepareRequest } from './prepare-request.js';
import type { SandboxRequest, SandboxResult } from './sandbox.js';
import type { PooledRunner, SessionPool } from './session-pool.js';

export interface PoolRunSettings {
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  fsQuotaBytes: number;
  cancelGraceMs: number;
  limits: OutputLimits;
  /** Names the sandbox in the error when it cannot run the cell, e.g. "The CPython sandbox". */
  label: string;
}

/**
 * One call of either runtime: the request checked and prepared, the cell run
 * on the session's interpreter, and an interpreter that cannot be had reported
 * as a lost session rather than thrown.
 */
export async function runInPool<
  R extends PooledRunner & { run(request: CellRequest): Promise<SandboxResult> },
>(pool: SessionPool<R>, request: SandboxRequest, settings: PoolRunSettings): Promise<SandboxResult> {
  const prepared = prepareRequest(request, {
    defaultTimeoutMs: settings.defaultTimeoutMs,
    maxTimeoutMs: settings.maxTimeoutMs,
    fsQuotaBytes: settings.fsQuotaBytes,
    limits: settings.limits,
  });
  if (isResult(prepared)) return prepared;
  try {
    return await pool.withSession(request.sessionId, (runner) =>
      runner.run({
        code: request.code,
        files: prepared.files,
        timeoutMs: prepared.timeoutMs,
        signal: request.signal,
        cancelGraceMs: settings.cancelGraceMs,
        limits: settings.limits,
      }),
    );
  } catch (error) {
    return failedResult(
      'killed',
      {
        type: 'SandboxUnavailable',
        message: `${settings.label} is unavailable: ${(error as Error).message}`,
      },
      { sessionLost: true, limits: settings.limits },
    );
  }
}

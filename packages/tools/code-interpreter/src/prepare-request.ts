import { failedResult } from './cell-output.js';
import { dataRelativePath } from './data-path.js';
import type { OutputLimits } from './output-limits.js';
import type { SandboxRequest, SandboxResult } from './sandbox.js';

export interface PreparedRequest {
  /** Paths relative to `/mnt/data`. */
  files: { path: string; bytes: Uint8Array }[];
  timeoutMs: number;
}

/**
 * Checks a request before it reaches a runtime: input paths stay under
 * `/mnt/data` and fit the quota. A refusal is a result, like any failure.
 */
export function prepareRequest(
  request: SandboxRequest,
  options: { defaultTimeoutMs: number; maxTimeoutMs: number; fsQuotaBytes: number; limits: OutputLimits },
): PreparedRequest | SandboxResult {
  const refuse = (type: string, message: string) =>
    failedResult('error', { type, message }, { sessionLost: false, limits: options.limits });
  if (typeof request.code !== 'string') return refuse('InvalidRequest', 'code must be a string');
  if (typeof request.sessionId !== 'string' || request.sessionId === '')
    return refuse('InvalidRequest', 'sessionId must be a non-empty string');
  if (request.signal?.aborted) {
    return failedResult(
      'cancelled',
      { type: 'Cancelled', message: 'The call was cancelled before it started.' },
      { sessionLost: false, limits: options.limits },
    );
  }
  const files: PreparedRequest['files'] = [];
  let total = 0;
  for (const file of request.files ?? []) {
    try {
      files.push({ path: dataRelativePath(file.path), bytes: file.bytes });
    } catch (error) {
      return refuse('InvalidRequest', (error as Error).message);
    }
    total += file.bytes.byteLength;
  }
  if (total > options.fsQuotaBytes)
    return refuse(
      'QuotaExceeded',
      `the input files (${total} bytes) exceed the ${options.fsQuotaBytes}-byte quota`,
    );
  const timeoutMs = Math.min(
    Math.max(1, request.timeoutMs ?? options.defaultTimeoutMs),
    options.maxTimeoutMs,
  );
  return { files, timeoutMs };
}

export function isResult(value: PreparedRequest | SandboxResult): value is SandboxResult {
  return 'status' in value;
}

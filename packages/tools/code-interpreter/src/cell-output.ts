import { AgentdError } from '@agentd/spec';
import { capText } from './cap-text.js';
import { dataRelativePath } from './data-path.js';
import { mimeTypeOf } from './mime-type.js';
import type { OutputLimits } from './output-limits.js';
import { DATA_DIR, type SandboxError, type SandboxResult, type SandboxStatus } from './sandbox.js';

/**
 * What a runtime reports for one cell. It comes from code the user controls
 * (a worker, a process), so the host validates its shape and caps it again.
 */
export interface CellOutput {
  stdout: string;
  stderr: string;
  result: string | null;
  error: SandboxError | null;
  files: { path: string; bytes: Uint8Array }[];
  images: Uint8Array[];
  truncated: boolean;
}

/** A runtime reported a cell in a shape the host does not accept: this server's fault, never shown as output. */
export class CellOutputError extends AgentdError {
  override name = 'CellOutputError';

  constructor(message: string) {
    super('internal', 'invalid_cell_output', message);
  }
}

export function parseCellOutput(value: unknown): CellOutput {
  if (typeof value !== 'object' || value === null) throw new CellOutputError('cell output is not an object');
  const o = value as Record<string, unknown>;
  const text = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string') throw new CellOutputError(`cell output field '${key}' is not a string`);
    return v;
  };
  const result = o.result;
  if (result !== null && typeof result !== 'string') throw new CellOutputError('cell result is not a string');
  return {
    stdout: text('stdout'),
    stderr: text('stderr'),
    result,
    error: parseError(o.error),
    files: list(o.files, 'files').map((file) => {
      const f = file as Record<string, unknown>;
      if (typeof f.path !== 'string' || !(f.bytes instanceof Uint8Array))
        throw new CellOutputError('a file entry has no path or bytes');
      return { path: `${DATA_DIR}/${dataRelativePath(f.path)}`, bytes: f.bytes };
    }),
    images: list(o.images, 'images').map((image) => {
      if (!(image instanceof Uint8Array)) throw new CellOutputError('an image is not bytes');
      return image;
    }),
    truncated: o.truncated === true,
  };
}

function parseError(value: unknown): SandboxError | null {
  if (value === null || value === undefined) return null;
  const e = value as Record<string, unknown>;
  if (typeof e.type !== 'string' || typeof e.message !== 'string' || typeof e.traceback !== 'string')
    throw new CellOutputError('cell error is malformed');
  return { type: e.type, message: e.message, traceback: e.traceback };
}

function list(value: unknown, key: string): unknown[] {
  if (!Array.isArray(value)) throw new CellOutputError(`cell output field '${key}' is not a list`);
  return value;
}

/** The caller-facing result of a cell that ran to its end (with or without an exception). */
export function cellResult(output: CellOutput, limits: OutputLimits, cancelled: boolean): SandboxResult {
  const stdout = capText(output.stdout, limits.stdoutChars);
  const stderr = capText(output.stderr, limits.stderrChars);
  const result = output.result === null ? null : capText(output.result, limits.resultChars);
  const error = output.error === null ? null : capError(output.error, limits);
  const interrupted = output.error?.type === 'KeyboardInterrupt';
  const status: SandboxStatus = cancelled && interrupted ? 'cancelled' : error ? 'error' : 'ok';
  return {
    status,
    stdout: stdout.text,
    stderr: stderr.text,
    result: result?.text ?? null,
    error: error?.error ?? null,
    files: output.files.map((file) => ({ ...file, mimeType: mimeTypeOf(file.path) })),
    images: output.images.map((bytes) => ({ mimeType: 'image/png' as const, bytes })),
    truncated:
      output.truncated || stdout.truncated || stderr.truncated || !!result?.truncated || !!error?.truncated,
    sessionLost: false,
  };
}

/** The result of a cell the sandbox had to stop, or could not run. */
export function failedResult(
  status: Exclude<SandboxStatus, 'ok'>,
  error: { type: string; message: string },
  options: { sessionLost: boolean; limits: OutputLimits; stdout?: string; stderr?: string },
): SandboxResult {
  const stdout = capText(options.stdout ?? '', options.limits.stdoutChars);
  const stderr = capText(options.stderr ?? '', options.limits.stderrChars);
  const message = capText(error.message, options.limits.messageChars);
  return {
    status,
    stdout: stdout.text,
    stderr: stderr.text,
    result: null,
    error: { type: error.type, message: message.text, traceback: '' },
    files: [],
    images: [],
    truncated: stdout.truncated || stderr.truncated || message.truncated,
    sessionLost: options.sessionLost,
  };
}

function capError(error: SandboxError, limits: OutputLimits): { error: SandboxError; truncated: boolean } {
  const type = capText(error.type, 200);
  const message = capText(error.message, limits.messageChars);
  const traceback = capText(error.traceback, limits.tracebackChars, 'end');
  return {
    error: { type: type.text, message: message.text, traceback: traceback.text },
    truncated: type.truncated || message.truncated || traceback.truncated,
  };
}

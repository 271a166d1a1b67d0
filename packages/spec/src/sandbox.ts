/**
 * The sandbox contract of the code interpreter: one small interface with two
 * implementations in @agentd/tool-code-interpreter (Pyodide in worker
 * threads, CPython in bubblewrap); its suite is describeSandboxContract in
 * @agentd/testing.
 */

/** Where `/mnt/data` lives inside every sandbox. */
export const SANDBOX_DATA_DIR = '/mnt/data';

export interface SandboxInputFile {
  /** Relative to `/mnt/data`, or absolute under it: `sales.csv`, `/mnt/data/in/sales.csv`. */
  path: string;
  bytes: Uint8Array;
}

export interface SandboxRequest {
  code: string;
  /** The notebook the call belongs to, e.g. a conversation: its globals, imports and files persist. */
  sessionId: string;
  /** Written read-only under `/mnt/data` before the code runs. */
  files?: SandboxInputFile[];
  /** Wall-clock limit for this call; the implementation's default when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type SandboxStatus = 'ok' | 'error' | 'timeout' | 'killed' | 'cancelled';

export interface SandboxError {
  /** The exception's class name, e.g. `ZeroDivisionError`, or `SandboxTimeout` for the sandbox's own. */
  type: string;
  message: string;
  /** The user's frames and what they called, newest last; the sandbox's own frames are dropped. */
  traceback: string;
}

export interface SandboxFile {
  /** Absolute, under `/mnt/data`. */
  path: string;
  bytes: Uint8Array;
  mimeType: string;
}

export interface SandboxImage {
  mimeType: 'image/png';
  bytes: Uint8Array;
}

export interface SandboxResult {
  status: SandboxStatus;
  stdout: string;
  stderr: string;
  /** `repr()` of the last expression's value; null when there is none or it is None. */
  result: string | null;
  error: SandboxError | null;
  /** Files written under `/mnt/data` during this call. */
  files: SandboxFile[];
  /** matplotlib figures, captured without the code having to save them. */
  images: SandboxImage[];
  /** True when any text field was cut to its cap. */
  truncated: boolean;
  /** True when the session's state (globals, imports, files) was lost: time-out, crash or kill. */
  sessionLost: boolean;
}

export interface Sandbox {
  /** Runs one cell. Never rejects for the code's own failures: those are a status. */
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** Forgets a session: its next call starts from a fresh interpreter. */
  reset(sessionId: string): Promise<void>;
  /** Stops every worker and process; later calls reject. */
  close(): Promise<void>;
}

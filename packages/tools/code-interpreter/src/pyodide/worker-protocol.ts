/** Messages between the host and a Pyodide worker (`pyodide-worker.js`). */

export interface PyodideWorkerData {
  /** Directory holding `agentd_runner.py` and `pyodide_lockdown.py`. */
  pythonDir: string;
  /** The WASM heap may not grow past this. */
  wasmMemoryBytes: number;
  /** Bytes the session's files (in `/mnt/data` and anywhere else in its file system) may use. */
  fsQuotaBytes: number;
  stdoutChars: number;
  stderrChars: number;
  resultChars: number;
  /** One Int32: the host writes 2 (SIGINT) to interrupt the running cell. */
  interrupt: SharedArrayBuffer;
  /**
   * A memory image of a freshly booted Pyodide (before any lockdown or user
   * code), which boots several times faster than a cold start.
   */
  snapshot: Uint8Array | null;
  /** Take such an image after booting and send it back before `ready`. */
  makeSnapshot: boolean;
}

export interface RunMessage {
  type: 'run';
  id: number;
  code: string;
  /** Paths relative to `/mnt/data`, already validated by the host. */
  files: { path: string; bytes: Uint8Array }[];
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'snapshot'; bytes: Uint8Array }
  | { type: 'boot-failed'; message: string }
  | { type: 'result'; id: number; output: unknown }
  | { type: 'failed'; id: number; message: string };

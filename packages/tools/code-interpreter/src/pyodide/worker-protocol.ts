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
   * code), which boots several times faster than a cold start. Backed by a
   * SharedArrayBuffer that every worker reads: none is copied by the host. The
   * worker copies it and drops its reference before any other code runs.
   */
  snapshot: Uint8Array | null;
  /** Pyodide's `WebAssembly.Module`, compiled once by the host and shared by every worker. */
  wasmModule: object | null;
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

/** Where a worker's boot went, for the pool's stats and the benchmark. */
export interface BootTimings {
  /** From the host's `new Worker` until the worker's script runs (thread and Node start, workerData). */
  spawnMs: number;
  /** Importing Pyodide's JavaScript. */
  importMs: number;
  /** Loading Pyodide: the WASM instance, the memory image or a cold start. */
  loadMs: number;
  /** The runner, the lockdowns and the warm-up calls. */
  setupMs: number;
  /** From `new Worker` until the worker said it is ready. */
  totalMs: number;
  /** Whether the host's compiled module was used. */
  sharedModule: boolean;
}

/** What the worker measures itself; the host adds the spawn and the total. */
export interface WorkerBootTimings extends Omit<BootTimings, 'spawnMs' | 'totalMs'> {
  /** When the worker's script began to run: `performance.timeOrigin + performance.now()`. */
  scriptAt: number;
}

export type WorkerMessage =
  | { type: 'ready'; timings: WorkerBootTimings }
  | { type: 'snapshot'; bytes: Uint8Array }
  | { type: 'boot-failed'; message: string }
  | { type: 'result'; id: number; output: unknown }
  | { type: 'failed'; id: number; message: string };

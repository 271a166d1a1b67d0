import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PooledSandbox, type PooledSandboxOptions } from '../pooled-sandbox.js';
import { PYTHON_DIR } from '../python-dir.js';
import { processRefillGate } from '../refill-gate.js';
import { SessionPool } from '../session-pool.js';
import { compiledPyodideModule } from './compiled-module.js';
import { PyodideWorkerRunner } from './pyodide-worker-runner.js';
import { readSnapshotFile, sharedImage, writeSnapshotFile } from './snapshot-file.js';
import type { BootTimings } from './worker-protocol.js';

export interface PyodideSandboxOptions extends PooledSandboxOptions {
  /** Booted, unassigned workers kept ready. Default 2. */
  poolSize?: number;
  /** The most warm workers the pool grows to when new sessions come faster than workers boot. Default 8. */
  maxPoolSize?: number;
  /** Memory one warm worker takes, which bounds the pool's growth by the machine's free memory. Default 128 MB. */
  workerMemoryMb?: number;
  /** Free memory the pool leaves to everything else when it grows. Default 1024 MB. */
  minFreeMemoryMb?: number;
  /** Workers booting at once while the pool refills. Default: the machine's cores, at least 2. */
  bootConcurrency?: number;
  /** Live sessions at most; the least recently used idle one is evicted. Default 16. */
  maxSessions?: number;
  /** A session unused this long is forgotten. Default 15 minutes. */
  idleTimeoutMs?: number;
  /** Per-call wall-clock limit when the request names none. Default 30 s. */
  timeoutMs?: number;
  /** Cap on the WASM heap (Python's memory). Default 512 MB. */
  wasmMemoryMb?: number;
  /** The worker's JavaScript heap (V8 old generation). Default 256 MB. */
  jsHeapMb?: number;
  bootTimeoutMs?: number;
  /**
   * Where to keep the memory image of a fresh boot between starts (e.g. in the
   * server's data directory). Without it the image lives in memory only.
   */
  snapshotFile?: string;
}

/**
 * A freshly booted Pyodide's memory image, shared by every sandbox in the
 * process: it holds no session state (it is taken before any lockdown or code).
 */
let sharedSnapshot: Uint8Array | null = null;

/**
 * Python (Pyodide, the standard library only) in worker threads: a warm pool,
 * one worker per session, and the lockdown described in `worker-lockdown.js`
 * and `python/pyodide_lockdown.py`.
 */
export class PyodideSandbox extends PooledSandbox<PyodideWorkerRunner> {
  readonly runtime = 'pyodide';
  protected readonly pool: SessionPool<PyodideWorkerRunner>;
  /** Later workers restore this image instead of booting cold. */
  #snapshot: Uint8Array | null = sharedSnapshot;
  /** While the first worker takes the image, other boots wait for it rather than boot cold beside it. */
  #snapshotting: Promise<unknown> | null = null;
  #lastBoot: BootTimings | null = null;
  readonly #snapshotFile: string | undefined;

  constructor(options: PyodideSandboxOptions = {}) {
    super(options, { timeoutMs: 30_000, label: 'The Python sandbox' });
    this.#snapshotFile = options.snapshotFile;
    if (this.#snapshotFile) {
      // Restore from the file, or keep there the image this process already has.
      if (this.#snapshot === null) this.#snapshot = readSnapshotFile(this.#snapshotFile);
      else if (!existsSync(this.#snapshotFile)) writeSnapshotFile(this.#snapshotFile, this.#snapshot);
    }
    const wasmMemoryMb = options.wasmMemoryMb ?? 512;
    const jsHeapMb = options.jsHeapMb ?? 256;
    const warm = options.poolSize ?? 2;
    this.pool = new SessionPool({
      warm,
      maxWarm: options.maxPoolSize ?? Math.max(warm, 8),
      // A warm worker measured about 120 MB (WASM heap restored from the image, and its JavaScript heap).
      memoryPerRunnerMb: options.workerMemoryMb ?? 128,
      ...(options.minFreeMemoryMb === undefined ? {} : { minFreeMemoryMb: options.minFreeMemoryMb }),
      bootConcurrency: options.bootConcurrency ?? Math.max(2, availableParallelism()),
      refillGate: options.refillGate ?? processRefillGate(),
      maxSessions: options.maxSessions ?? 16,
      idleMs: options.idleTimeoutMs ?? 15 * 60_000,
      boot: (signal) => this.#boot(jsHeapMb, wasmMemoryMb, options.bootTimeoutMs ?? 60_000, signal),
    });
  }

  async #boot(
    jsHeapMb: number,
    wasmMemoryMb: number,
    bootTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<PyodideWorkerRunner> {
    if (this.#snapshot === null && this.#snapshotting) await this.#snapshotting.catch(() => undefined);
    const makeSnapshot = this.#snapshot === null && this.#snapshotting === null;
    const booting = this.#bootWorker(jsHeapMb, wasmMemoryMb, bootTimeoutMs, makeSnapshot, signal).then(
      (runner) => {
        this.#lastBoot = runner.timings;
        return runner;
      },
    );
    if (makeSnapshot) {
      this.#snapshotting = booting;
      void booting.then(
        () => (this.#snapshotting = null),
        () => (this.#snapshotting = null),
      );
    }
    return booting;
  }

  async #bootWorker(
    jsHeapMb: number,
    wasmMemoryMb: number,
    bootTimeoutMs: number,
    makeSnapshot: boolean,
    signal: AbortSignal,
  ): Promise<PyodideWorkerRunner> {
    const wasmModule = await compiledPyodideModule();
    if (signal.aborted) throw new Error('the sandbox is closed');
    try {
      return await PyodideWorkerRunner.boot({
        data: {
          snapshot: this.#snapshot,
          wasmModule,
          makeSnapshot,
          pythonDir: PYTHON_DIR,
          wasmMemoryBytes: wasmMemoryMb * 1024 * 1024,
          fsQuotaBytes: this.settings.fsQuotaBytes,
          stdoutChars: this.settings.limits.stdoutChars,
          stderrChars: this.settings.limits.stderrChars,
          resultChars: this.settings.limits.resultChars,
        },
        onSnapshot: (bytes) => {
          const image = sharedImage(bytes);
          this.#snapshot = image;
          sharedSnapshot = image;
          if (this.#snapshotFile) writeSnapshotFile(this.#snapshotFile, image);
        },
        resourceLimits: {
          maxOldGenerationSizeMb: jsHeapMb,
          maxYoungGenerationSizeMb: 32,
          codeRangeSizeMb: 64,
          stackSizeMb: 4,
        },
        // A cold boot (no image yet) takes several times longer than one from the image.
        bootTimeoutMs: this.#snapshot === null ? bootTimeoutMs * 3 : bootTimeoutMs,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // An image this Pyodide cannot restore: boot cold (and take a new one) from now on.
      if (this.#snapshot === sharedSnapshot) sharedSnapshot = null;
      this.#snapshot = null;
      throw error;
    }
  }

  /** Where the last worker's boot went: loading Pyodide, then the runner and lockdown. */
  get lastBootTimings(): BootTimings | null {
    return this.#lastBoot;
  }
}

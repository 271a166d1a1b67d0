import { type ResourceLimits, Worker } from 'node:worker_threads';
import { cellResult, failedResult, parseCellOutput } from '../cell-output.js';
import type { CellRequest } from '../cell-request.js';
import type { SandboxResult } from '../sandbox.js';
import { lostSessionMessage } from '../session-lost.js';
import type { PooledRunner } from '../session-pool.js';
import type { BootTimings, PyodideWorkerData, RunMessage, WorkerMessage } from './worker-protocol.js';

const WORKER_URL = new URL('./pyodide-worker.js', import.meta.url);
const SIGINT = 2;

export interface PyodideWorkerOptions {
  data: Omit<PyodideWorkerData, 'interrupt'>;
  /** Receives the memory image when `data.makeSnapshot` is set. */
  onSnapshot?: (bytes: Uint8Array) => void;
  resourceLimits: ResourceLimits;
  bootTimeoutMs: number;
  /** Ends a boot still under way (the pool is closing). */
  signal?: AbortSignal;
}

/** One booted Pyodide worker. A time-out, crash or kill ends it: the pool boots another. */
export class PyodideWorkerRunner implements PooledRunner {
  readonly #worker: Worker;
  readonly #interrupt: Int32Array;
  #alive = true;
  #nextId = 0;
  #exitReason: string | null = null;
  /** Where this worker's boot went. */
  readonly timings: BootTimings;

  private constructor(worker: Worker, interrupt: Int32Array, timings: BootTimings) {
    this.timings = timings;
    this.#worker = worker;
    this.#interrupt = interrupt;
    worker.on('exit', () => {
      this.#alive = false;
    });
    worker.on('error', (error: Error & { code?: string }) => {
      this.#alive = false;
      this.#exitReason =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'the memory limit was exceeded'
          : `it crashed: ${error.message}`;
    });
  }

  static async boot(options: PyodideWorkerOptions): Promise<PyodideWorkerRunner> {
    const interrupt = new SharedArrayBuffer(4);
    const spawnAt = performance.timeOrigin + performance.now();
    const worker = new Worker(WORKER_URL, {
      workerData: { ...options.data, interrupt } satisfies PyodideWorkerData,
      // No host environment, arguments or Node options reach the worker.
      env: {},
      argv: [],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: options.resourceLimits,
    });
    // Its console is silenced after boot; drain the pipes so nothing blocks.
    worker.stdout.resume();
    worker.stderr.resume();
    let timings: BootTimings = {
      spawnMs: 0,
      importMs: 0,
      loadMs: 0,
      setupMs: 0,
      totalMs: 0,
      sharedModule: false,
    };
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Pyodide did not boot within ${options.bootTimeoutMs} ms`)),
          options.bootTimeoutMs,
        );
        const done = (error?: Error) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          options.signal?.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        };
        const onMessage = (message: WorkerMessage) => {
          if (message.type === 'ready') {
            const { scriptAt, ...measured } = message.timings;
            const now = performance.timeOrigin + performance.now();
            timings = { ...measured, spawnMs: scriptAt - spawnAt, totalMs: now - spawnAt };
            done();
          } else if (message.type === 'snapshot') options.onSnapshot?.(message.bytes);
          else if (message.type === 'boot-failed')
            done(new Error(`Pyodide failed to boot: ${message.message}`));
        };
        const onError = (error: Error) => done(error);
        const onExit = (code: number) =>
          done(new Error(`the Pyodide worker exited during boot (code ${code})`));
        const onAbort = () => done(new Error('the sandbox is closed'));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return new PyodideWorkerRunner(worker, new Int32Array(interrupt), timings);
  }

  get alive(): boolean {
    return this.#alive;
  }

  run(request: CellRequest): Promise<SandboxResult> {
    const id = ++this.#nextId;
    const worker = this.#worker;
    return new Promise<SandboxResult>((resolve) => {
      let cancelled = false;
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;
      const lost = (status: 'timeout' | 'killed' | 'cancelled', type: string, why: string) => {
        if (settled) return;
        this.#kill();
        finish(
          failedResult(
            status,
            { type, message: lostSessionMessage(why) },
            { sessionLost: true, limits: request.limits },
          ),
        );
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'failed' && message.id === id) {
          lost('killed', 'SandboxCrashed', `the interpreter failed: ${message.message}`);
        } else if (message.type === 'result' && message.id === id) {
          try {
            finish(cellResult(parseCellOutput(message.output), request.limits, cancelled));
          } catch (error) {
            lost('killed', 'SandboxCrashed', `the interpreter sent a malformed result: ${String(error)}`);
          }
        }
      };
      const onExit = () => {
        const status = cancelled ? 'cancelled' : 'killed';
        lost(status, 'SandboxCrashed', `the interpreter stopped: ${this.#exitReason ?? 'it exited'}`);
      };
      const onAbort = () => {
        cancelled = true;
        // A KeyboardInterrupt keeps the session; a cell that ignores it is stopped for good.
        Atomics.store(this.#interrupt, 0, SIGINT);
        graceTimer = setTimeout(
          () => lost('cancelled', 'Cancelled', 'the call was cancelled and did not stop in time'),
          request.cancelGraceMs,
        );
      };
      const timer = setTimeout(
        () =>
          lost('timeout', 'SandboxTimeout', `the call exceeded its time limit of ${request.timeoutMs} ms`),
        request.timeoutMs,
      );
      const finish = (result: SandboxResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(graceTimer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        request.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.#alive) return onExit();
      const message: RunMessage = { type: 'run', id, code: request.code, files: request.files };
      // Cleared here, before the post, so that a cancel arriving at any moment after it is kept.
      Atomics.store(this.#interrupt, 0, 0);
      worker.postMessage(message);
      if (request.signal?.aborted) onAbort();
    });
  }

  async dispose(): Promise<void> {
    this.#alive = false;
    await this.#worker.terminate();
  }

  #kill(): void {
    this.#alive = false;
    void this.#worker.terminate();
  }
}

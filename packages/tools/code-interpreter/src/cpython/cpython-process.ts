import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { cellResult, failedResult, parseCellOutput } from '../cell-output.js';
import type { CellRequest } from '../cell-request.js';
import type { SandboxResult } from '../sandbox.js';
import { lostSessionMessage } from '../session-lost.js';
import type { PooledRunner } from '../session-pool.js';
import { bubblewrapArgs } from './bubblewrap-args.js';
import { LineSplitter } from './line-splitter.js';
import { descendants } from './process-tree.js';

export interface CPythonProcessOptions {
  bwrapPath: string;
  pythonBinary: string;
  codeDir: string;
  /** The host uid/gid bubblewrap runs as; undefined keeps the server's own. */
  hostUid: number | undefined;
  hostGid: number | undefined;
  seccomp: Uint8Array | null;
  dataQuotaBytes: number;
  tmpQuotaBytes: number;
  rlimits: {
    nproc: number;
    address_space: number;
    file_size: number;
    open_files: number;
    cpu_seconds: number;
  };
  output: { stdout_chars: number; stderr_chars: number; result_chars: number };
  bootTimeoutMs: number;
}

const SECCOMP_FD = 3;
const STDERR_TAIL = 4_000;

interface Pending {
  id: number;
  resolve: (line: Record<string, unknown> | Error) => void;
}

/**
 * One session's CPython REPL inside bubblewrap. bubblewrap is started in a
 * process group of its own and is the sandbox's parent: killing that group
 * kills the sandbox's PID namespace, and with it every process the code started.
 */
export class CPythonProcess implements PooledRunner {
  readonly #child: ChildProcess;
  readonly #stdin: Writable;
  readonly #inputsDir: string;
  #alive = true;
  #nextId = 0;
  #pending: Pending | null = null;
  #stderrTail = '';
  #onReady: ((error?: Error) => void) | null = null;

  private constructor(child: ChildProcess, inputsDir: string, maxLineBytes: number) {
    this.#child = child;
    this.#stdin = child.stdin!;
    this.#inputsDir = inputsDir;
    const lines = new LineSplitter(maxLineBytes);
    child.stdout!.on('data', (chunk: Buffer) => {
      let received: string[];
      try {
        received = lines.push(chunk);
      } catch (error) {
        return this.#fail(error as Error);
      }
      for (const line of received) this.#receive(line);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    // A pipe to a sandbox that is killed (a pool closing mid-boot) can fail with EPIPE or ECONNRESET;
    // the exit handler below says what became of the process, so these errors need no more than a listener,
    // without which they would take the whole server down. The seccomp pipe is one of them.
    for (const stream of child.stdio) stream?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      this.#alive = false;
      const why = `the sandbox process exited (${signal ?? `code ${code}`})${this.#stderrTail ? `: ${this.#stderrTail.trim()}` : ''}`;
      this.#fail(new Error(why));
      rmSync(this.#inputsDir, { recursive: true, force: true });
    });
  }

  /** `signal` ends a start still under way (the pool is closing). */
  static async start(options: CPythonProcessOptions, signal?: AbortSignal): Promise<CPythonProcess> {
    const inputsDir = mkdtempSync(join(tmpdir(), 'agentd-ci-inputs-'));
    // The sandbox's user must be able to reach the files it is given, and no more.
    chmodSync(inputsDir, 0o711);
    const args = bubblewrapArgs({
      pythonBinary: options.pythonBinary,
      codeDir: options.codeDir,
      inputsDir,
      dataQuotaBytes: options.dataQuotaBytes,
      tmpQuotaBytes: options.tmpQuotaBytes,
      seccompFd: options.seccomp ? SECCOMP_FD : null,
      driverConfig: JSON.stringify({
        rlimits: options.rlimits,
        output: options.output,
        max_file_bytes: options.dataQuotaBytes,
      }),
    });
    const child = spawn(options.bwrapPath, args, {
      stdio: ['pipe', 'pipe', 'pipe', ...(options.seccomp ? (['pipe'] as const) : [])],
      detached: true,
      env: {},
      uid: options.hostUid,
      gid: options.hostGid,
    });
    if (options.seccomp) (child.stdio[SECCOMP_FD] as Writable).end(Buffer.from(options.seccomp));
    const maxLineBytes = Math.ceil(options.dataQuotaBytes * 1.4) + 64 * 1024 * 1024;
    const runner = new CPythonProcess(child, inputsDir, maxLineBytes);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the CPython sandbox did not start in time')),
          options.bootTimeoutMs,
        );
        const onAbort = () => runner.#onReady?.(new Error('the sandbox is closed'));
        runner.#onReady = (error) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          runner.#onReady = null;
          if (error) reject(error);
          else resolve();
        };
        child.once('error', (error) => runner.#onReady?.(error));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } catch (error) {
      await runner.dispose();
      throw error;
    }
    return runner;
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** The host pid of bubblewrap, the sandbox's root. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  async run(request: CellRequest): Promise<SandboxResult> {
    const limits = request.limits;
    const lost = (status: 'timeout' | 'killed' | 'cancelled', type: string, why: string) => {
      this.#kill();
      return failedResult(status, { type, message: lostSessionMessage(why) }, { sessionLost: true, limits });
    };
    if (!this.#alive) return lost('killed', 'SandboxCrashed', 'the sandbox process had stopped');
    // Cancelled before the cell was sent: it never runs, and the idle interpreter is not interrupted
    // (a SIGINT outside a cell would end the session), as Pyodide keeps its session for an early cancel.
    if (request.signal?.aborted)
      return failedResult(
        'cancelled',
        { type: 'KeyboardInterrupt', message: 'The call was cancelled before it ran.' },
        { sessionLost: false, limits },
      );
    try {
      this.#writeInputs(request.files);
    } catch (error) {
      return failedResult(
        'error',
        {
          type: 'InputFilesError',
          message: `The input files could not be staged: ${(error as Error).message}`,
        },
        { sessionLost: false, limits },
      );
    }
    const id = ++this.#nextId;
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const reply = new Promise<Record<string, unknown> | Error | 'timeout' | 'cancel-expired'>((resolve) => {
      this.#pending = { id, resolve };
      timer = setTimeout(() => resolve('timeout'), request.timeoutMs);
      onAbort = () => {
        cancelled = true;
        this.#interrupt();
        graceTimer = setTimeout(() => resolve('cancel-expired'), request.cancelGraceMs);
      };
    });
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    this.#stdin.write(
      `${JSON.stringify({
        id,
        code: request.code,
        inputs: request.files.map((file) => file.path),
        cpu_seconds: Math.ceil(request.timeoutMs / 1000),
      })}\n`,
    );
    const answer = await reply;
    this.#pending = null;
    clearTimeout(timer);
    clearTimeout(graceTimer);
    request.signal?.removeEventListener('abort', onAbort);
    if (answer === 'timeout')
      return lost('timeout', 'SandboxTimeout', `the call exceeded its time limit of ${request.timeoutMs} ms`);
    if (answer === 'cancel-expired')
      return lost('cancelled', 'Cancelled', 'the call was cancelled and did not stop in time');
    if (answer instanceof Error)
      return lost(cancelled ? 'cancelled' : 'killed', 'SandboxCrashed', answer.message);
    if (typeof answer.failed === 'string')
      return lost('killed', 'SandboxCrashed', `the sandbox driver failed: ${answer.failed}`);
    try {
      return cellResult(parseCellOutput(decodeBinary(answer)), limits, cancelled);
    } catch (error) {
      return lost(
        'killed',
        'SandboxCrashed',
        `the sandbox sent a malformed result: ${(error as Error).message}`,
      );
    }
  }

  async dispose(): Promise<void> {
    this.#kill();
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      await new Promise<void>((resolve) => {
        this.#child.once('exit', () => resolve());
        setTimeout(resolve, 5_000).unref();
      });
    }
    rmSync(this.#inputsDir, { recursive: true, force: true });
  }

  #receive(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.#fail(new Error('the sandbox sent a line that is not JSON'));
      return;
    }
    if (this.#onReady && message.type === 'ready') this.#onReady();
    else if (this.#pending && message.id === this.#pending.id) this.#pending.resolve(message);
  }

  #fail(error: Error): void {
    this.#onReady?.(error);
    this.#pending?.resolve(error);
    this.#kill();
  }

  /** KeyboardInterrupt for the driver (the shallowest Python in the sandbox); the cell may survive it. */
  #interrupt(): void {
    const pid = this.#child.pid;
    const driver = pid === undefined ? undefined : descendants(pid).find((p) => p.name.startsWith('python'));
    if (driver) {
      try {
        process.kill(driver.pid, 'SIGINT');
      } catch {}
    }
  }

  #kill(): void {
    this.#alive = false;
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    try {
      // The whole group: bubblewrap and its init; the PID namespace dies with them.
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.#child.kill('SIGKILL');
    }
  }

  #writeInputs(files: { path: string; bytes: Uint8Array }[]): void {
    for (const file of files) {
      const target = join(this.#inputsDir, file.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o711 });
      try {
        unlinkSync(target);
      } catch {}
      writeFileSync(target, file.bytes, { mode: 0o444 });
    }
  }
}

/** The driver sends file contents and images as base64. */
function decodeBinary(answer: Record<string, unknown>): Record<string, unknown> {
  const files = Array.isArray(answer.files) ? answer.files : [];
  const images = Array.isArray(answer.images) ? answer.images : [];
  return {
    ...answer,
    files: files.map((file: { path?: unknown; data?: unknown }) => ({
      path: file?.path,
      bytes: typeof file?.data === 'string' ? new Uint8Array(Buffer.from(file.data, 'base64')) : undefined,
    })),
    images: images.map((image: unknown) =>
      typeof image === 'string' ? new Uint8Array(Buffer.from(image, 'base64')) : undefined,
    ),
  };
}

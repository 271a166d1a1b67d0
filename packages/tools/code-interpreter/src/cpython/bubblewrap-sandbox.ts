import { PooledSandbox, type PooledSandboxOptions } from '../pooled-sandbox.js';
import { PYTHON_DIR } from '../python-dir.js';
import { processRefillGate } from '../refill-gate.js';
import { SessionPool } from '../session-pool.js';
import { CPythonProcess } from './cpython-process.js';
import { findExecutable } from './find-executable.js';
import { seccompProgram } from './seccomp-filter.js';

export interface BubblewrapSandboxOptions extends PooledSandboxOptions {
  /** Started, unassigned sandboxes kept ready. Default 2 (an idle one costs about 20 MB). */
  poolSize?: number;
  /** The most warm sandboxes the pool grows to when new sessions come faster than sandboxes start. Default 8. */
  maxPoolSize?: number;
  /** Free memory the pool leaves to everything else when it grows. Default 1024 MB. */
  minFreeMemoryMb?: number;
  /** Sandboxes starting at once while the pool refills. Default 4. */
  bootConcurrency?: number;
  /** Live sessions at most; the least recently used idle one is evicted. Default 8. */
  maxSessions?: number;
  /** A session unused this long is stopped. Default 15 minutes. */
  idleTimeoutMs?: number;
  /** Per-call wall-clock limit when the request names none. Default 60 s. */
  timeoutMs?: number;
  /** Default: `bwrap` on PATH. */
  bwrapPath?: string;
  /** The host's Python, the only program inside the sandbox. Default /usr/bin/python3 (Debian's). */
  pythonPath?: string;
  /**
   * The host uid and gid bubblewrap runs as. Default: 65534 (nobody) when the
   * server runs as root, else the server's own (already unprivileged). Inside,
   * the code always runs as uid 65534 in its own user namespace.
   */
  hostUid?: number;
  hostGid?: number;
  /** RLIMIT_AS of the Python process. Default 2048 MB. */
  memoryMb?: number;
  /** RLIMIT_NPROC: processes and threads of the sandbox's user. Default 64. */
  maxProcesses?: number;
  /** RLIMIT_NOFILE. Default 256. */
  maxOpenFiles?: number;
  /** RLIMIT_CPU hard limit over a session's life; each call also gets a soft limit. Default 3600 s. */
  sessionCpuSeconds?: number;
  /** Size of the /mnt/data tmpfs, and RLIMIT_FSIZE. Default 100 MB. */
  fsQuotaBytes?: number;
  /** Size of the /tmp tmpfs. Default 64 MB. */
  tmpQuotaBytes?: number;
  /** Apply the seccomp filter (x86-64 only). Default true. */
  seccomp?: boolean;
  bootTimeoutMs?: number;
}

/**
 * CPython (Debian's python3 with numpy, pandas, matplotlib, scipy) in
 * bubblewrap: one persistent REPL process per session, a warm pool of
 * started sandboxes, every call bounded in time, memory, processes and files.
 */
export class BubblewrapSandbox extends PooledSandbox<CPythonProcess> {
  readonly runtime = 'cpython';
  protected readonly pool: SessionPool<CPythonProcess>;
  readonly #seccomp: Uint8Array | null;

  constructor(options: BubblewrapSandboxOptions = {}) {
    super(options, { timeoutMs: 60_000, label: 'The CPython sandbox' });
    const { fsQuotaBytes, limits } = this.settings;
    this.#seccomp = options.seccomp === false ? null : seccompProgram();
    const asRoot = process.getuid?.() === 0;
    const processOptions = {
      bwrapPath: findExecutable(options.bwrapPath ?? 'bwrap'),
      pythonBinary: findExecutable(options.pythonPath ?? '/usr/bin/python3'),
      codeDir: PYTHON_DIR,
      hostUid: options.hostUid ?? (asRoot ? 65534 : undefined),
      hostGid: options.hostGid ?? (asRoot ? 65534 : undefined),
      seccomp: this.#seccomp,
      dataQuotaBytes: fsQuotaBytes,
      tmpQuotaBytes: options.tmpQuotaBytes ?? 64 * 1024 * 1024,
      rlimits: {
        nproc: options.maxProcesses ?? 64,
        address_space: (options.memoryMb ?? 2048) * 1024 * 1024,
        file_size: fsQuotaBytes,
        open_files: options.maxOpenFiles ?? 256,
        cpu_seconds: options.sessionCpuSeconds ?? 3600,
      },
      output: {
        stdout_chars: limits.stdoutChars,
        stderr_chars: limits.stderrChars,
        result_chars: limits.resultChars,
      },
      bootTimeoutMs: options.bootTimeoutMs ?? 20_000,
    };
    const warm = options.poolSize ?? 2;
    this.pool = new SessionPool({
      warm,
      maxWarm: options.maxPoolSize ?? Math.max(warm, 8),
      // bubblewrap and an idle python3 with the driver: about 20 MB; counted with room to spare.
      memoryPerRunnerMb: 32,
      ...(options.minFreeMemoryMb === undefined ? {} : { minFreeMemoryMb: options.minFreeMemoryMb }),
      bootConcurrency: options.bootConcurrency ?? 4,
      refillGate: options.refillGate ?? processRefillGate(),
      maxSessions: options.maxSessions ?? 8,
      idleMs: options.idleTimeoutMs ?? 15 * 60_000,
      boot: (signal) => CPythonProcess.start(processOptions, signal),
    });
  }

  /** Whether the seccomp filter is applied (it is described for x86-64 only). */
  get seccompApplied(): boolean {
    return this.#seccomp !== null;
  }
}

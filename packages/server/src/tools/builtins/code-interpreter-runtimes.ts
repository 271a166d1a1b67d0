import { join } from 'node:path';
import {
  BubblewrapSandbox,
  type CodeInterpreterRuntime,
  PyodideSandbox,
  type SessionPoolStats,
} from '@agentd/tool-code-interpreter';
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { LazySandbox } from './lazy-sandbox.js';

export interface CodeInterpreterRuntimesOptions {
  config: Config;
  logger: Logger;
  /** Whether the CPython runtime is on offer (bubblewrap and python3 found, not turned off). */
  cpython: boolean;
}

/** Each runtime's pool, or null when it has not started (or is not on offer). */
export type CodeInterpreterPools = Record<CodeInterpreterRuntime, SessionPoolStats | null>;

/**
 * The code interpreter's sandboxes: made lazily, and booted in the background
 * right after the server listens unless AGENTD_CODE_INTERPRETER_PREWARM=off,
 * so that the first call finds a warm interpreter (or waits for the boot
 * already under way rather than starting another).
 */
export class CodeInterpreterRuntimes {
  readonly pyodide: LazySandbox;
  readonly cpython: LazySandbox | undefined;
  readonly prewarmOn: boolean;
  readonly #logger: Logger;
  #ready: Promise<string | undefined> | undefined;
  #closed = false;

  constructor(options: CodeInterpreterRuntimesOptions) {
    const { config } = options;
    this.#logger = options.logger;
    this.prewarmOn = config.AGENTD_CODE_INTERPRETER_PREWARM;
    const poolSize = config.AGENTD_CODE_INTERPRETER_POOL_SIZE;
    const maxPoolSize = config.AGENTD_CODE_INTERPRETER_POOL_MAX;
    const sizing = {
      ...(poolSize === undefined ? {} : { poolSize }),
      ...(maxPoolSize === undefined ? {} : { maxPoolSize }),
    };
    // Kept between starts: a restarted server boots Pyodide from it instead of cold.
    const snapshotFile = join(config.AGENTD_DATA_DIR, 'code-interpreter', 'pyodide-snapshot.bin');
    this.pyodide = new LazySandbox(() => new PyodideSandbox({ ...sizing, snapshotFile }));
    this.cpython = options.cpython ? new LazySandbox(() => new BubblewrapSandbox(sizing)) : undefined;
  }

  /**
   * Starts booting the pools when prewarm is on; never waits for them. The
   * returned promise (also `ready`) gives the line that says they are warm,
   * or undefined when prewarm is off or a boot failed (that is logged, and
   * the first call tries again).
   */
  prewarm(): Promise<string | undefined> {
    if (this.#ready) return this.#ready;
    if (!this.prewarmOn) {
      this.#ready = Promise.resolve(undefined);
      return this.#ready;
    }
    const started = performance.now();
    const pools = [this.pyodide, this.cpython].filter((pool) => pool !== undefined);
    this.#ready = Promise.all(pools.map((pool) => pool.start().ready())).then(
      () => {
        // A close during the boot ends it: nothing became ready.
        if (this.#closed) return undefined;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const warm = this.#poolList();
        const line = `code interpreter ready: ${warm} (${seconds} s)`;
        this.#logger.info({ pools: this.pools, seconds: Number(seconds) }, line);
        return line;
      },
      (error: unknown) => {
        if (this.#closed) return undefined;
        this.#logger.warn(
          { err: error },
          'the code interpreter could not boot its pools in the background; the first call tries again',
        );
        return undefined;
      },
    );
    return this.#ready;
  }

  /** The line that says the pools are warm, once they are (see prewarm()). */
  get ready(): Promise<string | undefined> | undefined {
    return this.#ready;
  }

  get pools(): CodeInterpreterPools {
    return { pyodide: this.pyodide.stats, cpython: this.cpython?.stats ?? null };
  }

  /** For the start-up banner: when the interpreters boot. */
  get bootNote(): string {
    return this.prewarmOn ? 'booting in the background' : 'booted on first use';
  }

  close(): Promise<unknown> {
    this.#closed = true;
    return Promise.allSettled([this.pyodide.close(), this.cpython?.close()]);
  }

  #poolList(): string {
    const { pyodide, cpython } = this.pools;
    const parts = [`pyodide ${pyodide?.warm ?? 0} warm`];
    if (cpython) parts.push(`cpython ${cpython.warm} warm`);
    return parts.join(', ');
  }
}

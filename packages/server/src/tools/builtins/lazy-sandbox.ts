import type { Sandbox, SandboxRequest, SandboxResult, SessionPoolStats } from '@agentd/tool-code-interpreter';

/** A sandbox with a warm pool: PyodideSandbox and BubblewrapSandbox. */
export interface PooledSandbox extends Sandbox {
  readonly stats: SessionPoolStats;
  /** Resolves once the warm pool is full. */
  ready(): Promise<void>;
}

/**
 * A sandbox made when first needed: constructing one boots its warm pool
 * (Pyodide workers, bubblewrap processes). The server makes it right after it
 * listens (prewarm) or, with AGENTD_CODE_INTERPRETER_PREWARM=off, on the first call.
 */
export class LazySandbox<S extends PooledSandbox = PooledSandbox> implements Sandbox {
  #sandbox: S | undefined;
  #closed = false;

  constructor(private readonly create: () => S) {}

  /** True once the sandbox was made (and so its pool booted). */
  get started(): boolean {
    return this.#sandbox !== undefined;
  }

  get stats(): SessionPoolStats | null {
    return this.#sandbox?.stats ?? null;
  }

  /** Makes the sandbox now, booting its pool in the background; the same one calls will use. */
  start(): S {
    if (this.#closed) throw new Error('the code interpreter is shut down');
    this.#sandbox ??= this.create();
    return this.#sandbox;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    if (this.#closed) return Promise.reject(new Error('the code interpreter is shut down'));
    return this.start().run(request);
  }

  async reset(sessionId: string): Promise<void> {
    await this.#sandbox?.reset(sessionId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sandbox?.close();
  }
}

import type { Sandbox, SandboxRequest, SandboxResult } from '@agentd/tool-code-interpreter';

/**
 * A sandbox made on its first call: constructing one boots its warm pool
 * (Pyodide workers, bubblewrap processes), which a server start must not do.
 */
export class LazySandbox implements Sandbox {
  #sandbox: Sandbox | undefined;
  #closed = false;

  constructor(private readonly create: () => Sandbox) {}

  /** True once the first call made the sandbox. */
  get started(): boolean {
    return this.#sandbox !== undefined;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    if (this.#closed) return Promise.reject(new Error('the code interpreter is shut down'));
    this.#sandbox ??= this.create();
    return this.#sandbox.run(request);
  }

  async reset(sessionId: string): Promise<void> {
    await this.#sandbox?.reset(sessionId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sandbox?.close();
  }
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** A `WebAssembly.Module` (this project's TypeScript libraries do not declare WebAssembly). */
export type CompiledModule = object;

const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } })
  .WebAssembly;

let compiling: Promise<CompiledModule | null> | undefined;

/**
 * Pyodide's WebAssembly module, compiled once per process and handed to every
 * worker, which instantiates it instead of compiling 10 MB of WASM again.
 * Null when it cannot be compiled here: the workers then compile it themselves.
 */
export function compiledPyodideModule(): Promise<CompiledModule | null> {
  compiling ??= (async () => {
    try {
      const path = createRequire(import.meta.url).resolve('pyodide/pyodide.asm.wasm');
      return await wasm.compile(await readFile(path));
    } catch {
      return null;
    }
  })();
  return compiling;
}

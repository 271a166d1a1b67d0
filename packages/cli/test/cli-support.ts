import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, with only the environment given (plus PATH and HOME). */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const output = collectOutput(child);
  child.stdin.end(options.input ?? '');
  return output;
}

/** What a child process writes until it ends, and its exit code. */
export function collectOutput(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Waits on a condition over output read as it comes: `until(done)` resolves once `done()` holds,
 * checked now and at each `wake()` (call it whenever output arrives).
 */
export function outputWaiters() {
  const waiters = new Set<() => void>();
  return {
    wake: () => {
      for (const waiter of waiters) waiter();
    },
    until: (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (done()) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from '../cli-support.js';

const BRIDGE = fileURLToPath(new URL('./pty-bridge.py', import.meta.url));

/** The terminal's escape sequences (colours, clearing the line), removed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it removes.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The CLI in a real pseudo-terminal, with what its screen received so far. */
export interface Terminal {
  /** Everything written to the terminal, escapes and echo included. */
  readonly screen: () => string;
  /** Types text at the terminal (include `\r` for Enter). */
  type(text: string): void;
  /** Resolves once the screen (escapes removed) satisfies `done`; rejects, showing the screen, if the CLI exits first. */
  until(done: (plain: string) => boolean): Promise<void>;
  /** The CLI's exit code. */
  readonly exited: Promise<number | null>;
  kill(): void;
}

/**
 * Runs `agentd ARGS` in a pseudo-terminal (python3's pty module; node-pty
 * would need a native build), with only `env` (plus PATH, HOME and a TERM).
 * stdin, stdout and stderr are all the terminal, as in a user's shell.
 */
export function startInTerminal(args: string[], env: Record<string, string>): Terminal {
  const child = spawn('python3', [BRIDGE, process.execPath, CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', TERM: 'xterm-256color', ...env },
  });
  let screen = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', (chunk) => {
    screen += chunk;
    wake();
  });
  child.stderr.on('data', (chunk) => {
    screen += chunk;
    wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      wake();
      resolve(code);
    }),
  );
  return {
    screen: () => screen,
    type: (text) => child.stdin.write(text),
    until: (done) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (done(stripAnsi(screen))) {
            waiters.delete(check);
            resolve();
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`the CLI exited; its screen:\n${stripAnsi(screen)}`));
          }
        };
        waiters.add(check);
        check();
      }),
    exited,
    kill: () => child.kill(),
  };
}

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server's own entry point (`agentd-server`), found through
 * @agentd/server's exports. The CLI never imports the server: it starts this
 * file as a process and talks to it over HTTP, through the SDK.
 */
export function serverEntryPoint(): string {
  return fileURLToPath(import.meta.resolve('@agentd/server/main'));
}

/** The message the server sends its parent (over the IPC channel) once it listens. */
interface Listening {
  type: 'agentd.listening';
  url: string;
}

export interface LocalServer {
  url: string;
  /** The throwaway server's admin key (made here, given to the server in AGENTD_ADMIN_KEY). */
  key: string;
  /** Stops the server and removes its data. */
  close(): Promise<void>;
}

/**
 * A throwaway server for one command: a child process on an ephemeral
 * loopback port, embedded PGlite in a temporary directory (removed at the
 * end, so nothing is kept), logs off. The rest of its configuration comes
 * from `env`, as it would for `agentd serve`. Rejects, with what the server
 * printed, when it exits before it listens.
 */
export async function startLocalServer(env: Record<string, string | undefined>): Promise<LocalServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentd-run-'));
  const key = `agentd-local-${randomBytes(24).toString('base64url')}`;
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'AGENTD_ROLE', 'AGENTD_TOOL_DIR']) delete childEnv[name];
  Object.assign(childEnv, {
    AGENTD_PORT: '0',
    AGENTD_HOST: '127.0.0.1',
    AGENTD_DATA_DIR: dataDir,
    AGENTD_ADMIN_KEY: key,
    AGENTD_LOG_LEVEL: 'silent',
    // A one-off run boots an interpreter only if it calls the code interpreter.
    AGENTD_CODE_INTERPRETER_PREWARM: env.AGENTD_CODE_INTERPRETER_PREWARM ?? 'off',
  });
  const child = fork(serverEntryPoint(), [], {
    env: childEnv,
    // Not this process's Node flags (an --inspect port, say): the server is a program of its own.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  let url: string;
  try {
    url = await listening(child);
  } catch (error) {
    child.kill('SIGKILL');
    removeData();
    throw error;
  }
  // Only a failure to start is shown; a running server's banner and logs are not the command's output.
  child.stderr?.removeAllListeners('data').resume();
  return {
    url,
    key,
    async close() {
      await stop(child);
      removeData();
    },
  };
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let printed = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      printed += chunk;
    });
    child.on('message', (message: Listening) => {
      if (message?.type === 'agentd.listening') resolve(message.url);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const said = printed.trim().replace(/^agentd: /, '');
      reject(new Error(`the local server did not start (${said || `exit ${signal ?? code}`})`));
    });
  });
}

/** SIGTERM (the server closes its runs and storage), then SIGKILL if it has not ended in 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * `agentd serve`: the server's entry point in a child process with this
 * process's terminal and environment (plus `env`); SIGINT and SIGTERM are
 * passed on, and its exit code is the command's.
 */
export function serveInForeground(env: Record<string, string | undefined>): Promise<number> {
  const child = fork(serverEntryPoint(), [], { env, execArgv: [], stdio: 'inherit' });
  const pass = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = pass('SIGINT');
  const onTerm = pass('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

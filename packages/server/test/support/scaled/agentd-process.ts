import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const MAIN_JS = join(REPO_ROOT, 'packages/server/dist/main.js');
/** The `agentd` command (`agentd serve --role ROLE` starts the server's main with AGENTD_ROLE set). */
export const CLI_JS = join(REPO_ROOT, 'packages/cli/dist/main.js');
const START_TIMEOUT_MS = 30_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `node packages/server/dist/main.js` child process of one role. */
export interface AgentdProcess {
  readonly role: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** From its start banner, once it listens. */
  url: string;
  stderr(): string;
  stdout(): string;
  readonly exited: Promise<Exit>;
  running(): boolean;
}

/** The environment of a spawned server: the test's own without any agentd setting, plus `env`. */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('AGENTD_') || key.startsWith('OPENAI_')) continue;
    if (key === 'DATABASE_URL' || key === 'REDIS_URL') continue;
    base[key] = value;
  }
  return { ...base, ...env };
}

/**
 * Spawns agentd as a user would, and waits for its whole start banner:
 * `node packages/server/dist/main.js` with AGENTD_ROLE, or with `cli`,
 * `agentd serve --role ROLE`.
 */
export async function spawnAgentd(
  role: string,
  env: Record<string, string>,
  { cli = false }: { cli?: boolean } = {},
): Promise<AgentdProcess> {
  const entry = cli ? CLI_JS : MAIN_JS;
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build first (npx tsc -b)`);
  const child = spawn(process.execPath, cli ? [entry, 'serve', '--role', role] : [entry], {
    cwd: REPO_ROOT,
    env: processEnv(cli ? env : { ...env, AGENTD_ROLE: role }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc: AgentdProcess = {
    role,
    child,
    pid: child.pid as number,
    url: '',
    stderr: () => err,
    stdout: () => out,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
  };
  // The banner ends with the `try:` line (api, all) or the `probes:` line (worker).
  const banner = /agentd listening on (http:\/\/\S+)\n[\s\S]*\n {2}(?:try|probes): .*\n/;
  proc.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not print its banner within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const match = banner.exec(err);
      if (!match) return;
      cleanup();
      resolve(match[1] as string);
    };
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(
        new Error(`agentd ${role} (pid ${child.pid}) ${why}\nstderr:\n${err}\nstdout:\n${out.slice(-4000)}`),
      );
    };
    const onExit = () => setTimeout(() => fail('exited before its banner'), 50);
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
    };
    child.stderr?.on('data', check);
    child.once('exit', onExit);
  });
  // `agentd serve` runs the server as its own child: the run leases name that process.
  if (cli) return { ...proc, pid: serverChildPid(proc.pid) };
  return proc;
}

/** The one child process of `pid` (Linux's /proc), the server the CLI started. */
function serverChildPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  if (children.length !== 1 || !children[0])
    throw new Error(`agentd serve (pid ${pid}) has children [${children}]`);
  return Number(children[0]);
}

/** Waits for the process to exit; fails clearly on timeout. */
export async function waitForExit(proc: AgentdProcess, timeoutMs = 20_000): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`agentd ${proc.role} (pid ${proc.pid}) did not exit within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills the process with `signal` (if it still runs) and waits for it to exit. */
export async function stopAgentd(proc: AgentdProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  if (proc.running()) proc.child.kill(signal);
  return waitForExit(proc);
}

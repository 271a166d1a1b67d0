import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'agentd-serve-'));

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AGENTD_DATA_DIR: dataDir,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** `agentd serve` until it says where it listens; then SIGTERM to the CLI (not the server it started). */
function serveAndStop(env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string; answered: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let answered = 0;
    child.stderr.on('data', async (chunk) => {
      stderr += chunk;
      const url = /agentd listening on (\S+)/.exec(stderr)?.[1];
      if (!url || answered) return;
      answered = -1;
      try {
        answered = (await fetch(`${url}/healthz`)).status;
      } catch (error) {
        reject(error);
      }
      child.kill('SIGTERM');
    });
    child.on('close', (code) => resolve({ code, stderr, answered }));
  });
}

/** The pids of a process's children, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Scaled mode itself (`serve --role worker` on PostgreSQL and Redis) is tested in packages/server/test/scaled-mode-routing.test.ts.
describe('agentd serve --role', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(['api', 'worker'])('refuses --role %s in embedded mode, saying what it needs', async (role) => {
    const { code, stderr } = await runCli(['serve', '--role', role]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `agentd: configuration error: AGENTD_ROLE: ${role} needs scaled mode (set DATABASE_URL and REDIS_URL); in embedded mode one process serves the API and runs the runs, so leave AGENTD_ROLE unset (all)\n`,
    );
  });

  it('starts the server, which answers, and stops it when the CLI is told to stop', {
    timeout: 180_000,
  }, async () => {
    const { code, stderr, answered } = await serveAndStop({
      AGENTD_PORT: '0',
      AGENTD_HOST: '127.0.0.1',
      AGENTD_LOG_LEVEL: 'silent',
      AGENTD_CODE_INTERPRETER_PREWARM: 'off',
    });
    expect(stderr).toContain('agentd listening on http://127.0.0.1:');
    expect(answered).toBe(200);
    expect(code).toBe(0);
  });

  it('leaves no server behind when the CLI is killed outright', { timeout: 180_000 }, async () => {
    const cli = spawn(process.execPath, [CLI, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AGENTD_DATA_DIR: dataDir,
        AGENTD_PORT: '0',
        AGENTD_HOST: '127.0.0.1',
        AGENTD_LOG_LEVEL: 'silent',
        AGENTD_CODE_INTERPRETER_PREWARM: 'off',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      cli.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('agentd listening on')) resolve();
      });
      cli.on('exit', () => reject(new Error(`the CLI ended first: ${stderr}`)));
    });
    const [server] = childrenOf(cli.pid!);
    expect(server).toBeDefined();
    cli.kill('SIGKILL');
    const deadline = Date.now() + 60_000;
    while (alive(server!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(server!)).toBe(false);
  });

  it('refuses a role it does not know, and a missing value', async () => {
    const unknown = await runCli(['serve', '--role', 'boss']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^agentd: --role must be all, api or worker \(got 'boss'\)\nusage:/);
    const missing = await runCli(['serve', '--role']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^agentd: option '--role <value>' argument missing\n/);
  });
});

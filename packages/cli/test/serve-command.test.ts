import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('refuses a role it does not know, and a missing value', async () => {
    const unknown = await runCli(['serve', '--role', 'boss']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^agentd: --role must be all, api or worker \(got 'boss'\)\nusage:/);
    const missing = await runCli(['serve', '--role']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^agentd: option '--role <value>' argument missing\n/);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, createTestDatabase, type TestDatabase } from '@agentd/testing';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN_JS = join(REPO_ROOT, 'packages/server/dist/main.js');
const MIGRATIONS_DIR = join(REPO_ROOT, 'packages/server/migrations');
/** The migration versions shipped in the repository, read from the file names (NNNN_name.sql). */
const SHIPPED_VERSIONS = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => Number(file.slice(0, 4)))
  .sort((a, b) => a - b);

/** PGlite's first start takes a few seconds; a loaded machine may need more. */
const START_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------
// Spawning real server processes
// ---------------------------------------------------------------------------

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  running(): boolean;
}

const spawned: ServerProcess[] = [];
const tempDirs: string[] = [];
const databases: TestDatabase[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentd-lifecycle-'));
  tempDirs.push(dir);
  return dir;
}

/**
 * The environment of a spawned server: the test process's own, without any
 * agentd setting that could leak in from the caller, plus `env`.
 */
function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('AGENTD_')) continue;
    if (['DATABASE_URL', 'REDIS_URL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY'].includes(key)) continue;
    base[key] = value;
  }
  return { ...base, ...env };
}

/** Starts `node packages/server/dist/main.js` from the repository root, as a user would. */
function spawnServer(env: Record<string, string>): ServerProcess {
  if (!existsSync(MAIN_JS)) {
    throw new Error(`${MAIN_JS} does not exist: build first (npx tsc -b, or run the tests with npm test)`);
  }
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: REPO_ROOT,
    env: serverEnv(env),
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
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const proc: ServerProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
  };
  spawned.push(proc);
  return proc;
}

/** Waits until the process's stderr matches `pattern`; fails clearly on exit or timeout. */
function waitForStderr(
  proc: ServerProcess,
  pattern: RegExp,
  timeoutMs = START_TIMEOUT_MS,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = proc.stderr().match(pattern);
      if (!match) return false;
      cleanup();
      resolve(match);
      return true;
    };
    const onData = () => void check();
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // The last output may arrive after 'exit'; give the pipes a moment.
      setTimeout(() => {
        if (check()) return;
        cleanup();
        reject(
          new Error(
            `agentd (pid ${proc.child.pid}) exited (code ${code}, signal ${signal}) before printing ${pattern}\n` +
              `stderr:\n${proc.stderr()}\nstdout:\n${proc.stdout()}`,
          ),
        );
      }, 100);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `agentd (pid ${proc.child.pid}) did not print ${pattern} within ${timeoutMs} ms\n` +
            `stderr:\n${proc.stderr()}\nstdout:\n${proc.stdout()}`,
        ),
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      proc.child.stderr?.off('data', onData);
      proc.child.off('exit', onExit);
    };
    proc.child.stderr?.on('data', onData);
    proc.child.once('exit', onExit);
    if (check()) return;
    if (!proc.running()) onExit(proc.child.exitCode, proc.child.signalCode);
  });
}

/**
 * Waits for the whole start banner (it ends with the `try:` line) and returns
 * the URL from its 'agentd listening on http://...' line.
 */
async function waitForListening(proc: ServerProcess, timeoutMs = START_TIMEOUT_MS): Promise<string> {
  const [, url] = await waitForStderr(
    proc,
    /agentd listening on (http:\/\/\S+)\n[\s\S]*\n {2}try: .*\n/,
    timeoutMs,
  );
  return url as string;
}

/** Waits for the process to exit; fails clearly on timeout. */
async function waitForExit(proc: ServerProcess, timeoutMs = EXIT_TIMEOUT_MS): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `agentd (pid ${proc.child.pid}) did not exit within ${timeoutMs} ms\n` +
              `stderr:\n${proc.stderr()}\nstdout:\n${proc.stdout()}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const exit = await Promise.race([proc.exited, timeout]);
    // Let the pipes drain the last output.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return exit;
  } finally {
    clearTimeout(timer);
  }
}

async function stopWithSigterm(proc: ServerProcess): Promise<Exit> {
  proc.child.kill('SIGTERM');
  return waitForExit(proc);
}

/** SIGTERM: the server stops cleanly (exit 0); a failure shows what it printed, to say why. */
async function expectCleanExit(proc: ServerProcess): Promise<void> {
  const exit = await stopWithSigterm(proc);
  const printed = `stderr:\n${proc.stderr()}\nstdout (its end):\n${proc.stdout().slice(-4000)}`;
  expect(exit, printed).toEqual({ code: 0, signal: null });
}

/** The non-empty lines a process printed on stderr. */
function stderrLines(proc: ServerProcess): string[] {
  return proc
    .stderr()
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

afterEach(async () => {
  // Nothing a test spawned is left running, whatever happened in it.
  const alive = spawned.splice(0).filter((proc) => proc.running());
  for (const proc of alive) proc.child.kill('SIGKILL');
  await Promise.all(alive.map((proc) => proc.exited));
}, 30_000);

afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 60_000);

// ---------------------------------------------------------------------------
// Restart keeps the data (in process, through startTestServer)
// ---------------------------------------------------------------------------

describe.each(BACKENDS)('a restart on %s', (backend) => {
  let first: (TestServer & { database?: TestDatabase }) | undefined;
  let second: (TestServer & { database?: TestDatabase }) | undefined;

  afterEach(async () => {
    await second?.close();
    await first?.close();
    first = undefined;
    second = undefined;
  }, 60_000);

  it('keeps agents, conversations and items, and the admin key', { timeout: 90_000 }, async () => {
    first = await startTestServer({ backend });
    expect(first.server.admin.source).toBe('created');
    expect(first.server.migrated).toEqual(SHIPPED_VERSIONS);
    const api = new ApiClient(first.url, first.adminKey);

    const agent = await api.post('/v1/agents', {
      name: 'restart-bot',
      instructions: 'Remember me.',
      model: 'gpt-4o-mini',
      metadata: { purpose: 'restart' },
    });
    expect(agent.status).toBe(200);
    const conversation = await api.post('/v1/conversations', {
      metadata: { topic: 'restart' },
      items: [
        { role: 'user', content: 'Hello before the restart' },
        { type: 'message', role: 'assistant', content: 'Hi, I will remember this.' },
      ],
    });
    expect(conversation.status).toBe(200);
    const conversationId = conversation.body.id as string;
    const added = await api.post(`/v1/conversations/${conversationId}/items`, {
      items: [{ role: 'user', content: 'One more, added later' }],
    });
    expect(added.status).toBe(200);
    const itemsBefore = await api.get(`/v1/conversations/${conversationId}/items?order=asc`);
    expect(itemsBefore.status).toBe(200);
    expect(itemsBefore.body.data).toHaveLength(3);
    const keyFile = join(first.dataDir, 'admin-key');
    const keyFileBefore = readFileSync(keyFile, 'utf8');

    await first.stop();
    // The first server is really gone: its port no longer answers.
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    second = await startTestServer({
      backend,
      reuse: { dataDir: first.dataDir, database: first.database },
    });
    expect(second.server.admin.source).toBe('existing');
    expect(second.server.admin.createdKey).toBeUndefined();
    expect(second.server.migrated).toEqual([]);
    expect(readFileSync(keyFile, 'utf8')).toBe(keyFileBefore);

    // The key from the first start still works on the second.
    const again = new ApiClient(second.url, first.adminKey);
    const me = await again.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ object: 'principal', role: 'platform_admin' });

    const ready = await again.get('/readyz');
    expect(ready.status).toBe(200);

    const agentAfter = await again.get(`/v1/agents/${agent.body.id}`);
    expect(agentAfter.status).toBe(200);
    expect(agentAfter.body).toEqual(agent.body);
    const listed = await again.get('/v1/agents?limit=100');
    expect(listed.body.data.map((a: { id: string }) => a.id)).toContain(agent.body.id);

    const conversationAfter = await again.get(`/v1/conversations/${conversationId}`);
    expect(conversationAfter.status).toBe(200);
    expect(conversationAfter.body).toEqual(conversation.body);
    const itemsAfter = await again.get(`/v1/conversations/${conversationId}/items?order=asc`);
    expect(itemsAfter.status).toBe(200);
    expect(itemsAfter.body.data).toEqual(itemsBefore.body.data);
    expect(
      itemsAfter.body.data.map((item: { content: Array<{ text: string }> }) => item.content[0]?.text),
    ).toEqual(['Hello before the restart', 'Hi, I will remember this.', 'One more, added later']);

    // A wrong key is still refused after the restart.
    expect((await again.withKey('sk-agentd-not-a-real-key-000000000').get('/v1/me')).status).toBe(401);
  });
});

// ---------------------------------------------------------------------------
// Server processes
// ---------------------------------------------------------------------------

describe('two server processes started together on one fresh PostgreSQL database', () => {
  it('both become ready, share the data, and apply each migration once', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase('agentd_lifecycle');
    databases.push(database);
    const adminKey = 'lifecycle-shared-admin-key-0123456789';
    const env = (dataDir: string) => ({
      DATABASE_URL: database.url,
      AGENTD_PORT: '0',
      AGENTD_DATA_DIR: dataDir,
      AGENTD_ADMIN_KEY: adminKey,
      AGENTD_LOG_LEVEL: 'info',
    });
    const a = spawnServer(env(tempDir()));
    const b = spawnServer(env(tempDir()));
    const [urlA, urlB] = await Promise.all([waitForListening(a), waitForListening(b)]);
    expect(urlA).not.toBe(urlB);
    for (const proc of [a, b]) {
      expect(proc.stderr()).toContain('(PostgreSQL (DATABASE_URL))');
      expect(proc.stderr()).toContain('admin key: the value of AGENTD_ADMIN_KEY');
      expect(proc.stderr() + proc.stdout()).not.toContain(adminKey);
    }

    const apiA = new ApiClient(urlA, adminKey);
    const apiB = new ApiClient(urlB, adminKey);
    for (const api of [apiA, apiB]) {
      const ready = await api.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect((await api.get('/v1/me')).status).toBe(200);
    }

    const created = await apiA.post('/v1/agents', { name: 'shared-bot', instructions: 'Seen by both.' });
    expect(created.status).toBe(200);
    const readThroughB = await apiB.get(`/v1/agents/${created.body.id}`);
    expect(readThroughB.status).toBe(200);
    expect(readThroughB.body).toEqual(created.body);

    // One bootstrap key, not one per process.
    const keys = await apiB.get('/v1/api_keys?limit=100');
    expect(keys.status).toBe(200);
    expect(keys.body.data).toHaveLength(1);
    expect(keys.body.data[0]).toMatchObject({ role: 'platform_admin' });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => Number(row.version))).toEqual(SHIPPED_VERSIONS);
    } finally {
      await client.end();
    }

    // Exactly one of the two applied the migrations; the other found them applied.
    const applied = [a, b].filter((proc) => proc.stdout().includes('"msg":"applied migrations"'));
    expect(applied).toHaveLength(1);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    const [exitA, exitB] = await Promise.all([waitForExit(a), waitForExit(b)]);
    expect(exitA).toEqual({ code: 0, signal: null });
    expect(exitB).toEqual({ code: 0, signal: null });
  });

  it('without AGENTD_ADMIN_KEY, exactly one creates the admin key, and it works on both', {
    timeout: 120_000,
  }, async () => {
    const database = await createTestDatabase('agentd_lifecycle');
    databases.push(database);
    const env = (dataDir: string) => ({
      DATABASE_URL: database.url,
      AGENTD_PORT: '0',
      AGENTD_DATA_DIR: dataDir,
      AGENTD_LOG_LEVEL: 'info',
    });
    const dirs = [tempDir(), tempDir()];
    const procs = dirs.map((dir) => spawnServer(env(dir)));
    const urls = await Promise.all(procs.map((proc) => waitForListening(proc)));

    // One start created the key and printed it once; the other found it created.
    const creators = procs.filter((proc) => proc.stderr().includes('shown once'));
    expect(creators).toHaveLength(1);
    const key = /admin key: (\S+)/.exec(creators[0]!.stderr())?.[1];
    expect(key).toMatch(/^sk-/);
    const other = procs.find((proc) => proc !== creators[0])!;
    expect(other.stderr()).not.toContain(key!);
    for (const url of urls) expect((await new ApiClient(url, key).get('/v1/me')).status).toBe(200);
    const keys = await new ApiClient(urls[0]!, key).get('/v1/api_keys?limit=100');
    expect(keys.body.data).toHaveLength(1);

    for (const proc of procs) proc.child.kill('SIGTERM');
    const exits = await Promise.all(procs.map((proc) => waitForExit(proc)));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});

describe('the admin key in embedded mode', () => {
  it('is created, printed once and saved 0600 on the first start; later starts say where it is', {
    timeout: 120_000,
  }, async () => {
    const dataDir = tempDir();
    const keyFile = join(dataDir, 'admin-key');
    const env = { AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir };

    const first = spawnServer(env);
    const url = await waitForListening(first);
    const printed = first.stderr().match(/admin key: (sk-agentd-\S+)/);
    expect(printed, first.stderr()).not.toBeNull();
    const key = printed?.[1] as string;
    expect(first.stderr()).toContain(`shown once; also saved to ${keyFile} (mode 0600)`);
    // Printed once: once on stderr, never in the logs.
    expect(occurrences(first.stderr(), key)).toBe(1);
    expect(first.stdout()).not.toContain(key);

    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);

    const api = new ApiClient(url, key);
    const me = await api.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      object: 'principal',
      role: 'platform_admin',
      tenant: { id: 'tenant_default', object: 'tenant' },
    });
    expect((await api.withKey(undefined).get('/v1/me')).status).toBe(401);

    await expectCleanExit(first);

    const second = spawnServer(env);
    const url2 = await waitForListening(second);
    expect(second.stderr()).not.toContain(key);
    expect(second.stderr()).not.toContain('shown once');
    expect(second.stderr()).toContain(`admin key: in ${keyFile}`);
    expect(second.stdout()).not.toContain(key);
    // The file was left as it was, and the key still works.
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect((await new ApiClient(url2, key).get('/v1/me')).status).toBe(200);

    await expectCleanExit(second);
  });

  it('is set by AGENTD_ADMIN_KEY: that key works and a different one does not', {
    timeout: 120_000,
  }, async () => {
    const dataDir = tempDir();
    const keyA = 'lifecycle-env-admin-key-AAAAAAAAAAAA';
    const keyB = 'lifecycle-env-admin-key-BBBBBBBBBBBB';

    const first = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir, AGENTD_ADMIN_KEY: keyA });
    const url = await waitForListening(first);
    expect(first.stderr()).toContain('admin key: the value of AGENTD_ADMIN_KEY');
    expect(first.stderr() + first.stdout()).not.toContain(keyA);
    expect(first.stderr()).not.toMatch(/sk-agentd-/);

    const me = await new ApiClient(url, keyA).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'platform_admin', tenant: { id: 'tenant_default' } });
    const wrong = await new ApiClient(url, keyB).get('/v1/me');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBeDefined();

    await expectCleanExit(first);

    // Restarting with another AGENTD_ADMIN_KEY replaces the key (the runbook's "lost it?").
    const second = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir, AGENTD_ADMIN_KEY: keyB });
    const url2 = await waitForListening(second);
    expect((await new ApiClient(url2, keyB).get('/v1/me')).status).toBe(200);
    expect((await new ApiClient(url2, keyA).get('/v1/me')).status).toBe(401);

    await expectCleanExit(second);
  });
});

describe('the embedded data directory', () => {
  it('refuses a second process while the first runs, and the first keeps serving', {
    timeout: 120_000,
  }, async () => {
    const dataDir = tempDir();
    const lockFile = join(dataDir, 'agentd.lock');
    const first = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir });
    const url = await waitForListening(first);
    const key = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();

    const second = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir });
    const exit = await waitForExit(second);
    expect(exit.code, second.stderr()).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const lines = stderrLines(second);
    expect(lines, second.stderr()).toHaveLength(1);
    expect(lines[0]).toContain(dataDir);
    expect(lines[0]).toMatch(/in use/);
    expect(lines[0]).toContain(`pid ${first.child.pid}`);
    expect(second.stderr()).not.toContain('agentd listening on');

    // The first server is unharmed and still holds the lock.
    expect(first.running()).toBe(true);
    const api = new ApiClient(url, key);
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    const created = await api.post('/v1/agents', { name: 'still-serving' });
    expect(created.status).toBe(200);
    expect((await api.get(`/v1/agents/${created.body.id}`)).status).toBe(200);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.child.pid));

    await expectCleanExit(first);
  });

  it('is taken over from a crashed (SIGKILLed) server, with its data', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const lockFile = join(dataDir, 'agentd.lock');
    const crashed = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir });
    const url = await waitForListening(crashed);
    const key = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
    const created = await new ApiClient(url, key).post('/v1/agents', { name: 'before-the-crash' });
    expect(created.status).toBe(200);
    crashed.child.kill('SIGKILL');
    expect((await waitForExit(crashed)).signal).toBe('SIGKILL');
    // The crash left its lock behind.
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(crashed.child.pid));

    const next = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir });
    const url2 = await waitForListening(next);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(next.child.pid));
    const got = await new ApiClient(url2, key).get(`/v1/agents/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    await expectCleanExit(next);
  });

  it('is unlocked when SIGTERM stops the server, which exits 0', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const lockFile = join(dataDir, 'agentd.lock');
    const proc = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir, AGENTD_LOG_LEVEL: 'info' });
    const url = await waitForListening(proc);
    expect(existsSync(lockFile)).toBe(true);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(proc.child.pid));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await expectCleanExit(proc);
    expect(existsSync(lockFile)).toBe(false);
    expect(proc.stdout()).toContain('"msg":"shutting down"');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // The directory is free again: a new server starts on it and finds the data.
    const next = spawnServer({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir });
    const url2 = await waitForListening(next);
    expect(next.stderr()).toContain(`admin key: in ${join(dataDir, 'admin-key')}`);
    expect((await fetch(`${url2}/readyz`)).status).toBe(200);
    await expectCleanExit(next);
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe('a bad configuration', () => {
  it.each([
    ['AGENTD_PORT', 'abc', {}],
    ['AGENTD_LOG_LEVEL', 'loud', { AGENTD_PORT: '0' }],
  ])(
    '%s=%s exits 1 with one line on stderr naming the variable',
    { timeout: 60_000 },
    async (variable, value, others) => {
      const dataDir = tempDir();
      const proc = spawnServer({ AGENTD_DATA_DIR: dataDir, ...others, [variable]: value });
      const exit = await waitForExit(proc);
      expect(exit, proc.stderr()).toEqual({ code: 1, signal: null });
      const lines = stderrLines(proc);
      expect(lines, proc.stderr()).toHaveLength(1);
      expect(lines[0]).toContain(variable);
      expect(lines[0]).toContain(value);
      expect(proc.stderr()).not.toContain('agentd listening on');
      expect(proc.stdout()).toBe('');
      // Nothing was started: no database, no key, no lock.
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------
// Built-in tools at shutdown
// ---------------------------------------------------------------------------

/** Processes descended from `root` (by /proc parent links). */
function descendants(root: number): { pid: number; command: string }[] {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone while we looked
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push({ pid, command: commands.get(pid) ?? '' });
      walk(pid);
    }
  };
  walk(root);
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('built-in tools at shutdown', () => {
  it('SIGTERM stops the interpreter and the Chromium a run started, and the server exits 0', {
    timeout: 180_000,
  }, async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>Shutdown page</title></head><body><main><p>Still here at shutdown.</p></main></body></html>',
      );
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const site = `127.0.0.1:${(page.address() as AddressInfo).port}`;
    try {
      const dataDir = tempDir();
      const proc = spawnServer({
        AGENTD_PORT: '0',
        AGENTD_DATA_DIR: dataDir,
        AGENTD_NET_ALLOW: site,
        AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
      });
      const url = await waitForListening(proc);
      const api = new ApiClient(url, readFileSync(join(dataDir, 'admin-key'), 'utf8').trim());
      const pid = proc.child.pid as number;
      // Nothing heavy before the first call.
      expect(descendants(pid).filter((child) => /chrom/i.test(child.command))).toEqual([]);

      const python = await api.post('/v1/responses', {
        input: 'run python: print(6 * 7)',
        tools: ['code_interpreter'],
      });
      expect(JSON.stringify(python.body.output)).toContain('stdout:\\n42');
      const opened = await api.post('/v1/responses', { input: `open http://${site}/`, tools: ['browser'] });
      expect(JSON.stringify(opened.body.output)).toContain('Still here at shutdown.');
      const chromium = descendants(pid).filter((child) => /chrom/i.test(child.command));
      expect(chromium.length).toBeGreaterThan(0);

      await expectCleanExit(proc);
      for (let i = 0; i < 100 && chromium.some((child) => isAlive(child.pid)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(chromium.filter((child) => isAlive(child.pid))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => {
        page.closeAllConnections();
        page.close(() => resolve());
      });
    }
  });
});

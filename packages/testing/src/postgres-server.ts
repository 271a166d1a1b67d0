import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A private PostgreSQL server (its own data directory and port), to stop and start in outage tests. */
export interface PostgresTestServer {
  readonly port: number;
  /** A superuser connection to its `postgres` database (trust auth). */
  readonly url: string;
  readonly running: boolean;
  /** Stops it as a crash would (`pg_ctl stop -m immediate`: connections cut, no checkpoint). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory, and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

/** The directory of `initdb` and `pg_ctl`: AGENTD_TEST_POSTGRES_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
function binDir(): string | undefined {
  const configured = process.env.AGENTD_TEST_POSTGRES_BIN;
  if (configured) return configured;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` OS user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function exec(command: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(command, args);
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stderr ?? ''}`);
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a PostgreSQL cluster with `initdb` in a temporary directory and
 * starts it on a free port of 127.0.0.1, trust auth, its socket in that
 * directory. Fails (never skips) when the binaries are missing.
 */
export async function startPostgresTestServer(): Promise<PostgresTestServer> {
  const bin = binDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install them or set AGENTD_TEST_POSTGRES_BIN',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'agentd-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await exec(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  let running = false;
  const start = async () => {
    try {
      await exec(join(bin, 'pg_ctl'), ['start', '-w', '-t', '30', '-D', data, '-l', log, '-o', options]);
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${(error as Error).message}\nserver log:\n${tail}`);
    }
    running = true;
    if (!(await accepts(url))) throw new Error(`PostgreSQL on port ${port} started but refuses connections`);
  };
  const stop = async () => {
    if (!running) return;
    await exec(join(bin, 'pg_ctl'), ['stop', '-w', '-m', 'immediate', '-D', data]);
    running = false;
  };
  await start();
  return {
    port,
    url,
    get running() {
      return running;
    },
    stop,
    start,
    async close() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

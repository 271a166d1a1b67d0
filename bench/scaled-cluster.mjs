// Scaled mode on this machine for the benchmarks: a fresh PostgreSQL database
// (127.0.0.1:5432, user postgres), a Redis key prefix of its own, one admin
// key and master key for every process, and agentd processes of any role
// (AGENTD_ROLE) on them, each in its own process (bench/agentd-process.mjs).
// Also what the scaled benchmarks (scaled.mjs, event-latency.mjs,
// statements.mjs) share: their options, the fake model, a process's CPU.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { createTestDatabase, requireTestRedis } from '../packages/testing/dist/index.js';
import { spawnAgentd } from './spawn-agentd.mjs';

export class BenchCluster {
  processes = [];

  constructor(db, redisUrl, env, root) {
    this.db = db;
    this.root = root;
    this.env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      AGENTD_REDIS_PREFIX: `agentd-bench:${process.pid}:${randomBytes(4).toString('hex')}:`,
      AGENTD_ADMIN_KEY: `sk-bench-${randomBytes(12).toString('hex')}`,
      AGENTD_MASTER_KEY: randomBytes(32).toString('base64'),
      AGENTD_CODE_INTERPRETER: 'off',
      AGENTD_BROWSER: 'off',
      ...env,
    };
  }

  /**
   * A fresh database; `env` is every process's (the model, lease time, ...);
   * `root`: another built checkout whose code the processes run (spawnAgentd).
   */
  static async start(env = {}, { root } = {}) {
    const redisUrl = await requireTestRedis();
    const db = await createTestDatabase('agentd_bench');
    return new BenchCluster(db, redisUrl, env, root);
  }

  /** Starts a process of `role`; `timed` records the recorder's timings (bench/timed-agentd-process.mjs). */
  async spawn(role, env = {}, { timed = false } = {}) {
    const proc = await spawnAgentd(
      { ...this.env, AGENTD_ROLE: role, ...env },
      {
        dataDirPrefix: `agentd-bench-${role}-`,
        ...(timed ? { script: 'timed-agentd-process.mjs' } : {}),
        ...(this.root ? { root: this.root } : {}),
      },
    );
    this.processes.push(proc);
    return proc;
  }

  /** The pid of the process whose worker holds `runId` now (from the lease owner `host:pid:id`), if any. */
  async holder(runId) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT lease_owner FROM responses WHERE id = $1 AND lease_expires_at > now()',
        [runId],
      );
      const owner = rows[0]?.lease_owner;
      return owner ? Number(owner.split(':')[1]) : undefined;
    } finally {
      await client.end();
    }
  }

  async stop(proc) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.stdin.end();
      await once(proc.child, 'exit');
    }
    rmSync(proc.dataDir, { recursive: true, force: true });
  }

  async close() {
    for (const proc of this.processes) await this.stop(proc);
    await this.db.drop();
  }
}

/** The value after `--name` on the command line, or `fallback`. */
export function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** Whether `--name` is on the command line. */
export const flag = (name) => process.argv.includes(name);

// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;

/** CPU time (user + system, ms) a process has used; 0 once it is gone. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * The fake model (bench/upstreams.mjs) in a process of its own; `env` points
 * an agentd at it (`bench-model` answers at once, `bench-slow` streams a token
 * every 2 ms, `bench-long` every 50 ms).
 */
export async function startModel() {
  const upstream = spawn(process.execPath, [new URL('./upstreams.mjs', import.meta.url).pathname, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  return {
    env: { OPENAI_BASE_URL: model, OPENAI_API_KEY: 'bench', AGENTD_DEFAULT_MODEL: 'bench-model' },
    async close() {
      upstream.stdin.end();
      await once(upstream, 'exit');
    },
  };
}

/**
 * One API process and one worker on a fresh database: the pair every scaled
 * benchmark measures. `root`: another built checkout (the code before a
 * change); `timed`: the worker records its timings (bench/scaled-streams.mjs).
 */
export async function startScaledPair(env, { root, timed = false } = {}) {
  const cluster = await BenchCluster.start(env, { root });
  const api = await cluster.spawn('api');
  const worker = await cluster.spawn('worker', {}, { timed });
  return { cluster, api, worker };
}

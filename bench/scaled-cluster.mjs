// Scaled mode on this machine for the benchmarks: a fresh PostgreSQL database
// (127.0.0.1:5432, user postgres), a Redis key prefix of its own, one admin
// key and master key for every process, and agentd processes of any role
// (AGENTD_ROLE) on them, each in its own process (bench/agentd-process.mjs).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
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

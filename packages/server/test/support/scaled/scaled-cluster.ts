import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  createTestDatabase,
  type FakeOpenAI,
  type FakeTurn,
  readSse,
  requireTestRedis,
  type SseEvent,
  startFakeOpenAI,
  type TestDatabase,
  testRedisPrefix,
} from '@agentd/testing';
import OpenAI from 'openai';
import pg from 'pg';
import { type AgentdProcess, spawnAgentd } from './agentd-process.js';
import { type GatedToolServer, startGatedToolServer } from './gated-tool-server.js';

/** A chat message as the fake model receives it. */
export interface ModelMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown[];
}

/** Answers one model request of a run, from the messages the model was sent. */
export type RunScript = (messages: ModelMessage[], attempt: number) => FakeTurn;

export interface ClusterOptions {
  /** Redis for every process; default: the machine's test Redis. */
  redisUrl?: string;
  /** Settings of every process. */
  env?: Record<string, string>;
  /** PostgreSQL server (a superuser URL) to create the cluster's database on; default: the machine's test server. */
  postgresUrl?: string;
}

/** A stream a test holds open: the events so far, and all of them once it ends. */
export interface HeldStream {
  events: SseEvent[];
  done: Promise<SseEvent[]>;
  close(): void;
}

/** The stored events of a run, in order, as GET /v1/responses/{id}/events lists them. */
export interface LoggedEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}

/**
 * Scaled mode on this machine: one fresh PostgreSQL database, a Redis key
 * prefix of its own, the fake model (answering each run by the marker in its
 * input), gated HTTP tools, and agentd processes of any role on them.
 */
export class ScaledCluster {
  readonly processes: AgentdProcess[] = [];
  private readonly scripts = new Map<string, RunScript>();
  private readonly attempts = new Map<string, number>();
  private readonly dataDirs: string[] = [];
  private readonly adminKey = `sk-scaled-test-${randomBytes(12).toString('hex')}`;
  private readonly masterKey = randomBytes(32).toString('base64');

  private constructor(
    readonly db: TestDatabase,
    readonly redisUrl: string,
    readonly prefix: string,
    readonly fake: FakeOpenAI,
    readonly tools: GatedToolServer,
    private readonly env: Record<string, string>,
  ) {
    fake.setHandler((request) => {
      const messages = (request.body?.messages ?? []) as ModelMessage[];
      const text = JSON.stringify(messages);
      for (const [marker, script] of this.scripts) {
        if (!text.includes(marker)) continue;
        const attempt = (this.attempts.get(marker) ?? 0) + 1;
        this.attempts.set(marker, attempt);
        return script(messages, attempt);
      }
      return { text: 'unscripted' };
    });
  }

  static async start(options: ClusterOptions = {}): Promise<ScaledCluster> {
    const redisUrl = options.redisUrl ?? (await requireTestRedis());
    const db = await createTestDatabase('agentd_scaled', options.postgresUrl);
    const fake = await startFakeOpenAI();
    const tools = await startGatedToolServer();
    return new ScaledCluster(db, redisUrl, testRedisPrefix('scaled'), fake, tools, options.env ?? {});
  }

  /** Starts an agentd process of `role` on this cluster's database and Redis. */
  async spawn(
    role: 'api' | 'worker' | 'all',
    env: Record<string, string> = {},
    options: { cli?: boolean } = {},
  ): Promise<AgentdProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), `agentd-scaled-${role}-`));
    this.dataDirs.push(dataDir);
    const proc = await spawnAgentd(
      role,
      {
        DATABASE_URL: this.db.url,
        REDIS_URL: this.redisUrl,
        AGENTD_REDIS_PREFIX: this.prefix,
        AGENTD_PORT: '0',
        AGENTD_DATA_DIR: dataDir,
        AGENTD_ADMIN_KEY: this.adminKey,
        AGENTD_MASTER_KEY: this.masterKey,
        OPENAI_BASE_URL: this.fake.baseURL,
        OPENAI_API_KEY: 'sk-fake',
        AGENTD_DEFAULT_MODEL: 'fake-model',
        AGENTD_NET_ALLOW: '127.0.0.0/8',
        AGENTD_CODE_INTERPRETER: 'off',
        AGENTD_BROWSER: 'off',
        AGENTD_LOG_LEVEL: 'warn',
        ...this.env,
        ...env,
      },
      options,
    );
    this.processes.push(proc);
    return proc;
  }

  /** A JSON client of `proc` holding the admin key. */
  api(proc: AgentdProcess): ApiClient {
    return new ApiClient(proc.url, this.adminKey);
  }

  /** The official OpenAI client, pointed at `proc`. */
  openai(proc: AgentdProcess): OpenAI {
    return new OpenAI({ baseURL: `${proc.url}/v1`, apiKey: this.adminKey, maxRetries: 0 });
  }

  /** How the fake model answers the runs whose input holds `marker`. */
  script(marker: string, script: RunScript): void {
    this.scripts.set(marker, script);
  }

  /** The model requests of the runs whose input holds `marker`. */
  modelRequests(marker: string) {
    return this.fake.requests.filter(
      (request) =>
        request.path.endsWith('/chat/completions') && JSON.stringify(request.body?.messages).includes(marker),
    );
  }

  /** Registers an HTTP tool answered by the gated tool server. */
  async registerTool(api: ApiClient, name: string, extra: Record<string, unknown> = {}): Promise<void> {
    const registered = await api.post('/v1/tools', {
      name,
      description: `The ${name} tool`,
      input_schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      adapter: { type: 'http', url: `${this.tools.url}/${name}` },
      ...extra,
    });
    if (registered.status !== 200) throw new Error(`tool ${name}: ${JSON.stringify(registered.body)}`);
  }

  /**
   * Holds a stream of every event of a run open on `proc` (GET with
   * stream=true, agentd's own events included), as a client would.
   */
  follow(proc: AgentdProcess, runId: string, after = 0): HeldStream {
    const events: SseEvent[] = [];
    const controller = new AbortController();
    const done = (async () => {
      const response = await fetch(`${proc.url}/v1/responses/${runId}?stream=true&starting_after=${after}`, {
        headers: { authorization: `Bearer ${this.adminKey}`, 'agentd-events': 'all' },
        signal: controller.signal,
      });
      if (response.status !== 200)
        throw new Error(`stream of ${runId}: ${response.status} ${await response.text()}`);
      for await (const event of readSse(response)) events.push(event);
      return events;
    })();
    done.catch(() => undefined);
    return { events, done, close: () => controller.abort() };
  }

  /** Runs one query on the cluster's database. */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.db.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** The pid of the process holding the run's lease now, if one does. */
  async holder(runId: string): Promise<number | undefined> {
    const [row] = await this.query<{ lease_owner: string | null }>(
      'SELECT lease_owner FROM responses WHERE id = $1 AND lease_expires_at > now()',
      [runId],
    );
    const pid = /:(\d+):[0-9a-f]{8}$/.exec(row?.lease_owner ?? '')?.[1];
    return pid === undefined ? undefined : Number(pid);
  }

  /** Every stored event of a run. */
  async events(api: ApiClient, runId: string): Promise<LoggedEvent[]> {
    const page = await api.get(`/v1/responses/${runId}/events?limit=1000`);
    if (page.status !== 200) throw new Error(`events of ${runId}: ${JSON.stringify(page.body)}`);
    if (page.body.has_more) throw new Error(`${runId} has more than 1000 events`);
    return page.body.data as LoggedEvent[];
  }

  async close(): Promise<void> {
    for (const proc of this.processes) if (proc.running()) proc.child.kill('SIGKILL');
    await Promise.all(this.processes.map((proc) => proc.exited));
    await this.tools.close();
    await this.fake.close();
    await this.db.drop();
    for (const dir of this.dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls `condition` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sequence numbers 1..n, the exact list a gap-free, duplicate-free log carries. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Each word of `text` as its own streamed chunk (with its space). */
export function words(text: string): string[] {
  return text.split(/(?<= )/);
}

import { GroupCommit } from '@agentd/runtime';
import type { UsageGroup } from '@agentd/spec/wire';
import type { Queryable, SqlParam } from '../storage/database.js';

export type UsageKind = 'model_call' | 'tool_call' | 'embedding' | 'safety_judge';

/** One model or tool call, as counted against budgets and shown by GET /v1/usage. */
export interface UsageRecord {
  tenantId: string;
  kind: UsageKind;
  userId?: string | undefined;
  apiKeyId?: string | undefined;
  agent?: string | undefined;
  model?: string | undefined;
  tool?: string | undefined;
  responseId?: string | undefined;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** A row of usage_records, column by column. */
export interface UsageRow {
  tenant_id: string;
  kind: UsageKind;
  user_id: string | null;
  api_key_id: string | null;
  agent: string | null;
  model: string | null;
  tool: string | null;
  response_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export function usageRowOf(row: UsageRecord): UsageRow {
  return {
    tenant_id: row.tenantId,
    kind: row.kind,
    user_id: row.userId ?? null,
    api_key_id: row.apiKeyId ?? null,
    agent: row.agent ?? null,
    model: row.model ?? null,
    tool: row.tool ?? null,
    response_id: row.responseId ?? null,
    input_tokens: row.inputTokens ?? 0,
    output_tokens: row.outputTokens ?? 0,
    cost_usd: row.costUsd ?? 0,
  };
}

export interface Spent {
  tokens: number;
  costUsd: number;
}

const GROUP_COLUMNS: Record<UsageGroup, string> = {
  tenant: 'tenant_id',
  user: 'user_id',
  agent: 'agent',
  model: 'model',
  day: "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
};

export interface UsageQuery {
  /** Absent: every tenant (platform admins). */
  tenantId?: string;
  start: Date;
  end: Date;
  groupBy: readonly UsageGroup[];
}

export interface UsageBucket {
  tenant?: string | null;
  user?: string | null;
  agent?: string | null;
  model?: string | null;
  day?: string | null;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  runs: number;
  model_calls: number;
  tool_calls: number;
}

/** The columns one usage record fills, in the order of its INSERT. */
const COLUMNS = [
  'tenant_id',
  'kind',
  'user_id',
  'api_key_id',
  'agent',
  'model',
  'tool',
  'response_id',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const satisfies readonly (keyof UsageRow)[];

/** The usage_records table: rows appended as calls complete, summed for budgets and reports. */
export class UsageRepository {
  constructor(private readonly db: Queryable) {}

  /** Rows recorded while an insert is in flight go in the next one: many runs' calls, one statement. */
  private readonly inserts = new GroupCommit<UsageRecord>((rows) => this.insert(rows));

  async record(row: UsageRecord): Promise<void> {
    await this.inserts.add(row);
  }

  private async insert(rows: UsageRecord[]): Promise<undefined[]> {
    const params: SqlParam[] = [];
    const tuples = rows.map((row) => {
      const first = params.length + 1;
      const values = usageRowOf(row);
      params.push(...COLUMNS.map((column) => values[column]));
      return `(${Array.from({ length: COLUMNS.length }, (_, i) => `$${first + i}`).join(', ')})`;
    });
    await this.db.query(
      `INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
    return rows.map(() => undefined);
  }

  /** What the tenant, and the user when given, spent since `since`. */
  async spentSince(tenantId: string, since: Date, userId?: string): Promise<{ tenant: Spent; user: Spent }> {
    const [row] = await this.db.query<Record<string, number | null>>(
      `SELECT coalesce(sum(input_tokens + output_tokens), 0)::float8 AS tenant_tokens,
              coalesce(sum(cost_usd), 0)::float8 AS tenant_cost,
              coalesce(sum(input_tokens + output_tokens) FILTER (WHERE user_id = $3), 0)::float8 AS user_tokens,
              coalesce(sum(cost_usd) FILTER (WHERE user_id = $3), 0)::float8 AS user_cost
         FROM usage_records WHERE tenant_id = $1 AND created_at >= $2`,
      [tenantId, since, userId ?? null],
    );
    return {
      tenant: { tokens: Number(row?.tenant_tokens ?? 0), costUsd: Number(row?.tenant_cost ?? 0) },
      user: { tokens: Number(row?.user_tokens ?? 0), costUsd: Number(row?.user_cost ?? 0) },
    };
  }

  /** What one run spent, whichever workers executed it. */
  async spentByRun(tenantId: string, responseId: string): Promise<Spent> {
    const [row] = await this.db.query<{ tokens: number | null; cost: number | null }>(
      `SELECT coalesce(sum(input_tokens + output_tokens), 0)::float8 AS tokens,
              coalesce(sum(cost_usd), 0)::float8 AS cost
         FROM usage_records WHERE response_id = $2 AND tenant_id = $1`,
      [tenantId, responseId],
    );
    return { tokens: Number(row?.tokens ?? 0), costUsd: Number(row?.cost ?? 0) };
  }

  /** Tokens, cost, runs and calls in [start, end), grouped as asked, in the order of the groups. */
  async report(query: UsageQuery): Promise<UsageBucket[]> {
    const params: SqlParam[] = [query.start, query.end];
    const where = ['created_at >= $1', 'created_at < $2'];
    if (query.tenantId !== undefined) {
      params.push(query.tenantId);
      where.push(`tenant_id = $${params.length}`);
    }
    const columns = query.groupBy.map((group) => `${GROUP_COLUMNS[group]} AS "${group}"`);
    const order = query.groupBy.map((_, index) => `${index + 1}`);
    const rows = await this.db.query<Record<string, string | number | null>>(
      `SELECT ${[...columns, ''].join(', ')}
              coalesce(sum(input_tokens), 0)::float8 AS input_tokens,
              coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
              coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
              count(DISTINCT response_id)::int AS runs,
              (count(*) FILTER (WHERE kind = 'model_call'))::int AS model_calls,
              (count(*) FILTER (WHERE kind = 'tool_call'))::int AS tool_calls
         FROM usage_records WHERE ${where.join(' AND ')}
         ${order.length > 0 ? `GROUP BY ${order.join(', ')} ORDER BY ${order.join(', ')}` : ''}`,
      params,
    );
    return rows.map((row) => {
      const input = Number(row.input_tokens);
      const output = Number(row.output_tokens);
      const bucket: UsageBucket = {
        input_tokens: input,
        output_tokens: output,
        total_tokens: input + output,
        cost_usd: Number(row.cost_usd),
        runs: Number(row.runs),
        model_calls: Number(row.model_calls),
        tool_calls: Number(row.tool_calls),
      };
      for (const group of query.groupBy) bucket[group] = (row[group] as string | null) ?? null;
      return bucket;
    });
  }
}

import {
  CachedEmbeddings,
  type EmbeddingCache,
  type EmbeddingProvider,
  type EmbedOptions,
} from '@agentd/tool-files';
import type { Queryable } from '../storage/database.js';

/** Records the tokens a tenant's embeddings used at a remote model (for usage and budgets). */
export type EmbeddingMeter = (
  tenantId: string,
  usage: { model: string; inputTokens: number },
) => Promise<void>;

/**
 * The embedder, through each tenant's cache: a text is embedded once per
 * tenant, and what the model reports it used is metered against the tenant.
 */
export class TenantEmbeddings {
  constructor(
    private readonly db: Queryable,
    readonly embedder: EmbeddingProvider,
    private readonly meter?: EmbeddingMeter,
  ) {}

  of(tenantId: string): EmbeddingProvider {
    const cached = new CachedEmbeddings(this.embedder, new DatabaseEmbeddingCache(this.db, tenantId));
    const meter = this.meter;
    if (!meter) return cached;
    return {
      id: cached.id,
      dimensions: cached.dimensions,
      async embed(texts: string[], options: EmbedOptions = {}) {
        const used = new Map<string, number>();
        try {
          return await cached.embed(texts, {
            ...options,
            onUsage: (usage) => {
              used.set(usage.model, (used.get(usage.model) ?? 0) + usage.inputTokens);
              options.onUsage?.(usage);
            },
          });
        } finally {
          for (const [model, inputTokens] of used) await meter(tenantId, { model, inputTokens });
        }
      },
    };
  }
}

/**
 * The embedding cache in the database, per tenant: keys are content hashes
 * (CachedEmbeddings computes them), so the same text is embedded once.
 */
export class DatabaseEmbeddingCache implements EmbeddingCache {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async getMany(keys: string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (keys.length === 0) return found;
    const rows = await this.db.query<{ key: string; embedding: number[] }>(
      'SELECT key, embedding FROM embedding_cache WHERE tenant_id = $1 AND key = ANY($2::text[])',
      [this.tenantId, toTextArray(keys)],
    );
    for (const row of rows) found.set(row.key, row.embedding.map(Number));
    return found;
  }

  async putMany(entries: Array<[string, number[]]>): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `INSERT INTO embedding_cache (tenant_id, key, embedding)
       SELECT $1, key, embedding::real[] FROM unnest($2::text[], $3::text[]) AS e(key, embedding)
       ON CONFLICT (tenant_id, key) DO NOTHING`,
      [
        this.tenantId,
        toTextArray(entries.map(([key]) => key)),
        toTextArray(entries.map(([, vector]) => `{${vector.join(',')}}`)),
      ],
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('DELETE FROM embedding_cache WHERE tenant_id = $1 AND key = ANY($2::text[])', [
      this.tenantId,
      toTextArray(keys),
    ]);
  }
}

/** A PostgreSQL text[] literal, quoting every element (both drivers take it as text). */
export function toTextArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

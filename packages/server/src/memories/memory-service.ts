import { applyPiiPolicy, embeddingCacheKey, type PiiMode } from '@agentd/tool-files';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database } from '../storage/database.js';
import { DatabaseEmbeddingCache, type TenantEmbeddings } from '../vector-stores/embedding-cache.js';
import type { MemoryRepository, StoredMemory } from './memory-repository.js';

export type SaveOutcome = { saved: StoredMemory; redacted: number } | { refused: string };

/** Rough tokens of a text, for the context budget (about four characters a token). */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

/** Below this cosine similarity a memory is not relevant enough to put into the context. */
const MIN_RELEVANCE = 0.15;

/**
 * Long-term memory, per tenant and user. Nothing is written unless the user
 * opted in; every write passes the PII filter first; erasing a memory removes
 * its row, its vector and its cached embedding.
 */
export class MemoryService {
  constructor(
    private readonly db: Database,
    readonly repository: MemoryRepository,
    private readonly embeddings: TenantEmbeddings,
    private readonly piiMode: PiiMode,
  ) {}

  async save(tenantId: string, user: string, text: string, responseId?: string): Promise<SaveOutcome> {
    if (!(await this.repository.consent(tenantId, user))) {
      return {
        refused: `The user '${user}' has not opted in to long-term memory, so nothing is remembered about them.`,
      };
    }
    const filtered = applyPiiPolicy(text.trim(), this.piiMode);
    if (!filtered.ok) return { refused: filtered.message };
    if (filtered.text.length === 0) return { refused: 'There is nothing to remember.' };
    const [embedding] = await this.embeddings.of(tenantId).embed([filtered.text]);
    const saved = await this.repository.insert(tenantId, {
      id: newId('memory'),
      user,
      text: filtered.text,
      cacheKey: embeddingCacheKey(this.embeddings.embedder.id, filtered.text),
      responseId: responseId ?? null,
      embedding: embedding!,
    });
    return { saved, redacted: filtered.findings.length };
  }

  /** The user's memories most relevant to a query (nothing without consent). */
  async search(
    tenantId: string,
    user: string,
    query: string,
    limit: number,
  ): Promise<(StoredMemory & { score: number })[]> {
    if (!(await this.repository.consent(tenantId, user))) return [];
    const [embedding] = await this.embeddings.of(tenantId).embed([query]);
    return this.repository.nearest(tenantId, user, embedding!, limit);
  }

  /** What to tell the planner about the user: relevant memories within a token budget, or nothing. */
  async contextFor(tenantId: string, user: string, query: string, tokenBudget: number): Promise<string[]> {
    if (tokenBudget <= 0 || query.trim() === '') return [];
    const found = await this.search(tenantId, user, query, 20);
    const picked: string[] = [];
    let used = 0;
    for (const memory of found) {
      if (memory.score < MIN_RELEVANCE) break;
      const cost = tokensOf(memory.text) + 2;
      if (used + cost > tokenBudget) continue;
      picked.push(memory.text);
      used += cost;
    }
    return picked;
  }

  /** Erases one memory: row, vector (same row) and cached embedding. */
  async erase(tenantId: string, id: string, user?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ user_id: string }>(
        'SELECT user_id FROM memories WHERE tenant_id = $1 AND id = $2',
        [tenantId, id],
      );
      if (row && user !== undefined && row.user_id !== user) {
        throw notFound('memory', id);
      }
      const memory = await this.repository.withDb(tx).delete(tenantId, id);
      await new DatabaseEmbeddingCache(tx, tenantId).delete([memory.cacheKey]);
    });
  }

  /** Erases everything kept about a user; returns how many memories were removed. */
  async eraseUser(tenantId: string, user: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const removed = await this.repository.withDb(tx).deleteUser(tenantId, user);
      await new DatabaseEmbeddingCache(tx, tenantId).delete(removed.map((memory) => memory.cacheKey));
      return removed.length;
    });
  }
}

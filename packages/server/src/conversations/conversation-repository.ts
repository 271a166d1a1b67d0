import type { Item, ListPage, PageQuery } from '@agentd/spec';
import type { Conversation } from '@agentd/spec/wire';
import { AgentdError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database, Queryable } from '../storage/database.js';
import { toListPage, toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';

interface ConversationRow {
  id: string;
  metadata: Record<string, string>;
  created_at: Date;
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  object: 'conversation',
  created_at: toUnixSeconds(row.created_at),
  metadata: row.metadata,
});

const conversations = tenantTable({ name: 'conversations', noun: 'conversation', present: toConversation });

export class ConversationRepository {
  constructor(private readonly db: Database) {}

  async create(tenantId: string, metadata: Record<string, string>, items: Item[]): Promise<Conversation> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<ConversationRow>(
        'INSERT INTO conversations (id, tenant_id, metadata) VALUES ($1, $2, $3::jsonb) RETURNING *',
        [newId('conversation'), tenantId, JSON.stringify(metadata)],
      );
      await insertItems(tx, tenantId, row!.id, items);
      return toConversation(row!);
    });
  }

  get(tenantId: string, id: string): Promise<Conversation> {
    return conversations.get(this.db, tenantId, id);
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<Conversation>> {
    return conversations.list(this.db, tenantId, page);
  }

  async update(tenantId: string, id: string, metadata: Record<string, string>): Promise<Conversation> {
    const [row] = await this.db.query<ConversationRow>(
      'UPDATE conversations SET metadata = $3::jsonb, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *',
      [tenantId, id, JSON.stringify(metadata)],
    );
    if (!row) throw notFound('conversation', id);
    return toConversation(row);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await conversations.delete(this.db, tenantId, id);
  }

  async addItems(tenantId: string, id: string, items: Item[]): Promise<Item[]> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        'SELECT id FROM conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [tenantId, id],
      );
      if (!row) throw notFound('conversation', id);
      await insertItems(tx, tenantId, id, items);
      await tx.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [id]);
      return items;
    });
  }

  async listItems(tenantId: string, id: string, page: PageQuery): Promise<ListPage<Item>> {
    await this.get(tenantId, id);
    let afterSeq: string | null = null;
    if (page.after !== undefined) {
      const [cursor] = await this.db.query<{ seq: string }>(
        'SELECT seq FROM conversation_items WHERE tenant_id = $1 AND conversation_id = $2 AND id = $3',
        [tenantId, id, page.after],
      );
      if (!cursor) {
        throw new AgentdError(
          'invalid_request',
          'invalid_cursor',
          `No item '${page.after}' in conversation '${id}'.`,
          {
            param: 'after',
          },
        );
      }
      afterSeq = String(cursor.seq);
    }
    const direction = page.order === 'asc' ? 'ASC' : 'DESC';
    const comparison = page.order === 'asc' ? '>' : '<';
    const rows = await this.db.query<{ data: Item }>(
      `SELECT data FROM conversation_items WHERE tenant_id = $1 AND conversation_id = $2
       AND ($3::bigint IS NULL OR seq ${comparison} $3::bigint) ORDER BY seq ${direction} LIMIT $4`,
      [tenantId, id, afterSeq, page.limit + 1],
    );
    return toListPage(
      rows.map((row) => row.data),
      page.limit,
    );
  }

  async getItem(tenantId: string, conversationId: string, itemId: string): Promise<Item> {
    const [row] = await this.db.query<{ data: Item }>(
      'SELECT data FROM conversation_items WHERE tenant_id = $1 AND conversation_id = $2 AND id = $3',
      [tenantId, conversationId, itemId],
    );
    if (!row) {
      await this.get(tenantId, conversationId);
      throw notFound('item', itemId);
    }
    return row.data;
  }

  async deleteItem(tenantId: string, conversationId: string, itemId: string): Promise<void> {
    await this.get(tenantId, conversationId);
    const rows = await this.db.query(
      'DELETE FROM conversation_items WHERE tenant_id = $1 AND conversation_id = $2 AND id = $3 RETURNING id',
      [tenantId, conversationId, itemId],
    );
    if (rows.length === 0) throw notFound('item', itemId);
  }
}

async function insertItems(
  tx: Queryable,
  tenantId: string,
  conversationId: string,
  items: Item[],
): Promise<void> {
  for (const item of items) {
    await tx.query(
      'INSERT INTO conversation_items (id, tenant_id, conversation_id, type, data) VALUES ($1, $2, $3, $4, $5::jsonb)',
      [item.id, tenantId, conversationId, item.type, JSON.stringify(item)],
    );
  }
}

import type { ListPage, PageQuery } from '@agentd/spec';
import { notFound } from '../errors.js';
import type { Queryable, SqlParam } from '../storage/database.js';
import { keysetClause, toListPage } from '../storage/pagination.js';

/**
 * The reads and the delete that every table of tenant-owned rows answers the
 * same way: one row by id (not found when it is another tenant's), a keyset
 * page of the tenant's rows by id, and deleting one by id. Each repository
 * names its table once and keeps only the queries that are its own.
 */
export function tenantTable<Row, T>(table: {
  /** The SQL table; it has `tenant_id` and a sortable `id`. */
  name: string;
  /** What a missing row is called in the not-found error (`api_key` → `api_key_not_found`). */
  noun: string;
  present: (row: Row) => T;
  /** The columns to read where not all of them (`*`) may leave the database. */
  columns?: string;
}) {
  const { name, noun, present } = table;
  const columns = table.columns ?? '*';
  const find = async (db: Queryable, tenantId: string, id: string): Promise<T | undefined> => {
    const [row] = await db.query<Row>(`SELECT ${columns} FROM ${name} WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return row ? present(row) : undefined;
  };
  return {
    find,

    async get(db: Queryable, tenantId: string, id: string): Promise<T> {
      const found = await find(db, tenantId, id);
      if (found === undefined) throw notFound(noun, id);
      return found;
    },

    /** `where` narrows the page to rows whose columns equal the values given (an undefined value: no narrowing). */
    async list(
      db: Queryable,
      tenantId: string,
      page: PageQuery,
      where: Record<string, SqlParam | undefined> = {},
    ): Promise<ListPage<T>> {
      const equal = Object.entries(where).filter(([, value]) => value !== undefined);
      const narrowed = equal.map(([column], index) => ` AND ${column} = $${index + 2}`).join('');
      const clause = keysetClause(page, equal.length + 2);
      const rows = await db.query<Row>(
        `SELECT ${columns} FROM ${name} WHERE tenant_id = $1${narrowed}${clause.where}${clause.orderLimit}`,
        [tenantId, ...equal.map(([, value]) => value as SqlParam), ...clause.params],
      );
      return toListPage(rows.map(present), page.limit);
    },

    /** Deletes the row and answers it as it was; not found when there is none. */
    async delete(db: Queryable, tenantId: string, id: string): Promise<T> {
      const [row] = await db.query<Row>(
        `DELETE FROM ${name} WHERE tenant_id = $1 AND id = $2 RETURNING ${columns}`,
        [tenantId, id],
      );
      if (!row) throw notFound(noun, id);
      return present(row);
    },
  };
}

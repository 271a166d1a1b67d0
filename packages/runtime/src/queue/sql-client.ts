/** A value a statement may be bound to. */
export type SqlValue = string | number | boolean | null | Date;

/**
 * The least the queue needs from a database: one parameterised statement
 * ($1, $2, ...) and its rows. The server's `Database` and a transaction's
 * `Queryable` satisfy it as they are; `poolSqlClient` adapts a pg pool.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

/** What `poolSqlClient` needs of a node-postgres pool or client. */
export interface PgQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export function poolSqlClient(pool: PgQueryable): SqlClient {
  return {
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return (await pool.query(sql, [...params])).rows as Row[];
    },
  };
}

/**
 * The data-access contract. Two implementations: embedded PGlite and a
 * PostgreSQL server through node-postgres. Repositories are written once
 * against this interface, in SQL both engines speak.
 */

export type SqlParam = string | number | boolean | null | Date;

export interface Queryable {
  /** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Whether the pgvector extension is available in this database. */
  readonly hasVector: boolean;
  close(): Promise<void>;
}

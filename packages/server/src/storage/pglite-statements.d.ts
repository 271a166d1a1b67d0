// Types of pglite-statements.js, for TypeScript that is checked without allowJs (the tests).
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlParam } from './database.js';

export class PgliteStatements {
  constructor(db: PGlite);
  readonly db: PGlite;
  query(sql: string, params?: readonly SqlParam[]): Promise<unknown[]>;
  queryIn(tx: Transaction, sql: string, params?: readonly SqlParam[]): Promise<unknown[]>;
  forgetAll(): void;
}

import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { principalOf } from '../http/principal.js';
import type { Database, Queryable } from '../storage/database.js';
import { type AuditEventInput, actorOf } from './audit-event.js';

/** What a route says about its change: the acting principal and its tenant are filled in. */
export type ChangeEvent = Omit<AuditEventInput, 'tenantId' | 'actor'> & {
  /** The tenant whose chain records it; the caller's by default. */
  tenantId?: string;
};

/**
 * A Database that runs inside an open transaction: what a repository written
 * against Database (one that opens transactions of its own) needs to join a
 * caller's transaction instead.
 */
export function joinTransaction(db: Database, tx: Queryable): Database {
  return {
    dialect: db.dialect,
    hasVector: db.hasVector,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
}

/**
 * Runs a route's change and records its audit events in one transaction:
 * both commit, or neither does. `write` gets the transaction as a Database;
 * `events` says what happened from the change's result.
 */
export async function auditedWrite<T>(
  c: Context<AppEnv>,
  write: (db: Database) => Promise<T>,
  events: (result: T) => ChangeEvent | ChangeEvent[],
): Promise<T> {
  const { db, audit } = c.get('services');
  const principal = principalOf(c);
  const actor = actorOf(principal);
  return db.transaction(async (tx) => {
    const result = await write(joinTransaction(db, tx));
    const changes = [events(result)].flat();
    await audit.record(
      tx,
      changes.map((change) => ({ ...change, tenantId: change.tenantId ?? principal.tenantId, actor })),
    );
    return result;
  });
}

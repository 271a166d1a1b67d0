import type { ListPage, SortOrder } from '@agentd/spec';
import { AgentdError } from '../errors.js';
import type { Queryable, SqlParam } from '../storage/database.js';
import type { AuditRecord } from './audit-event.js';
import { AUDIT_COLUMNS, type AuditRow, toRecord } from './audit-rows.js';
import { sequenceOfId } from './chain-records.js';

/** What GET /v1/audit_events filters on; every filter given must hold. */
export interface AuditFilter {
  types?: readonly string[] | undefined;
  actorIds?: readonly string[] | undefined;
  resourceIds?: readonly string[] | undefined;
  /** Unix seconds, as OpenAI's `effective_at[gt]`, `[gte]`, `[lt]`, `[lte]`. */
  effectiveAt?: {
    gt?: number | undefined;
    gte?: number | undefined;
    lt?: number | undefined;
    lte?: number | undefined;
  };
}

export interface AuditPageQuery extends AuditFilter {
  /** An event id: the page starts after it in `order`. */
  after?: string | undefined;
  limit: number;
  order: SortOrder;
}

/**
 * Rows written before ids carried their sequence: the predicate of
 * audit_events_legacy_id_idx (migration 0017), written the same so that the
 * planner uses it.
 */
const LEGACY_ID = "id NOT LIKE 'audit\\_%\\_%'";

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * A row's filter keys, as audit_events_filter_keys_idx (migration 0016)
 * indexes them: the same expression, or PostgreSQL does not use the index.
 */
const FILTER_KEYS = `(ARRAY[tenant_id || ' type ' || type, tenant_id || ' actor ' || actor_id,
  tenant_id || ' resource ' || resource_id])`;

/** Between the filter keys of one parameter (a control character, not expected in an id). */
const KEY_SEPARATOR = '\u001f';

/** The WHERE clause of a tenant's events under a filter, and its parameters ($1 is the tenant). */
function whereOf(tenantId: string, filter: AuditFilter): { where: string; params: SqlParam[] } {
  const params: SqlParam[] = [tenantId];
  const conditions = ['tenant_id = $1'];
  const oneOf = (column: string, key: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    params.push(JSON.stringify(values));
    const list = `$${params.length}::json`;
    // The index's keys find the rows (migration 0016); the column's own condition decides, so a
    // value holding the separator only adds candidates. An array of constants (string_to_array is
    // immutable) lets the planner weigh the keys themselves.
    params.push(values.map((value) => `${tenantId} ${key} ${value}`).join(KEY_SEPARATOR));
    conditions.push(
      `${FILTER_KEYS} && string_to_array($${params.length}::text, '${KEY_SEPARATOR}')`,
      `${column} IN (SELECT json_array_elements_text(${list}))`,
    );
  };
  oneOf('type', 'type', filter.types);
  oneOf('actor_id', 'actor', filter.actorIds);
  oneOf('resource_id', 'resource', filter.resourceIds);
  for (const [bound, operator] of Object.entries(COMPARISONS)) {
    const seconds = filter.effectiveAt?.[bound as keyof typeof COMPARISONS];
    if (seconds === undefined) continue;
    params.push(new Date(seconds * 1000));
    conditions.push(`effective_at ${operator} $${params.length}`);
  }
  return { where: conditions.join(' AND '), params };
}

/** A page of a tenant's audit events, newest first unless `order` is asc. */
export async function listAuditEvents(
  db: Queryable,
  tenantId: string,
  query: AuditPageQuery,
): Promise<ListPage<AuditRecord>> {
  const { where, params } = whereOf(tenantId, query);
  let cursor = '';
  if (query.after !== undefined) {
    const [row] = await cursorRow(db, tenantId, query.after);
    if (!row) {
      throw new AgentdError(
        'invalid_request',
        'invalid_cursor',
        `No audit event '${query.after}' in your tenant.`,
        {
          param: 'after',
        },
      );
    }
    params.push(Number(row.sequence));
    cursor = ` AND sequence ${query.order === 'asc' ? '>' : '<'} $${params.length}`;
  }
  params.push(query.limit + 1);
  const rows = await db.query<AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where}${cursor}
     ORDER BY sequence ${query.order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
    params,
  );
  const data = rows.slice(0, query.limit).map(toRecord);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: rows.length > query.limit,
  };
}

/** The row a cursor names: by the sequence its id carries (the primary key), or by a ULID id of before. */
function cursorRow(db: Queryable, tenantId: string, id: string): Promise<{ sequence: number | string }[]> {
  const sequence = sequenceOfId(id);
  if (sequence !== undefined) {
    return db.query('SELECT sequence FROM audit_events WHERE tenant_id = $1 AND sequence = $2 AND id = $3', [
      tenantId,
      sequence,
      id,
    ]);
  }
  return db.query(`SELECT sequence FROM audit_events WHERE tenant_id = $1 AND id = $2 AND ${LEGACY_ID}`, [
    tenantId,
    id,
  ]);
}

/** Every event of a tenant under a filter, oldest first, read a page at a time (the JSON Lines export). */
export async function* exportAuditEvents(
  db: Queryable,
  tenantId: string,
  filter: AuditFilter,
  pageSize = 500,
): AsyncGenerator<AuditRecord> {
  let after: string | undefined;
  for (;;) {
    const page = await listAuditEvents(db, tenantId, { ...filter, after, limit: pageSize, order: 'asc' });
    yield* page.data;
    if (!page.has_more || page.last_id === null) return;
    after = page.last_id;
  }
}

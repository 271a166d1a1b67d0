import type { ListPage, PageQuery } from '@agentd/spec';
import { AgentdError } from '../errors.js';
import type { Queryable } from '../storage/database.js';
import { toListPage } from '../storage/pagination.js';

/**
 * A page of the numbered versions of one tenant row (an agent's, a
 * policy's), newest first unless the page asks otherwise. The cursor is a
 * version number; anything else is refused with `cursorMessage`.
 */
export async function versionPage<Row, T extends { version: number }>(
  db: Queryable,
  versions: { table: string; parentColumn: string; present: (row: Row) => T },
  tenantId: string,
  parentId: string,
  page: PageQuery,
  cursorMessage: string,
): Promise<ListPage<T>> {
  const after = page.after === undefined ? null : Number(page.after);
  if (after !== null && !Number.isInteger(after)) {
    throw new AgentdError('invalid_request', 'invalid_cursor', cursorMessage, { param: 'after' });
  }
  const direction = page.order === 'asc' ? 'ASC' : 'DESC';
  const comparison = page.order === 'asc' ? '>' : '<';
  const rows = await db.query<Row>(
    `SELECT * FROM ${versions.table} WHERE tenant_id = $1 AND ${versions.parentColumn} = $2
     AND ($3::int IS NULL OR version ${comparison} $3::int) ORDER BY version ${direction} LIMIT $4`,
    [tenantId, parentId, after, page.limit + 1],
  );
  return toListPage(rows.map(versions.present), page.limit, (version) => String(version.version));
}

import type { ListPage, PageQuery } from '@agentd/spec';
import type { SqlParam } from './database.js';

/**
 * Keyset pagination on a sortable id column. Returns the SQL fragment to
 * append after WHERE conditions, and the parameters it adds.
 */
export function keysetClause(
  page: PageQuery,
  firstParam: number,
  column = 'id',
): { where: string; orderLimit: string; params: SqlParam[] } {
  const direction = page.order === 'asc' ? 'ASC' : 'DESC';
  const comparison = page.order === 'asc' ? '>' : '<';
  const params: SqlParam[] = [];
  let where = '';
  if (page.after !== undefined) {
    params.push(page.after);
    where = ` AND ${column} ${comparison} $${firstParam}`;
  }
  params.push(page.limit + 1);
  const orderLimit = ` ORDER BY ${column} ${direction} LIMIT $${firstParam + params.length - 1}`;
  return { where, orderLimit, params };
}

/** Builds the list envelope from `limit + 1` fetched rows. */
export function toListPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string = (row) => (row as { id: string }).id,
): ListPage<T> {
  const data = rows.slice(0, limit);
  const first = data[0];
  const last = data.at(-1);
  return {
    object: 'list',
    data,
    first_id: first === undefined ? null : cursorOf(first),
    last_id: last === undefined ? null : cursorOf(last),
    has_more: rows.length > limit,
  };
}

export function toUnixSeconds(value: Date | string | number): number {
  const date = value instanceof Date ? value : new Date(value);
  return Math.floor(date.getTime() / 1000);
}

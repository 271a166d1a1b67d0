import type { ListPage, PageQuery, SortOrder } from '@agentd/spec';
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

/**
 * One part of a list that is paged across several sources (see pageAcross):
 * whether a cursor points into it, and a page of it, in the requested order.
 */
export interface ListSegment<T> {
  owns(cursor: string): boolean;
  /** Up to `limit` entries after `after` (none: from the start), and whether more follow. `limit` may be 0. */
  page(after: string | undefined, limit: number): Promise<{ data: T[]; has_more: boolean }>;
}

/**
 * Pages through segments laid end to end in the requested order, as one list:
 * a page may span segments, and `after` continues in the segment that owns it.
 */
export async function pageAcross<T>(
  segments: ListSegment<T>[],
  page: PageQuery,
  cursorOf: (row: T) => string,
): Promise<ListPage<T>> {
  const after = page.after;
  const owner = after === undefined ? -1 : segments.findIndex((segment) => segment.owns(after));
  const start = Math.max(0, owner);
  const rows: T[] = [];
  let hasMore = false;
  for (const [index, segment] of segments.entries()) {
    if (index < start) continue;
    const part = await segment.page(index === start ? after : undefined, page.limit - rows.length);
    rows.push(...part.data);
    if (part.has_more) {
      hasMore = true;
      break;
    }
  }
  return { ...toListPage(rows, page.limit, cursorOf), has_more: hasMore };
}

/** A segment held in memory, sorted ascending by `cursorOf` with plain string comparison. */
export function memorySegment<T>(
  rows: T[],
  order: SortOrder,
  cursorOf: (row: T) => string,
  owns: (cursor: string) => boolean,
): ListSegment<T> {
  const sorted = [...rows].sort((x, y) => compare(cursorOf(x), cursorOf(y)));
  if (order === 'desc') sorted.reverse();
  return {
    owns,
    async page(after, limit) {
      const rest =
        after === undefined
          ? sorted
          : sorted.filter((row) => compare(cursorOf(row), after) === (order === 'asc' ? 1 : -1));
      return { data: rest.slice(0, limit), has_more: rest.length > limit };
    },
  };
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export function toUnixSeconds(value: Date | string | number): number {
  const date = value instanceof Date ? value : new Date(value);
  return Math.floor(date.getTime() / 1000);
}

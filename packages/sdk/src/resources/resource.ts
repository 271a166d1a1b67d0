import type { DeletedObject, ListPage } from '@agentd/spec';
import { type QueryValue, type RequestOptions, seg, type Transport } from '../core/transport.js';

export type Query = Record<string, QueryValue>;

/** Cursor paging, as every agentd list has it. */
export interface ListQuery {
  after?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** The base of each resource: its transport and a few verbs. */
export abstract class Resource {
  constructor(protected readonly transport: Transport) {}

  protected get<T>(path: string, query?: object, options: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>({ ...options, method: 'GET', path, query: query as Query });
  }
  protected post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>({ ...options, method: 'POST', path, body });
  }
  protected put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>({ ...options, method: 'PUT', path, body });
  }
  protected patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>({ ...options, method: 'PATCH', path, body });
  }
  protected delete<T>(path: string, query?: object, options: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>({ ...options, method: 'DELETE', path, query: query as Query });
  }
}

/**
 * Every item of a list, page after page: `for await (const agent of
 * paginate((after) => client.agents.list({ after })))`.
 */
export async function* paginate<T extends { id: string }>(
  page: (after: string | undefined) => Promise<ListPage<T>>,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const current = await page(after);
    yield* current.data;
    if (!current.has_more || current.last_id === null) return;
    after = current.last_id;
  }
}

/**
 * A resource kept at `path` the way most are: a page of them, one by id, and
 * its deletion. `Q` is what the list takes (the paging, and any filters).
 */
export abstract class Collection<T, Q extends ListQuery = ListQuery> extends Resource {
  protected abstract readonly path: string;

  list(query: Q = {} as Q, options?: RequestOptions): Promise<ListPage<T>> {
    return this.get(this.path, query, options);
  }
  retrieve(id: string, options?: RequestOptions): Promise<T> {
    return this.get(this.pathOf(id), undefined, options);
  }
  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(this.pathOf(id), undefined, options);
  }
  /** The path of the one with this id (encoded: ids come from users). */
  protected pathOf(id: string): string {
    return `${this.path}/${seg(id)}`;
  }
}

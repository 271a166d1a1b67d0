/** Shapes every API response shares. */

export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export type SortOrder = 'asc' | 'desc';

export interface PageQuery {
  after?: string | undefined;
  limit: number;
  order: SortOrder;
}

/** The body of every error response: `{ "error": { type, code, message, param } }`. */
export interface ErrorBody {
  error: {
    type: string;
    code: string;
    message: string;
    param: string | null;
  };
}

export interface DeletedObject {
  id: string;
  object: string;
  deleted: true;
}

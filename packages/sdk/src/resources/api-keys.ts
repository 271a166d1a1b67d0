import type { DeletedObject, ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { ApiKey, CreateApiKeyParams, CreatedApiKey } from '../types.js';
import { type ListQuery, Resource } from './resource.js';

/** /v1/api_keys. */
export class ApiKeys extends Resource {
  /** The answer holds the key's secret (`value`), shown only this once. */
  create(params: CreateApiKeyParams, options?: RequestOptions): Promise<CreatedApiKey> {
    return this.post('/v1/api_keys', params, options);
  }
  list(query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<ApiKey>> {
    return this.get('/v1/api_keys', query, options);
  }
  retrieve(id: string, options?: RequestOptions): Promise<ApiKey> {
    return this.get(`/v1/api_keys/${seg(id)}`, undefined, options);
  }
  /** Revokes the key. */
  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/api_keys/${seg(id)}`, undefined, options);
  }
}

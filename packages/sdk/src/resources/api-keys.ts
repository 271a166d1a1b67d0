import type { RequestOptions } from '../core/transport.js';
import type { ApiKey, CreateApiKeyParams, CreatedApiKey } from '../types.js';
import { Collection } from './resource.js';

/** /v1/api_keys; `del` revokes a key. */
export class ApiKeys extends Collection<ApiKey> {
  protected readonly path = '/v1/api_keys';

  /** The answer holds the key's secret (`value`), shown only this once. */
  create(params: CreateApiKeyParams, options?: RequestOptions): Promise<CreatedApiKey> {
    return this.post(this.path, params, options);
  }
}

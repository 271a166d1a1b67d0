import type { ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { Model, Moderation } from '../types.js';
import { Resource } from './resource.js';

/** /v1/models. */
export class Models extends Resource {
  list(options?: RequestOptions): Promise<ListPage<Model>> {
    return this.get('/v1/models', undefined, options);
  }
  retrieve(id: string, options?: RequestOptions): Promise<Model> {
    return this.get(`/v1/models/${seg(id)}`, undefined, options);
  }
}

/** /v1/moderations. */
export class Moderations extends Resource {
  create(
    params: { input: string | string[] | unknown[]; model?: string },
    options?: RequestOptions,
  ): Promise<Moderation> {
    return this.post('/v1/moderations', params, options);
  }
}

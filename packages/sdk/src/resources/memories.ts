import type { DeletedObject, ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { Memory } from '../types.js';
import { type ListQuery, Resource } from './resource.js';

type Consent = { object: 'memory.consent'; user: string; enabled: boolean };

/** /v1/memories: what agents remember about each end user, with the user's consent. */
export class Memories extends Resource {
  list(query: ListQuery & { user: string }, options?: RequestOptions): Promise<ListPage<Memory>> {
    return this.get('/v1/memories', query, options);
  }
  create(params: { user: string; text: string }, options?: RequestOptions): Promise<Memory> {
    return this.post('/v1/memories', params, options);
  }
  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/memories/${seg(id)}`, undefined, options);
  }
  /** Forgets everything about one user. */
  deleteAll(
    query: { user: string },
    options?: RequestOptions,
  ): Promise<{ deleted: number } & Record<string, unknown>> {
    return this.delete('/v1/memories', query, options);
  }
  consent(query: { user: string }, options?: RequestOptions): Promise<Consent> {
    return this.get('/v1/memories/consent', query, options);
  }
  setConsent(params: { user: string; enabled: boolean }, options?: RequestOptions): Promise<Consent> {
    return this.post('/v1/memories/consent', params, options);
  }
}

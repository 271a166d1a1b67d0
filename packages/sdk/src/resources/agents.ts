import type { DeletedObject, ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { Agent, AgentParams } from '../types.js';
import { type ListQuery, Resource } from './resource.js';

/** /v1/agents: stored agents, versioned on every change. */
export class Agents extends Resource {
  create(params: AgentParams & { name: string }, options?: RequestOptions): Promise<Agent> {
    return this.post('/v1/agents', params, options);
  }
  list(query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<Agent>> {
    return this.get('/v1/agents', query, options);
  }
  /** By id or name. */
  retrieve(idOrName: string, options?: RequestOptions): Promise<Agent> {
    return this.get(`/v1/agents/${seg(idOrName)}`, undefined, options);
  }
  update(idOrName: string, params: AgentParams, options?: RequestOptions): Promise<Agent> {
    return this.patch(`/v1/agents/${seg(idOrName)}`, params, options);
  }
  del(idOrName: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/agents/${seg(idOrName)}`, undefined, options);
  }
  versions(idOrName: string, query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<Agent>> {
    return this.get(`/v1/agents/${seg(idOrName)}/versions`, query, options);
  }
  version(idOrName: string, version: number, options?: RequestOptions): Promise<Agent> {
    return this.get(`/v1/agents/${seg(idOrName)}/versions/${version}`, undefined, options);
  }
}

import type { ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { Agent, AgentParams, AgentVersion, CreateAgentParams } from '../types.js';
import { Collection, type ListQuery, paginate } from './resource.js';

/** /v1/agents: stored agents, versioned on every change. */
export class Agents extends Collection<Agent> {
  protected readonly path = '/v1/agents';

  create(params: CreateAgentParams, options?: RequestOptions): Promise<Agent> {
    return this.post(this.path, params, options);
  }
  update(id: string, params: AgentParams, options?: RequestOptions): Promise<Agent> {
    return this.patch(this.pathOf(id), params, options);
  }
  /** The agent named `name`, or undefined (names are unique in a tenant). */
  async findByName(name: string, options?: RequestOptions): Promise<Agent | undefined> {
    for await (const agent of paginate((after) =>
      this.list(after ? { after, limit: 100 } : { limit: 100 }, options),
    ))
      if (agent.name === name) return agent;
    return undefined;
  }
  versions(id: string, query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<AgentVersion>> {
    return this.get(`/v1/agents/${seg(id)}/versions`, query, options);
  }
  version(id: string, version: number, options?: RequestOptions): Promise<AgentVersion> {
    return this.get(`/v1/agents/${seg(id)}/versions/${version}`, undefined, options);
  }
}

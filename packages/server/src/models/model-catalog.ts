import type { Agent } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import type { Services } from '../services.js';
import { SCRIPTED_MODEL } from './model-resolver.js';

/** A model as OpenAI's `GET /v1/models` lists it. */
export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export const AGENT_MODEL_PREFIX = 'agent:';

/** Configured models have no creation time of their own: they are as old as this process. */
const STARTED_AT = Math.floor(Date.now() / 1000);

/**
 * What a tenant can name as `model`: the configured models, then each of its
 * agents as `agent:<name>`, so that chat applications can offer agents in
 * their model picker.
 */
export async function listModels(services: Services, tenantId: string): Promise<ModelEntry[]> {
  const agents = await allAgents(services, tenantId);
  return [...configuredModels(services, agents), ...agents.map((agent) => agentEntry(agent, tenantId))];
}

/** One model by id; an unknown one is a 404 naming `model`, as OpenAI answers. */
export async function findModel(services: Services, tenantId: string, id: string): Promise<ModelEntry> {
  if (id.startsWith(AGENT_MODEL_PREFIX)) {
    const agent = await services.agents.findByName(tenantId, id.slice(AGENT_MODEL_PREFIX.length));
    if (agent) return agentEntry(agent, tenantId);
  } else {
    const found = configuredModels(services, await allAgents(services, tenantId)).find(
      (model) => model.id === id,
    );
    if (found) return found;
  }
  throw modelNotFound(id);
}

export function modelNotFound(id: string): AgentdError {
  return new AgentdError('not_found', 'model_not_found', `The model '${id}' does not exist in your tenant.`, {
    param: 'model',
  });
}

/**
 * The default model, and the models the tenant's agents name when an endpoint
 * serves them. Without an endpoint every name runs the scripted stand-in, so
 * that is the one model listed.
 */
function configuredModels(services: Services, agents: readonly Agent[]): ModelEntry[] {
  const names = new Set([services.models.defaultModel]);
  if (services.config.OPENAI_BASE_URL) {
    for (const agent of agents) if (agent.model) names.add(agent.model);
  }
  return [...names].map((id) => ({
    id,
    object: 'model',
    created: STARTED_AT,
    owned_by: id === SCRIPTED_MODEL ? 'agentd' : 'system',
  }));
}

/** An agent is owned by its tenant. */
function agentEntry(agent: Agent, tenantId: string): ModelEntry {
  return {
    id: `${AGENT_MODEL_PREFIX}${agent.name}`,
    object: 'model',
    created: agent.created_at,
    owned_by: tenantId,
  };
}

async function allAgents(services: Services, tenantId: string): Promise<Agent[]> {
  const agents: Agent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await services.agents.list(tenantId, {
      limit: 100,
      order: 'asc',
      ...(after ? { after } : {}),
    });
    agents.push(...page.data);
    if (!page.has_more || !page.last_id) return agents;
    after = page.last_id;
  }
}

import { createHash } from 'node:crypto';
import type { Item, ModelSettings, ModelToolChoice, Principal, ResponseObject } from '@agentd/spec';
import type { Agent, CreateResponseInput } from '@agentd/spec/wire';
import { toItem } from '../conversations/to-item.js';
import { AgentdError, requireReferenced } from '../errors.js';
import { newId } from '../ids.js';
import { DEFAULT_AGENT } from '../policies/policy-request.js';
import type { Services } from '../services.js';
import { currentTraceCarrier } from '../telemetry/trace-carrier.js';
import type { BuiltinTools } from '../tools/builtins/builtin-tools.js';
import { BUILTIN_TOOL_NAMES } from '../tools/builtins/builtin-tools.js';
import type { BuiltinSettings } from '../tools/builtins/run-settings.js';
import type { BuiltinToolObject } from './builtin-tool-objects.js';
import { checkContextLength, requestFields } from './request-fields.js';
import { builtinToolObjects, inlineTools, resolveTools } from './request-tools.js';
import type { StoredResponse } from './response-repository.js';
import type { RunSpec } from './run-spec.js';

const AGENT_PREFIX = 'agent:';

/**
 * Resolves a create request (agent, model, tools, history) into a stored,
 * queued response. Returns the earlier response for a reused idempotency key.
 */
export async function createResponse(
  services: Services,
  tenantId: string,
  body: CreateResponseInput,
  idempotencyKey: string | undefined,
  /** The request's origin, for links to files the run stores. */
  origin?: string,
  /** Who asks: kept with the run, for its usage, limits and policies wherever it executes. */
  principal?: Principal,
): Promise<{ created: boolean; response: StoredResponse }> {
  const agent = await findAgent(services, tenantId, body);
  const fields = requestFields(body, services.config.AGENTD_STRUCTURED_OUTPUT_RETRIES);
  const input =
    typeof body.input === 'string'
      ? [toItem({ type: 'message', role: 'user', content: body.input })]
      : body.input.map(toItem);
  const conversationId =
    typeof body.conversation === 'string' ? body.conversation : (body.conversation?.id ?? null);
  if (conversationId && body.previous_response_id) {
    throw new AgentdError(
      'invalid_request',
      'conflicting_context',
      'Give either conversation or previous_response_id, not both.',
      {
        param: 'previous_response_id',
      },
    );
  }
  const { items: history, previous } = await loadHistory(
    services,
    tenantId,
    conversationId,
    body.previous_response_id,
  );
  // Tenants' policies: who may invoke the agent, and answer the approval requests the input answers.
  if (principal) {
    await services.policies.authorizeResponse(principal, agent?.name ?? DEFAULT_AGENT, input, history);
  }
  const id = newId('response');

  const model =
    body.model && !body.model.startsWith(AGENT_PREFIX)
      ? body.model
      : (agent?.model ?? services.models.defaultModel);
  const settings = modelSettings(agent, body);
  const instructions = body.instructions ?? agent?.instructions ?? null;
  if (body.truncation === 'disabled') {
    const budget = services.config.AGENTD_CONTEXT_TOKENS - (settings.maxOutputTokens ?? 0);
    checkContextLength(
      instructions,
      [...history, ...input],
      budget,
      'AGENTD_CONTEXT_TOKENS less max_output_tokens',
    );
  }
  const builtins = services.tools.builtins;
  const refs = body.tools ?? agent?.tools ?? (isDefaultAgent(agent, body) ? defaultAgentTools(builtins) : []);
  const tools = inlineTools(refs);
  const toolRefs = refs.filter(
    (ref): ref is string | { capability: string } => typeof ref === 'string' || 'capability' in ref,
  );
  const objects = builtinToolObjects(refs, builtins);
  const enabledNames = [...new Set(objects.flatMap((tool) => tool.names))].filter(
    (name) => !toolRefs.includes(name),
  );
  // Unknown names and capabilities are refused now, not when the run starts; the run gets what is resolved here.
  const { registered, enabled } = await resolveTools(services, tenantId, refs, enabledNames);
  await checkVectorStores(services, tenantId, refs, objects);
  const builtinSettings: BuiltinSettings = Object.assign({}, ...objects.map((tool) => tool.settings));
  const spec: RunSpec = {
    schema_version: 1,
    model,
    instructions,
    tools,
    tool_refs: [...toolRefs, ...enabledNames],
    tool_choice: (body.tool_choice ?? agent?.tool_choice ?? 'auto') as ModelToolChoice,
    settings,
    max_steps: body.max_steps ?? agent?.max_steps ?? 10,
    max_total_tokens: body.max_total_tokens ?? null,
    session_key: conversationId ?? previous?.runSpec.session_key ?? previous?.id ?? id,
    ...(body.user === undefined ? {} : { user: body.user }),
    ...(memoryEnabled(agent?.memory) ? { memory: true } : {}),
    ...(agent?.safety ? { safety: agent.safety } : {}),
    ...(Object.keys(builtinSettings).length > 0 ? { builtin_settings: builtinSettings } : {}),
    ...(origin ? { public_url: origin } : {}),
    ...(principal ? { principal } : {}),
    ...fields.spec,
    ...traceOfRequest(),
  };
  const snapshot: ResponseObject = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    completed_at: null,
    status: 'queued',
    error: null,
    incomplete_details: null,
    instructions: spec.instructions,
    model,
    output: [],
    parallel_tool_calls: settings.parallelToolCalls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    conversation: conversationId ? { id: conversationId } : null,
    agent: agent ? { id: agent.id, name: agent.name, version: agent.version } : null,
    tools: [
      ...tools.map(({ endpoint: _endpoint, ...tool }) => tool),
      ...registered.map((tool) => ({
        type: 'function',
        name: tool.definition.name,
        description: tool.definition.description ?? null,
        parameters: tool.definition.parameters,
        strict: false,
      })),
      ...objects.map((tool) => tool.echo),
    ],
    tool_choice: spec.tool_choice,
    temperature: settings.temperature ?? null,
    top_p: settings.topP ?? null,
    max_output_tokens: settings.maxOutputTokens ?? null,
    max_steps: spec.max_steps,
    max_total_tokens: spec.max_total_tokens,
    background: body.background,
    metadata: body.metadata ?? {},
    usage: null,
    ...fields.echo,
  };
  // Kept before the insert: a worker here may claim the run as soon as it is stored.
  services.resolvedTools.keep(id, [...registered, ...enabled]);
  try {
    const made = await services.responses.create(tenantId, {
      snapshot,
      input,
      history,
      runSpec: spec,
      conversationId,
      previousResponseId: body.previous_response_id ?? null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: idempotencyKey ? hashRequest(body) : null,
    });
    if (!made.created) services.resolvedTools.drop(id);
    return made;
  } catch (error) {
    services.resolvedTools.drop(id);
    throw error;
  }
}

/** The request's trace context, kept with the run so that its spans join the request's trace wherever it runs. */
function traceOfRequest(): Pick<RunSpec, 'trace'> {
  const carrier = currentTraceCarrier();
  return carrier ? { trace: carrier } : {};
}

export function hashRequest(body: CreateResponseInput): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * A request that names no agent, model, instructions or tools runs the
 * tenant's default agent: the default model with every built-in tool.
 */
function isDefaultAgent(agent: Agent | undefined, body: CreateResponseInput): boolean {
  return (
    agent === undefined &&
    body.model === undefined &&
    body.instructions === undefined &&
    body.tools === undefined
  );
}

/** The default agent's tools: the built-ins on offer here; those turned off or missing their runtime are left out. */
function defaultAgentTools(builtins: BuiltinTools | undefined): string[] {
  return BUILTIN_TOOL_NAMES.filter((name) => builtins?.has(name) === true);
}

async function findAgent(
  services: Services,
  tenantId: string,
  body: CreateResponseInput,
): Promise<Agent | undefined> {
  const ref =
    body.agent ?? (body.model?.startsWith(AGENT_PREFIX) ? body.model.slice(AGENT_PREFIX.length) : undefined);
  if (ref === undefined) return undefined;
  const param = body.agent ? 'agent' : 'model';
  const agent = ref.startsWith('agent_')
    ? await services.agents.get(tenantId, ref).catch(() => undefined)
    : await services.agents.findByName(tenantId, ref);
  if (!agent)
    throw new AgentdError('not_found', 'agent_not_found', `No agent '${ref}' in your tenant.`, { param });
  return agent;
}

async function loadHistory(
  services: Services,
  tenantId: string,
  conversationId: string | null,
  previousResponseId: string | undefined,
): Promise<{ items: Item[]; previous?: StoredResponse }> {
  if (conversationId) {
    const items: Item[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await services.conversations
        .listItems(tenantId, conversationId, { order: 'asc', limit: 100, ...(after ? { after } : {}) })
        .catch((error: unknown) => {
          if (error instanceof AgentdError && error.category === 'not_found') {
            throw new AgentdError(
              'not_found',
              'conversation_not_found',
              `No conversation '${conversationId}'.`,
              {
                param: 'conversation',
              },
            );
          }
          throw error;
        });
      items.push(...page.data);
      if (!page.has_more) return { items };
      after = page.last_id ?? undefined;
    }
  }
  if (previousResponseId) {
    const previous = await services.responses.get(tenantId, previousResponseId).catch(() => {
      throw new AgentdError('not_found', 'response_not_found', `No response '${previousResponseId}'.`, {
        param: 'previous_response_id',
      });
    });
    const output = previous.snapshot.output.filter((item): item is Item => item.type !== 'reasoning');
    return { items: [...previous.history, ...previous.input, ...output], previous };
  }
  return { items: [] };
}

/** file_search's vector stores and the code interpreter's files must be the tenant's own; an unknown one is a 400 naming it. */
async function checkVectorStores(
  services: Services,
  tenantId: string,
  refs: readonly unknown[],
  objects: readonly BuiltinToolObject[],
): Promise<void> {
  for (const tool of objects) {
    const param = `tools[${refs.indexOf(tool.echo)}]`;
    await requireOwn(tool.vectorStoreIds, (id) => services.vectorStores.repository.get(tenantId, id), {
      code: 'unknown_vector_store',
      what: 'vector store',
      param: `${param}.vector_store_ids`,
    });
    await requireOwn(tool.fileIds, (id) => services.files.repository.get(tenantId, id), {
      code: 'unknown_file',
      what: 'file',
      param: `${param}.container.file_ids`,
    });
  }
}

/** Each id must name an object of the tenant (`get` throws not found otherwise): a 400 naming the entry. */
async function requireOwn(
  ids: readonly string[] | undefined,
  get: (id: string) => Promise<unknown>,
  refusal: { code: string; what: string; param: string },
): Promise<void> {
  for (const [index, id] of (ids ?? []).entries()) {
    await requireReferenced(get(id), { ...refusal, id, param: `${refusal.param}[${index}]` });
  }
}

/** An agent's `memory` setting: `{"enabled": true}` turns long-term memory on. */
function memoryEnabled(setting: Record<string, unknown> | null | undefined): boolean {
  return setting?.enabled === true;
}

function modelSettings(agent: Agent | undefined, body: CreateResponseInput): ModelSettings {
  const base = agent?.model_settings ?? {};
  const settings: ModelSettings = {};
  const temperature = body.temperature ?? base.temperature;
  const topP = body.top_p ?? base.top_p;
  const maxOutputTokens = body.max_output_tokens ?? base.max_output_tokens;
  const parallel = body.parallel_tool_calls ?? base.parallel_tool_calls;
  const effort = body.reasoning?.effort ?? base.reasoning_effort;
  if (temperature !== undefined) settings.temperature = temperature;
  if (topP !== undefined) settings.topP = topP;
  if (maxOutputTokens !== undefined) settings.maxOutputTokens = maxOutputTokens;
  if (parallel !== undefined) settings.parallelToolCalls = parallel;
  if (effort !== undefined) settings.reasoningEffort = effort;
  if (body.user !== undefined) settings.user = body.user;
  if (body.safety_identifier !== undefined) settings.safetyIdentifier = body.safety_identifier;
  if (body.include?.includes('message.output_text.logprobs')) settings.logprobs = true;
  if (base.presence_penalty !== undefined) settings.presencePenalty = base.presence_penalty;
  if (base.frequency_penalty !== undefined) settings.frequencyPenalty = base.frequency_penalty;
  if (base.seed !== undefined) settings.seed = base.seed;
  if (base.stop !== undefined) settings.stop = base.stop;
  return settings;
}

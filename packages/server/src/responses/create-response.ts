import { createHash } from 'node:crypto';
import type { Item, ModelSettings, ModelToolChoice, Principal, ResponseObject, RunTool } from '@agentd/spec';
import { type Agent, type CreateResponseInput, FunctionToolSchema } from '@agentd/spec/wire';
import { toItem } from '../conversations/to-item.js';
import { AgentdError, requireReferenced } from '../errors.js';
import { partValidationError } from '../http/error-response.js';
import { newId } from '../ids.js';
import { DEFAULT_AGENT } from '../policies/policy-request.js';
import type { Services } from '../services.js';
import { currentTraceCarrier } from '../telemetry/trace-carrier.js';
import type { BuiltinTools } from '../tools/builtins/builtin-tools.js';
import { BUILTIN_TOOL_NAMES, isBuiltinName } from '../tools/builtins/builtin-tools.js';
import type { BuiltinSettings } from '../tools/builtins/run-settings.js';
import { checkFunctionParameters } from '../tools/function-parameters.js';
import {
  type BuiltinToolObject,
  builtinToolObject,
  isBuiltinToolObjectType,
} from './builtin-tool-objects.js';
import { checkContextLength, requestFields } from './request-fields.js';
import type { StoredResponse } from './response-repository.js';
import type { FunctionToolSpec, RunSpec } from './run-spec.js';

const AGENT_PREFIX = 'agent:';
const EMPTY_PARAMETERS = { type: 'object', properties: {} };

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

/** The built-in tool objects among the references (`code_interpreter`, `web_search`), checked. */
function builtinToolObjects(
  refs: readonly unknown[],
  builtins: BuiltinTools | undefined,
): BuiltinToolObject[] {
  return refs.flatMap((ref, index) =>
    ref && typeof ref === 'object' && isBuiltinToolObjectType((ref as { type?: unknown }).type)
      ? [builtinToolObject(ref as Record<string, unknown>, `tools[${index}]`, builtins)]
      : [],
  );
}

/**
 * Resolves, with one read of the tenant's tools, the names and capabilities
 * among the references (`registered`, shown in the response's `tools`) and
 * the built-ins that built-in tool objects turn on (`enabled`). An error names
 * the reference by its place in `tools`; a built-in name that is off says why.
 */
async function resolveTools(
  services: Services,
  tenantId: string,
  refs: readonly unknown[],
  enabledNames: readonly string[],
): Promise<{ registered: RunTool[]; enabled: RunTool[] }> {
  const named: { ref: string | { capability: string }; index: number }[] = [];
  refs.forEach((ref, index) => {
    if (typeof ref === 'string' || (ref && typeof ref === 'object' && 'capability' in ref)) {
      named.push({ ref: ref as string | { capability: string }, index });
    }
  });
  try {
    const [registered = [], enabled = []] = await services.tools.resolveLists(tenantId, [
      named.map((entry) => entry.ref),
      enabledNames,
    ]);
    return { registered, enabled };
  } catch (error) {
    if (!(error instanceof AgentdError) || !error.code.startsWith('unknown_')) throw error;
    const at = named[Number(/^tools\[(\d+)\]$/.exec(error.param ?? '')?.[1])];
    if (!at) throw error;
    const param = `tools[${at.index}]`;
    const name = at.ref;
    const why =
      typeof name === 'string' && isBuiltinName(name)
        ? services.tools.builtins?.unavailable(name)
        : undefined;
    if (why) {
      throw new AgentdError(
        'invalid_request',
        'unsupported_tool',
        `The built-in tool '${name}' is not available: ${why}.`,
        { param },
      );
    }
    throw new AgentdError(error.category, error.code, error.message, { param });
  }
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

/** The inline function tools among the references; names and capabilities go to the tools gateway. */
function inlineTools(refs: readonly unknown[]): FunctionToolSpec[] {
  return refs.flatMap((ref, index) => {
    const param = `tools[${index}]`;
    if (typeof ref === 'string' || (ref && typeof ref === 'object' && 'capability' in ref)) return [];
    if (ref && typeof ref === 'object' && isBuiltinToolObjectType((ref as { type?: unknown }).type))
      return [];
    const parsed = FunctionToolSchema.safeParse(ref);
    if (!parsed.success) {
      const type = (ref as { type?: unknown }).type;
      if (type !== 'function') {
        throw new AgentdError(
          'invalid_request',
          'unsupported_tool',
          type === 'mcp'
            ? "agentd does not take remote MCP servers in a request: register the server once with POST /v1/tools (adapter type 'mcp') and name it in tools."
            : `The tool type '${String(type)}' is not available.`,
          { param },
        );
      }
      throw partValidationError(parsed.error, param, ref);
    }
    const { name, description, parameters, endpoint } = parsed.data;
    if (parameters) checkFunctionParameters(parameters, `${param}.parameters`);
    return [
      {
        type: 'function' as const,
        name,
        ...(description ? { description } : {}),
        parameters: parameters ?? EMPTY_PARAMETERS,
        ...(endpoint ? { endpoint } : {}),
      },
    ];
  });
}

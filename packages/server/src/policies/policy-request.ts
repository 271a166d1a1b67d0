import type { Principal } from '@agentd/spec';
import type { PolicyAction } from '@agentd/spec/wire';
import type { CedarValueJson, EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import { CEDAR_NAMESPACE } from './cedar-schema.js';

/** The caller as policies see it (a run keeps the principal that created it). */
type Caller = Pick<Principal, 'subject' | 'method' | 'role' | 'userId' | 'groups'>;

/** One authorization question for Cedar. */
export interface PolicyRequest {
  action: PolicyAction;
  principal: TypeAndId;
  resource: TypeAndId;
  context: Record<string, CedarValueJson>;
  entities: EntityJson[];
}

/** Responses that name no agent run as this agent. */
export const DEFAULT_AGENT = 'default';

const uid = (type: string, id: string): TypeAndId => ({ type: `${CEDAR_NAMESPACE}::${type}`, id });

/** The caller's entities: the user (a token's user, or its subject) and the API key, in their groups. */
function callerOf(actor: Caller | undefined): {
  user?: TypeAndId;
  apiKey?: TypeAndId;
  entities: EntityJson[];
} {
  if (!actor) return { entities: [] };
  const groups = (actor.groups ?? []).map((group) => uid('Group', group));
  const entities: EntityJson[] = groups.map((group) => ({ uid: group, attrs: {}, parents: [] }));
  const userId = actor.userId ?? (actor.method === 'api_key' ? undefined : actor.subject);
  const user = userId === undefined ? undefined : uid('User', userId);
  const apiKey = actor.method === 'api_key' ? uid('ApiKey', actor.subject) : undefined;
  for (const entity of [user, apiKey]) {
    if (entity) entities.push({ uid: entity, attrs: { role: actor.role }, parents: groups });
  }
  return { ...(user ? { user } : {}), ...(apiKey ? { apiKey } : {}), entities };
}

/** A caller as a principal: the user when there is one, else the API key. */
function callerPrincipal(actor: Caller): { principal: TypeAndId; entities: EntityJson[] } {
  const caller = callerOf(actor);
  return { principal: (caller.user ?? caller.apiKey)!, entities: caller.entities };
}

/** The caller a run acts for, as context: `user`, `api_key` and `end_user` (the request's `user`). */
function callerContext(
  caller: ReturnType<typeof callerOf>,
  endUser: string | undefined,
): Record<string, CedarValueJson> {
  return {
    ...(caller.user ? { user: { __entity: caller.user } } : {}),
    ...(caller.apiKey ? { api_key: { __entity: caller.apiKey } } : {}),
    ...(endUser === undefined ? {} : { end_user: endUser }),
  };
}

/** `agent` calls tool `tool` with `args`, in a run created by `actor` for `endUser` (the request's `user`). */
export function toolCallRequest(
  actor: Caller | undefined,
  agent: string,
  tool: string,
  args: unknown,
  endUser?: string,
): PolicyRequest {
  const caller = callerOf(actor);
  const principal = uid('Agent', agent);
  const resource = uid('Tool', tool);
  return {
    action: 'call_tool',
    principal,
    resource,
    context: { arguments: toCedarRecord(args), ...callerContext(caller, endUser) },
    entities: [
      ...caller.entities,
      { uid: principal, attrs: {}, parents: [] },
      { uid: resource, attrs: {}, parents: [] },
    ],
  };
}

/** What a run reads: a stored file, or a vector store's passages. */
export interface ReadResource {
  type: 'File' | 'VectorStore';
  id: string;
}

/**
 * `agent`, in a run created by `actor` for `endUser`, reads `resource`
 * through built-in tool `tool` (file_search passages, the code
 * interpreter's files): the caller in the context, as for a tool call.
 */
export function runReadRequest(
  actor: Caller | undefined,
  agent: string,
  resource: ReadResource,
  tool: string,
  endUser?: string,
): PolicyRequest {
  const caller = callerOf(actor);
  const principal = uid('Agent', agent);
  const target = uid(resource.type, resource.id);
  return {
    action: 'read_file',
    principal,
    resource: target,
    context: { ...callerContext(caller, endUser), tool },
    entities: [
      ...caller.entities,
      { uid: principal, attrs: {}, parents: [] },
      { uid: target, attrs: {}, parents: [] },
    ],
  };
}

/** `actor` answers an approval request for `agent`'s call of `tool` with `args`. */
export function approveRequest(actor: Caller, agent: string, tool: string, args: unknown): PolicyRequest {
  const { principal, entities } = callerPrincipal(actor);
  const resource = uid('Tool', tool);
  const agentUid = uid('Agent', agent);
  return {
    action: 'approve',
    principal,
    resource,
    context: { agent: { __entity: agentUid }, arguments: toCedarRecord(args) },
    entities: [
      ...entities,
      { uid: resource, attrs: {}, parents: [] },
      { uid: agentUid, attrs: {}, parents: [] },
    ],
  };
}

/** `actor` does `action` to one resource, with `context`. */
function onResource(
  actor: Caller,
  action: PolicyAction,
  type: string,
  id: string,
  context: Record<string, CedarValueJson> = {},
): PolicyRequest {
  const { principal, entities } = callerPrincipal(actor);
  const resource = uid(type, id);
  return {
    action,
    principal,
    resource,
    context,
    entities: [...entities, { uid: resource, attrs: {}, parents: [] }],
  };
}

/** `actor` creates a response with `agent`. */
export function invokeAgentRequest(actor: Caller, agent: string): PolicyRequest {
  return onResource(actor, 'invoke_agent', 'Agent', agent);
}

/**
 * `actor` reads the content of file `fileId` (GET /v1/files/{id}/content),
 * or a vector store's passages (its search): the caller is the principal,
 * and also in the context, so one `context.user` condition covers a caller's
 * downloads and the runs it starts.
 */
export function readFileRequest(
  actor: Caller,
  fileId: string,
  type: ReadResource['type'] = 'File',
): PolicyRequest {
  return onResource(actor, 'read_file', type, fileId, callerContext(callerOf(actor), undefined));
}

/** `actor` changes something in administrative area `area` (`policies`, `limits`, ...); `id`: the object the path names. */
export function administerRequest(actor: Caller, area: string, method: string, id?: string): PolicyRequest {
  return onResource(actor, 'administer', 'Area', area, {
    method,
    ...(id === undefined ? {} : { id }),
  });
}

/** The audit log's resource for a request's (`Agentd::File::"file_1"` → `{type: 'file', id: 'file_1'}`). */
export function resourceOf(request: PolicyRequest): { type: string; id: string } {
  const type = request.resource.type.replace(`${CEDAR_NAMESPACE}::`, '');
  return { type: type.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase(), id: request.resource.id };
}

/** A tool's arguments (a JSON object) as a Cedar record; see toCedarValue. */
function toCedarRecord(args: unknown): Record<string, CedarValueJson> {
  const value = toCedarValue(args);
  return value !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, CedarValueJson>)
    : {};
}

/**
 * JSON as Cedar: integers are Longs; nulls and numbers Cedar has no Long
 * for (fractions, beyond 2^63) are left out, so a policy's `has` test fails
 * closed on them rather than comparing a different value.
 */
function toCedarValue(value: unknown): CedarValueJson | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (Array.isArray(value))
    return value.map(toCedarValue).filter((item): item is CedarValueJson => item !== undefined);
  if (value !== null && typeof value === 'object') {
    const record: Record<string, CedarValueJson> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = toCedarValue(item);
      // `__entity` and `__extn` keys would be read as entity references or extension values.
      if (converted !== undefined && !key.startsWith('__')) record[key] = converted;
    }
    return record;
  }
  return undefined;
}

/** The audit log's filters as the form holds them (dates as the date input writes them, YYYY-MM-DD). */
export interface AuditFilters {
  types: string;
  actors: string;
  resources: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { types: '', actors: '', resources: '', from: '', to: '' };

/** Event types agentd records, offered as the filter's suggestions (any other type may be typed). */
export const AUDIT_EVENT_TYPES = [
  'agent.created',
  'agent.updated',
  'agent.deleted',
  'api_key.created',
  'api_key.deleted',
  'approval.requested',
  'conversation.deleted',
  'login.succeeded',
  'policy.created',
  'policy.updated',
  'policy.deleted',
  'response.created',
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancel_requested',
  'response.cancelled',
  'secret.stored',
  'secret.deleted',
  'tool.created',
  'tool.updated',
  'tool.deleted',
  'tool_call.started',
  'tool_call.completed',
  'tool_call.denied',
  'vector_store.deleted',
];

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);

/** Local midnight of a YYYY-MM-DD date, in Unix seconds. */
function startOfDay(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return Math.floor(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime() / 1000);
}

/**
 * GET /v1/audit_events's query for the filters: lists split on commas or
 * spaces; `from` and `to` are whole days in the reader's time zone, both
 * included (`to` runs until the next midnight).
 */
export function auditQuery(filters: AuditFilters): Record<string, string[] | number> {
  const query: Record<string, string[] | number> = {};
  const types = list(filters.types);
  const actors = list(filters.actors);
  const resources = list(filters.resources);
  if (types.length > 0) query['event_types[]'] = types;
  if (actors.length > 0) query['actor_ids[]'] = actors;
  if (resources.length > 0) query['resource_ids[]'] = resources;
  const from = startOfDay(filters.from);
  if (from !== undefined) query['effective_at[gte]'] = from;
  const to = startOfDay(filters.to);
  if (to !== undefined) {
    const next = new Date(to * 1000);
    next.setDate(next.getDate() + 1);
    query['effective_at[lt]'] = Math.floor(next.getTime() / 1000);
  }
  return query;
}

interface Actor {
  type?: string;
  api_key?: { id?: string; role?: string; user?: { id?: string } };
  session?: { method?: string; subject?: string; role?: string; user?: { id?: string } };
}

/** Who acted, in a few words, and the id `actor_ids[]` filters on (the user when there is one). */
export function actorOf(actor: Actor | null | undefined): { text: string; id: string | null } {
  if (!actor || actor.type === 'system' || (!actor.api_key && !actor.session))
    return { text: 'agentd (system)', id: null };
  if (actor.api_key) {
    const key = actor.api_key;
    const role = key.role ? ` (${key.role})` : '';
    if (key.user?.id) return { text: `user ${key.user.id}, key ${key.id ?? '?'}${role}`, id: key.user.id };
    return { text: `API key ${key.id ?? '?'}${role}`, id: key.id ?? null };
  }
  const session = actor.session ?? {};
  const id = session.user?.id ?? session.subject ?? null;
  return { text: `user ${id ?? '?'}${session.method ? ` (${session.method})` : ''}`, id };
}

import type { Principal } from '@agentd/spec';

/**
 * Who did it, in the shape of OpenAI's audit log: an API key, a session (a
 * user who signed in with a token), someone whose credential was refused
 * (`anonymous`, with where the request came from), or agentd itself (a run
 * given up after its worker died, a sweeper).
 */
export type AuditActor =
  | {
      type: 'api_key';
      api_key: { id: string; role: string; user?: { id: string } };
    }
  | {
      type: 'session';
      session: { method: 'jwt' | 'paseto'; subject: string; role: string; user?: { id: string } };
    }
  | { type: 'anonymous'; anonymous: { ip_address?: string; user_agent?: string } }
  | { type: 'system' };

export const SYSTEM_ACTOR: AuditActor = { type: 'system' };

/** The object an event is about. */
export interface AuditResource {
  type: string;
  id: string;
}

/**
 * One audit event to record. `type` is noun-verb (`agent.created`,
 * `response.completed`, `login.succeeded`); `data` is the event's payload,
 * keyed by `type` in what the API returns. Secrets never belong in `data`:
 * pass tool arguments through `redactArguments` first.
 */
export interface AuditEventInput {
  tenantId: string;
  type: string;
  actor: AuditActor;
  resource?: AuditResource;
  data: Record<string, unknown>;
  /** When it happened; now when absent. */
  effectiveAt?: Date;
}

/** A recorded event, as stored and chained. */
export interface AuditRecord {
  tenantId: string;
  sequence: number;
  id: string;
  type: string;
  effectiveAt: string;
  actor: AuditActor;
  resource: AuditResource | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The actor a request's principal makes. */
export function actorOf(principal: Principal): AuditActor {
  const user = principal.userId === undefined ? {} : { user: { id: principal.userId } };
  if (principal.method === 'api_key') {
    return { type: 'api_key', api_key: { id: principal.subject, role: principal.role, ...user } };
  }
  return {
    type: 'session',
    session: { method: principal.method, subject: principal.subject, role: principal.role, ...user },
  };
}

/** What `actor_ids[]` filters on: the user when the actor names one, else the key or token subject. */
export function actorIdOf(actor: AuditActor): string | null {
  if (actor.type === 'api_key') return actor.api_key.user?.id ?? actor.api_key.id;
  if (actor.type === 'session') return actor.session.user?.id ?? actor.session.subject;
  return null;
}

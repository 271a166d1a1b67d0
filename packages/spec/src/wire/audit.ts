import { z } from 'zod';
import { PageQuerySchema } from './common.js';

/** One value or several (`?event_types[]=a&event_types[]=b`), as a list. */
const list = (description: string) =>
  z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(50)])
    .transform((value) => (typeof value === 'string' ? [value] : value))
    .optional()
    .meta({ description });

const seconds = (description: string) =>
  z.coerce.number().int().min(0).max(253_402_300_799).optional().meta({ description });

/** The filters of OpenAI's audit log API, with agentd's page parameters. */
export const AuditQuerySchema = PageQuerySchema.extend({
  'event_types[]': list('Only events of these types (`agent.created`, `response.completed`, ...).'),
  'actor_ids[]': list('Only events by these actors: an API key id, or a user id (a token’s user).'),
  'resource_ids[]': list('Only events about these objects (an agent id, a response id, ...).'),
  'effective_at[gt]': seconds('Only events after this Unix time (seconds).'),
  'effective_at[gte]': seconds('Only events at or after this Unix time (seconds).'),
  'effective_at[lt]': seconds('Only events before this Unix time (seconds).'),
  'effective_at[lte]': seconds('Only events at or before this Unix time (seconds).'),
});

export const AuditExportQuerySchema = AuditQuerySchema.omit({ after: true, limit: true, order: true });

const ActorSchema = z
  .object({ type: z.enum(['api_key', 'session', 'anonymous', 'system']) })
  .passthrough()
  .meta({
    id: 'AuditActor',
    description:
      'Who acted: `{"type": "api_key", "api_key": {"id", "role"}}`, `{"type": "session", "session": {"method", "subject", "role", "user"}}` (a JWT or PASETO caller), `{"type": "anonymous", "anonymous": {"ip_address", "user_agent"}}` (a caller whose credential was refused: `login.failed`), or `{"type": "system"}` (agentd itself).',
  });

export const AuditEventSchema = z
  .object({
    object: z.literal('audit_event'),
    id: z.string(),
    type: z
      .string()
      .meta({ description: 'What happened, noun-verb: `agent.created`, `tool_call.denied`, ...' }),
    effective_at: z.number().int().meta({ description: 'When, in Unix seconds.' }),
    actor: ActorSchema,
    resource: z.object({ type: z.string(), id: z.string() }).nullable(),
    chain: z
      .object({
        tenant_id: z.string(),
        sequence: z.number().int(),
        timestamp: z.string().meta({ description: 'effective_at to the millisecond, as hashed.' }),
        prev_hash: z.string(),
        hash: z.string(),
      })
      .meta({ description: 'The event’s link in its tenant’s hash chain (ADR-0021).' }),
  })
  .catchall(z.unknown())
  .meta({
    id: 'AuditEvent',
    description:
      'An audit event; its payload is under a key named after its `type`, as in OpenAI’s audit log.',
  });

export const ChainVerificationSchema = z
  .object({
    object: z.literal('audit_chain.verification'),
    valid: z.boolean(),
    events_verified: z.number().int(),
    head: z.object({ sequence: z.number().int(), hash: z.string() }).nullable(),
    broken: z
      .object({
        sequence: z.number().int(),
        id: z.string().nullable(),
        reason: z.enum(['missing', 'prev_hash_mismatch', 'hash_mismatch', 'head_mismatch']),
      })
      .nullable(),
  })
  .meta({ id: 'AuditChainVerification' });

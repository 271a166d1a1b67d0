import type { Item, ResponseEvent, ResponseObject } from '@agentd/spec';
import type { AuditActor, AuditEventInput } from './audit-event.js';
import { redactArguments } from './redact-arguments.js';

/** The run events the audit log records; every other event (deltas, progress) passes by. */
const ENDS = new Set(['response.completed', 'response.failed', 'response.incomplete', 'response.cancelled']);

/** Whether a batch of run events holds anything the audit log records: checked before any audit work. */
export function hasAuditedEvents(events: readonly ResponseEvent[]): boolean {
  return events.some(isAudited);
}

function isAudited(event: ResponseEvent): boolean {
  return (
    ENDS.has(event.type) ||
    event.type === 'response.tool_call.completed' ||
    event.type === 'response.tool_call.denied' ||
    (event.type === 'response.output_item.done' && event.item.type === 'approval_request')
  );
}

/**
 * The audit events of one batch of a run's events: how the run ended, each
 * tool call once, when it ends (its arguments redacted, and its outcome; a
 * call a worker failure left in flight ends when the run resumes: failed, or
 * run again), calls the control plane denied (a call denied as it was about
 * to run also ends, status `denied`: that row keeps its arguments),
 * approvals asked for. All are about the response, done by whoever
 * created it.
 */
export function auditEventsOfRun(
  tenantId: string,
  responseId: string,
  events: readonly ResponseEvent[],
  actor: AuditActor,
): AuditEventInput[] {
  const resource = { type: 'response', id: responseId };
  const about = (type: string, data: Record<string, unknown>): AuditEventInput => ({
    tenantId,
    type,
    actor,
    resource,
    data: { response_id: responseId, ...data },
  });
  const audited: AuditEventInput[] = [];
  for (const event of events) {
    if (!isAudited(event)) continue;
    switch (event.type) {
      case 'response.completed':
      case 'response.failed':
      case 'response.incomplete':
      case 'response.cancelled':
        audited.push(about(event.type, ended(event.response)));
        break;
      case 'response.tool_call.completed':
        audited.push(
          about('tool_call.completed', {
            call_id: event.call_id,
            name: event.name,
            arguments: redactArguments(event.arguments),
            status: event.status,
            duration_ms: event.duration_ms,
          }),
        );
        break;
      case 'response.tool_call.denied':
        audited.push(
          about('tool_call.denied', {
            call_id: event.call_id,
            name: event.name,
            by: event.by,
            reason: event.reason,
            ...(event.policy_id === undefined ? {} : { policy_id: event.policy_id }),
          }),
        );
        break;
      case 'response.output_item.done':
        if (event.item.type === 'approval_request') {
          audited.push(
            about('approval.requested', {
              approval_request_id: event.item.id,
              call_id: event.item.call_id,
              name: event.item.name,
              arguments: redactArguments(event.item.arguments),
              expires_at: event.item.expires_at,
            }),
          );
        }
        break;
    }
  }
  return audited;
}

function ended(response: ResponseObject): Record<string, unknown> {
  return {
    status: response.status,
    model: response.model,
    error: response.error,
    incomplete_details: response.incomplete_details,
    usage: response.usage,
  };
}

/**
 * The audit events of a response's creation: the response, and each
 * approval answered in its input (granted or rejected, by its creator).
 */
export function auditEventsOfCreate(
  tenantId: string,
  snapshot: ResponseObject,
  input: readonly Item[],
  actor: AuditActor,
): AuditEventInput[] {
  const resource = { type: 'response', id: snapshot.id };
  const created: AuditEventInput = {
    tenantId,
    type: 'response.created',
    actor,
    resource,
    data: {
      response_id: snapshot.id,
      model: snapshot.model,
      agent: snapshot.agent,
      conversation: snapshot.conversation,
      previous_response_id: snapshot.previous_response_id,
      background: snapshot.background,
      tools: snapshot.tools.map(
        (tool) => (tool as { name?: string }).name ?? (tool as { type: string }).type,
      ),
    },
  };
  const answers = input.flatMap((item): AuditEventInput[] =>
    item.type === 'approval_response'
      ? [
          {
            tenantId,
            type: item.approve ? 'approval.granted' : 'approval.rejected',
            actor,
            resource,
            data: {
              response_id: snapshot.id,
              approval_request_id: item.approval_request_id,
              ...(item.reason === undefined ? {} : { reason: item.reason }),
            },
          },
        ]
      : [],
  );
  return [created, ...answers];
}

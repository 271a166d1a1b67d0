import { useId, useState } from 'react';
import type { ApprovalRequestItem, Item } from '../api/types.js';
import { JsonBlock } from './step.js';

/** A tool call waiting for a person: what would run, with which arguments, and the two answers. */
export function ApprovalCard({
  request,
  disabled,
  onAnswer,
}: {
  request: ApprovalRequestItem;
  disabled: boolean;
  onAnswer: (approve: boolean, reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const expired = request.expires_at * 1000 < Date.now();
  return (
    <section className="approval" aria-label={`Approval for ${request.name}`} data-testid="approval">
      <h2>
        Run <code>{request.name}</code>?
      </h2>
      <JsonBlock label="With these arguments" text={request.arguments} />
      {expired ? <p className="muted">This request expired: it counts as denied.</p> : null}
      <label htmlFor={reasonId}>Reason (optional, the agent reads it)</label>
      <input
        id={reasonId}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        disabled={disabled}
      />
      <div className="row">
        <button type="button" className="primary" disabled={disabled} onClick={() => onAnswer(true, reason)}>
          Approve
        </button>
        <button type="button" className="danger" disabled={disabled} onClick={() => onAnswer(false, reason)}>
          Deny
        </button>
      </div>
    </section>
  );
}

/** The approval requests of a thread that no later item answers. */
export function pendingApprovals(items: readonly Item[]): ApprovalRequestItem[] {
  const answered = new Set<string>();
  for (const item of items) if (item.type === 'approval_response') answered.add(item.approval_request_id);
  return items.filter(
    (item): item is ApprovalRequestItem => item.type === 'approval_request' && !answered.has(item.id),
  );
}

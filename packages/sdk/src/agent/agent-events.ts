import type { ApprovalRequestItem, ResponseEvent } from '@agentd/spec';

/** A client-side tool ran in this process; its output went back to the run. */
export interface ClientToolCallCompletedEvent {
  type: 'client_tool_call.completed';
  response_id: string;
  call_id: string;
  name: string;
  arguments: string;
  output: string;
  /** Why the call failed (bad arguments, `execute` threw); null when it succeeded. */
  error: string | null;
}

/** The agent's `onApproval` answered a server-side approval request. */
export interface ApprovalRequestAnsweredEvent {
  type: 'approval_request.answered';
  response_id: string;
  request: ApprovalRequestItem;
  approve: boolean;
  reason: string | undefined;
}

/** What `agent.stream()` yields: every event of every response of the run, and what the SDK did between them. */
export type AgentEvent = ResponseEvent | ClientToolCallCompletedEvent | ApprovalRequestAnsweredEvent;

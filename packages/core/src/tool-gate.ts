/**
 * What stands between a tool call and its execution: the control plane's
 * policies, rate limits, quotas and budgets. A gate sees each call after its
 * arguments have been validated and before it runs; a denial is never
 * executed, goes back to the model as a tool error it can act on, and is
 * recorded in the run's event log as `response.tool_call.denied`.
 */

/** Which control stopped a call. */
export type ToolCallDenialKind = 'policy' | 'rate_limit' | 'quota' | 'budget';

export interface ToolCallDenial {
  by: ToolCallDenialKind;
  /** Why, in words the model and the user may read (names the policy or the limit). */
  reason: string;
  /** The policy that denied it, when a policy did. */
  policyId?: string;
  /** When a retry could succeed (rate limits). */
  retryAfterMs?: number;
}

/** A call as a gate sees it: the tool, its validated arguments, its id. */
export interface GatedToolCall {
  name: string;
  arguments: unknown;
  callId: string;
  /**
   * `approval`: the call needs a person's approval and is about to be put to
   * one. A gate that denies it then (a policy) saves asking; one that counts
   * calls (a rate limit, a quota) waits for the call to run. Absent: the
   * call is about to run.
   */
  stage?: 'approval';
}

/** Answers undefined to let the call run, or the denial. Must not throw for a denial. */
export type ToolCallGate = (call: GatedToolCall, signal: AbortSignal) => Promise<ToolCallDenial | undefined>;

/** Several gates as one: the first denial wins, in order. */
export function allGates(gates: readonly ToolCallGate[]): ToolCallGate | undefined {
  if (gates.length === 0) return undefined;
  if (gates.length === 1) return gates[0];
  return async (call, signal) => {
    for (const gate of gates) {
      const denial = await gate(call, signal);
      if (denial) return denial;
    }
    return undefined;
  };
}

/** What the model reads in place of a denied call's result. */
export function deniedToolOutput(name: string, denial: ToolCallDenial): string {
  const retry =
    denial.retryAfterMs === undefined
      ? ''
      : ` It may succeed after ${Math.ceil(denial.retryAfterMs / 1000)} s.`;
  return `Error: the call to ${name} was not run: ${denial.reason}.${retry}`;
}

import type { ToolCallGate } from '@agentd/core';
import type { StoredRun } from '@agentd/runtime';
import type { ToolGateFactory } from '../responses/gateway-run-environment.js';
import type { RunSpec } from '../responses/run-spec.js';
import { DEFAULT_AGENT, toolCallRequest } from './policy-request.js';
import type { PolicyService } from './policy-service.js';

/**
 * The policies' gate on a run's tool calls: each call is `Agent` →
 * `call_tool` → `Tool` with its arguments, for the caller who created the
 * run. A denial names the policy; the call never runs.
 */
export function policyToolGate(policies: PolicyService): ToolGateFactory {
  return (run: StoredRun<RunSpec>): ToolCallGate => {
    const agent = run.snapshot.agent?.name ?? DEFAULT_AGENT;
    const { principal, user } = run.runSpec;
    return async (call) => {
      const decision = await policies.decide(
        run.tenantId,
        toolCallRequest(principal, agent, call.name, call.arguments, user),
      );
      if (decision.allowed) return undefined;
      return {
        by: 'policy',
        reason: decision.reason,
        ...(decision.policyId ? { policyId: decision.policyId } : {}),
      };
    };
  };
}

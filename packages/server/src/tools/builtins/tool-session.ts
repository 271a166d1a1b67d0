import { createHash } from 'node:crypto';
import type { ToolContext, ToolResult } from '@agentd/core';

/**
 * The key of a call's lasting state (interpreter session, browser context):
 * the tenant and the run's session key, so two tenants never share one. A
 * call without a scope gets a state of its own.
 */
export function sessionOf(context: ToolContext): string {
  const scope = context.scope;
  return scope ? `${scope.tenantId}/${scope.sessionKey}` : `call/${context.callId}`;
}

/** An opaque, stable container id for a session and runtime (it names no tenant). */
export function containerIdOf(session: string, runtime: string): string {
  return `cntr_${createHash('sha256').update(`${runtime}\0${session}`).digest('hex').slice(0, 24)}`;
}

export function toResult(result: ToolResult | string): ToolResult {
  return typeof result === 'string' ? { output: result } : result;
}

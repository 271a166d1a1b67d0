import type { ToolScope } from '@agentd/core';
import type { Principal } from '@agentd/spec';
import { actorOf, SYSTEM_ACTOR } from '../audit/audit-event.js';
import type { ThrottledAudit } from '../audit/throttled-audit.js';
import type { ToolGateFactory } from '../responses/gateway-run-environment.js';
import type { FileReadGuard, ReadTarget, WithheldRead } from '../tools/builtins/file-read-guard.js';
import { DEFAULT_AGENT, runReadRequest } from './policy-request.js';
import type { PolicyService } from './policy-service.js';

/** Who a run reads for: what its tool calls are decided for too. */
interface RunReader {
  principal?: Principal;
  agent: string;
  user?: string;
}

/**
 * The policies' `read_file` on what runs read through built-in tools: the
 * run's agent reads a file or a vector store, for the caller who created the
 * run (in the context, as for tool calls). Each refusal is audited as
 * `policy.denied` (throttled: a model can cause them at will).
 *
 * A run's reader is known from its tool scope, registered when the run is
 * prepared (`register`, one of the run's gate factories, which gates no
 * call itself). A scope not registered reads as agent `default` with no
 * caller: a forbid naming the file or store still applies.
 */
export class RunFileReads implements FileReadGuard {
  private readonly readers = new WeakMap<ToolScope, RunReader>();

  constructor(
    private readonly policies: PolicyService,
    private readonly denials?: ThrottledAudit,
  ) {}

  readonly register: ToolGateFactory = (run, scope) => {
    const { principal, user } = run.runSpec;
    this.readers.set(scope, {
      agent: run.snapshot.agent?.name ?? DEFAULT_AGENT,
      ...(principal ? { principal } : {}),
      ...(user === undefined ? {} : { user }),
    });
    return undefined;
  };

  async withheld(scope: ToolScope, tool: string, targets: readonly ReadTarget[]): Promise<WithheldRead[]> {
    const reader = this.readers.get(scope) ?? {
      agent: DEFAULT_AGENT,
      ...(scope.user === undefined ? {} : { user: scope.user }),
    };
    const unique = new Map(targets.map((target) => [`${target.type}:${target.id}`, target]));
    const refused: WithheldRead[] = [];
    for (const target of unique.values()) {
      const resource = { type: target.type === 'file' ? 'File' : 'VectorStore', id: target.id } as const;
      const decision = await this.policies.decide(
        scope.tenantId,
        runReadRequest(reader.principal, reader.agent, resource, tool, reader.user),
      );
      if (decision.allowed) continue;
      refused.push({ ...target, reason: decision.reason });
      await this.denials?.record({
        tenantId: scope.tenantId,
        type: 'policy.denied',
        actor: reader.principal ? actorOf(reader.principal) : SYSTEM_ACTOR,
        resource: { type: target.type, id: target.id },
        data: {
          action: 'read_file',
          reason: decision.reason,
          ...(decision.policyId === undefined ? {} : { policy_id: decision.policyId }),
          response_id: scope.responseId,
          agent: reader.agent,
          tool,
        },
      });
    }
    return refused;
  }
}

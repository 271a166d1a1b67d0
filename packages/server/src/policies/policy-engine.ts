import { POLICY_ACTIONS, type PolicyAction } from '@agentd/spec/wire';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { Logger } from 'pino';
import { CEDAR_NAMESPACE } from './cedar-schema.js';
import type { PolicyRepository, StoredPolicy } from './policy-repository.js';
import type { PolicyRequest } from './policy-request.js';

/** Cedar's answer, with the policy that decided a denial when one did. */
export type PolicyDecision =
  | { allowed: true }
  | { allowed: false; reason: string; policyId?: string; policyName?: string };

interface CompiledSet {
  version: number;
  checkedAt: number;
  /** The policies by id, for naming a denial; empty: the tenant has none (everything allowed). */
  byId: Map<string, StoredPolicy>;
}

export interface PolicyEngineOptions {
  /** How long a compiled set is trusted before its version is checked against the database again. */
  recheckMs?: number;
  now?: () => number;
}

const DEFAULT_ALLOW = 'agentd-default-allow-';

/**
 * Decides authorization questions with each tenant's Cedar policies. A
 * tenant's set is compiled once (Cedar's preparsed policy sets) and reused
 * until it changes: a change made here invalidates it at once, one made by
 * another process is seen at the next version check (at most `recheckMs`
 * later). See ADR-0022 for the semantics: no policies, or no permit policy
 * for an action, leaves that action allowed; otherwise Cedar decides
 * (default deny, forbid wins), and a forbid policy that cannot be evaluated
 * denies.
 */
export class PolicyEngine {
  private readonly sets = new Map<string, CompiledSet>();
  private readonly loading = new Map<string, Promise<CompiledSet>>();
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly repository: PolicyRepository,
    private readonly logger: Logger,
    options: PolicyEngineOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Forgets a tenant's compiled set (this process changed its policies). */
  invalidate(tenantId: string): void {
    const cached = this.sets.get(tenantId);
    if (cached) cached.checkedAt = Number.NEGATIVE_INFINITY;
    // A load in flight may have read the set before the change.
    this.loading.delete(tenantId);
  }

  async decide(tenantId: string, request: PolicyRequest): Promise<PolicyDecision> {
    const set = await this.setFor(tenantId);
    if (set.byId.size === 0) return { allowed: true };
    const answer = statefulIsAuthorized({
      principal: request.principal,
      action: { type: `${CEDAR_NAMESPACE}::Action`, id: request.action },
      resource: request.resource,
      context: request.context,
      entities: request.entities,
      preparsedPolicySetId: cedarSetId(tenantId, set.version, request.action),
    });
    if (answer.type === 'failure') {
      this.logger.error({ tenant_id: tenantId, errors: answer.errors }, 'a policy decision failed; denying');
      return {
        allowed: false,
        reason: `the policy check failed (${answer.errors[0]?.message ?? 'unknown'})`,
      };
    }
    const { decision, diagnostics } = answer.response;
    // A forbid that could not be evaluated (an argument missing or of another type) denies: fail closed.
    const broken = diagnostics.errors.find((error) => set.byId.get(error.policyId)?.effect === 'forbid');
    if (broken) return this.denial(set, broken.policyId, 'could not be evaluated, so it denies');
    if (decision === 'allow') return { allowed: true };
    const forbidding = diagnostics.reason.find((id) => set.byId.has(id));
    if (forbidding) return this.denial(set, forbidding, 'forbids it');
    return {
      allowed: false,
      reason: `no policy permits ${request.action} on ${request.resource.type}::"${request.resource.id}" for ${request.principal.type}::"${request.principal.id}"`,
    };
  }

  private denial(set: CompiledSet, id: string, what: string): PolicyDecision {
    const policy = set.byId.get(id)!;
    return {
      allowed: false,
      reason: `policy '${policy.name}' (${policy.id}) ${what}`,
      policyId: policy.id,
      policyName: policy.name,
    };
  }

  private async setFor(tenantId: string): Promise<CompiledSet> {
    const cached = this.sets.get(tenantId);
    if (cached && this.now() - cached.checkedAt < this.recheckMs) return cached;
    const inFlight = this.loading.get(tenantId);
    if (inFlight) return inFlight;
    const load = this.load(tenantId, cached).finally(() => {
      if (this.loading.get(tenantId) === load) this.loading.delete(tenantId);
    });
    this.loading.set(tenantId, load);
    return load;
  }

  private async load(tenantId: string, cached: CompiledSet | undefined): Promise<CompiledSet> {
    if (cached && (await this.repository.setVersion(tenantId)) === cached.version) {
      cached.checkedAt = this.now();
      return cached;
    }
    const { version, policies } = await this.repository.policySet(tenantId);
    const set: CompiledSet = {
      version,
      checkedAt: this.now(),
      byId: new Map(policies.map((policy) => [policy.id, policy])),
    };
    if (policies.length > 0) compile((action) => cedarSetId(tenantId, version, action), policies);
    const current = this.sets.get(tenantId);
    if (!current || current.version <= version) {
      this.sets.set(tenantId, set);
      // Cedar keeps preparsed sets until overwritten: empty the replaced one once no decision can still use it.
      if (current && current.version < version && current.byId.size > 0) {
        const replaced = (action: PolicyAction) => cedarSetId(tenantId, current.version, action);
        setTimeout(() => {
          for (const action of POLICY_ACTIONS) preparsePolicySet(replaced(action), {});
        }, 60_000).unref();
      }
    }
    return set;
  }
}

const cedarSetId = (tenantId: string, version: number, action: PolicyAction) =>
  `${tenantId}@${version}#${action}`;

/**
 * Preparses a tenant's policies into Cedar's cache, one set per action (a
 * decision evaluates only the policies that can apply to its action), each
 * with an allow-all permit when no permit policy covers the action: such an
 * action stays allowed (as without policies) unless a forbid says otherwise.
 */
function compile(idOf: (action: PolicyAction) => string, policies: readonly StoredPolicy[]): void {
  for (const action of POLICY_ACTIONS) {
    const applicable = policies.filter((policy) => policy.actions.includes(action));
    const staticPolicies: Record<string, string> = Object.fromEntries(
      applicable.map((p) => [p.id, p.policy]),
    );
    if (!applicable.some((policy) => policy.effect === 'permit')) {
      staticPolicies[`${DEFAULT_ALLOW}${action}`] =
        `permit (principal, action == ${CEDAR_NAMESPACE}::Action::"${action}", resource);`;
    }
    const answer = preparsePolicySet(idOf(action), { staticPolicies });
    if (answer.type === 'failure')
      throw new Error(`stored policies do not parse: ${answer.errors[0]?.message}`);
  }
}

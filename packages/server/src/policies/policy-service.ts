import type { Item, ListPage, PageQuery, Principal } from '@agentd/spec';
import type { SchemaJson } from '@cedar-policy/cedar-wasm/nodejs';
import { actorOf } from '../audit/audit-event.js';
import type { ThrottledAudit } from '../audit/throttled-audit.js';
import { AgentdError } from '../errors.js';
import type { Database } from '../storage/database.js';
import { ToolRepository } from '../tools/tool-repository.js';
import { tenantSchema } from './cedar-schema.js';
import { type CheckedPolicy, checkPolicy } from './policy-check.js';
import type { PolicyDecision, PolicyEngine } from './policy-engine.js';
import {
  type PolicyInput,
  PolicyRepository,
  type PolicyVersion,
  type StoredPolicy,
} from './policy-repository.js';
import {
  administerRequest,
  approveRequest,
  invokeAgentRequest,
  type PolicyRequest,
  readFileRequest,
  resourceOf,
} from './policy-request.js';

/**
 * Tenants' Cedar policies: checked against the schema when written (the
 * tenant's registered tools give `context.arguments` its fields), stored
 * with their versions, and asked before an agent is invoked, a tool call
 * runs or an approval is answered.
 */
export class PolicyService {
  constructor(
    private readonly repository: PolicyRepository,
    private readonly engine: PolicyEngine,
    private readonly tools: ToolRepository,
    /** Where denials are audited (`policy.denied`), throttled: a caller can cause them at will. */
    private readonly denials?: ThrottledAudit,
  ) {}

  /**
   * The same service reading and writing through `db` (a transaction: a
   * change and its audit event). Every read goes through it too: embedded,
   * a read outside an open transaction waits for it to end.
   */
  in(db: Database): PolicyService {
    return new PolicyService(new PolicyRepository(db), this.engine, new ToolRepository(db), this.denials);
  }

  /**
   * Makes this process decide with the tenant's stored set from now on. A
   * write inside a transaction (`in(db)`) calls it again once committed:
   * until then a decision may still read, and cache, the set before it.
   */
  invalidate(tenantId: string): void {
    this.engine.invalidate(tenantId);
  }

  async schemaFor(tenantId: string): Promise<SchemaJson<string>> {
    const tools = await this.tools.all(tenantId);
    return tenantSchema(tools.map((tool) => tool.manifest.input_schema));
  }

  async check(tenantId: string, text: string): Promise<CheckedPolicy> {
    return checkPolicy(text, await this.schemaFor(tenantId));
  }

  async create(tenantId: string, input: PolicyInput): Promise<StoredPolicy> {
    const checked = await this.check(tenantId, input.policy);
    return this.changed(tenantId, await this.repository.create(tenantId, input, checked));
  }

  async update(tenantId: string, id: string, input: PolicyInput): Promise<StoredPolicy> {
    const checked = await this.check(tenantId, input.policy);
    return this.changed(tenantId, await this.repository.update(tenantId, id, input, checked));
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.repository.delete(tenantId, id);
    this.engine.invalidate(tenantId);
  }

  get(tenantId: string, id: string): Promise<StoredPolicy> {
    return this.repository.get(tenantId, id);
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<StoredPolicy>> {
    return this.repository.list(tenantId, page);
  }

  versions(tenantId: string, id: string, page: PageQuery): Promise<ListPage<PolicyVersion>> {
    return this.repository.listVersions(tenantId, id, page);
  }

  decide(tenantId: string, request: PolicyRequest): Promise<PolicyDecision> {
    return this.engine.decide(tenantId, request);
  }

  /**
   * What a new response asks of the policies: that its caller may invoke
   * the agent and answer the approval requests its input answers.
   */
  async authorizeResponse(
    principal: Principal,
    agent: string,
    input: readonly Item[],
    history: readonly Item[],
  ): Promise<void> {
    await this.authorizeInvoke(principal, agent);
    await this.authorizeApprovals(principal, agent, input, history);
  }

  /** Refuses (403) a response whose caller may not invoke `agent`. */
  authorizeInvoke(principal: Principal, agent: string): Promise<void> {
    return this.authorize(
      principal,
      invokeAgentRequest(principal, agent),
      `invoke agent '${agent}'`,
      'agent',
    );
  }

  /** Refuses (403) a caller whom the tenant's policies do not let read file `fileId`'s content. */
  authorizeFileRead(principal: Principal, fileId: string): Promise<void> {
    return this.authorize(principal, readFileRequest(principal, fileId), `read file '${fileId}'`, 'id');
  }

  /** Refuses (403) a caller whom the policies do not let search vector store `storeId` (read its passages). */
  authorizeStoreSearch(principal: Principal, storeId: string): Promise<void> {
    return this.authorize(
      principal,
      readFileRequest(principal, storeId, 'VectorStore'),
      `read vector store '${storeId}'`,
      'id',
    );
  }

  /** Those of `fileIds` whose content the caller may not read (each denial audited), to leave out of what it is shown. */
  async unreadableFiles(principal: Principal, fileIds: Iterable<string>): Promise<Set<string>> {
    const refused = new Set<string>();
    for (const fileId of new Set(fileIds)) {
      const request = readFileRequest(principal, fileId);
      const decision = await this.decide(principal.tenantId, request);
      if (decision.allowed) continue;
      refused.add(fileId);
      await this.audited(principal, request, decision);
    }
    return refused;
  }

  /**
   * Refuses (403) a change in administrative area `area` (`policies`,
   * `limits`, `api_keys`, `tools`, ...) that the tenant's policies do not
   * allow the caller; `id`: the object the request's path names.
   */
  authorizeAdminister(principal: Principal, area: string, method: string, id?: string): Promise<void> {
    const what = id === undefined ? `change ${area}` : `change ${area} '${id}'`;
    return this.authorize(principal, administerRequest(principal, area, method, id), what, 'policy');
  }

  /** A 403 `policy_denied` ("You may not <what>: <reason>.") unless the policies allow `request`; a denial is audited. */
  private async authorize(
    principal: Principal,
    request: PolicyRequest,
    what: string,
    param: string,
  ): Promise<void> {
    const decision = await this.decide(principal.tenantId, request);
    if (decision.allowed) return;
    await this.audited(principal, request, decision);
    throw new AgentdError('permission', 'policy_denied', `You may not ${what}: ${decision.reason}.`, {
      param,
    });
  }

  /** Records a denial as `policy.denied`, about the request's resource. */
  private async audited(
    principal: Principal,
    request: PolicyRequest,
    decision: Extract<PolicyDecision, { allowed: false }>,
  ): Promise<void> {
    await this.denials?.record({
      tenantId: principal.tenantId,
      type: 'policy.denied',
      actor: actorOf(principal),
      resource: resourceOf(request),
      data: {
        action: request.action,
        reason: decision.reason,
        ...(decision.policyId === undefined ? {} : { policy_id: decision.policyId }),
      },
    });
  }

  /**
   * Refuses (403) a response whose input answers an approval request the
   * caller may not answer: answering needs the `approve` action on the tool.
   */
  async authorizeApprovals(
    principal: Principal,
    agent: string,
    input: readonly Item[],
    history: readonly Item[],
  ): Promise<void> {
    const answers = input.filter((item) => item.type === 'approval_response');
    if (answers.length === 0) return;
    const requests = new Map(
      history.flatMap((item) => (item.type === 'approval_request' ? [[item.id, item] as const] : [])),
    );
    for (const answer of answers) {
      const request = requests.get(answer.approval_request_id);
      if (!request) continue;
      const decision = await this.decide(
        principal.tenantId,
        approveRequest(principal, agent, request.name, parseArguments(request.arguments)),
      );
      if (!decision.allowed) {
        await this.audited(
          principal,
          approveRequest(principal, agent, request.name, parseArguments(request.arguments)),
          decision,
        );
        throw new AgentdError(
          'permission',
          'approval_not_permitted',
          `You may not answer approval request ${request.id} (a call to ${request.name}): ${decision.reason}.`,
          { param: 'input' },
        );
      }
    }
  }

  private changed(tenantId: string, policy: StoredPolicy): StoredPolicy {
    this.engine.invalidate(tenantId);
    return policy;
  }
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

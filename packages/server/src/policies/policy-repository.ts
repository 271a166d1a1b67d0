import type { ListPage, PageQuery } from '@agentd/spec';
import type { PolicyAction } from '@agentd/spec/wire';
import { AgentdError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database, Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';
import { versionPage } from '../tenants/version-page.js';
import type { CheckedPolicy } from './policy-check.js';

/** A tenant's policy as the API shows it. */
export interface StoredPolicy {
  id: string;
  object: 'policy';
  name: string;
  description: string | null;
  /** The Cedar text. */
  policy: string;
  effect: 'permit' | 'forbid';
  /** The actions it can apply to. */
  actions: PolicyAction[];
  version: number;
  created_at: number;
  updated_at: number;
}

export interface PolicyVersion extends Omit<StoredPolicy, 'object' | 'updated_at'> {
  object: 'policy.version';
}

export interface PolicyInput {
  name: string;
  description?: string | null | undefined;
  policy: string;
}

interface PolicyRow {
  id: string;
  policy_id?: string;
  name: string;
  description: string | null;
  policy: string;
  effect: 'permit' | 'forbid';
  actions: PolicyAction[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const fields = (row: PolicyRow) => ({
  name: row.name,
  description: row.description,
  policy: row.policy,
  effect: row.effect,
  actions: row.actions,
  version: row.version,
  created_at: toUnixSeconds(row.created_at),
});
const toPolicy = (row: PolicyRow): StoredPolicy => ({
  id: row.id,
  object: 'policy',
  ...fields(row),
  updated_at: toUnixSeconds(row.updated_at),
});
const toVersion = (row: PolicyRow): PolicyVersion => ({
  id: row.policy_id ?? row.id,
  object: 'policy.version',
  ...fields(row),
});

const nameTaken = (name: string) =>
  new AgentdError('conflict', 'policy_name_taken', `A policy named '${name}' already exists.`, {
    param: 'name',
  });
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Tenants' Cedar policies and their immutable versions. Every change bumps
 * the tenant's policy-set version in the same transaction, so that every
 * process sees that its compiled set is stale.
 */
const policies = tenantTable({ name: 'policies', noun: 'policy', present: toPolicy });
const VERSIONS = { table: 'policy_versions', parentColumn: 'policy_id', present: toVersion };

export class PolicyRepository {
  constructor(private readonly db: Database) {}

  async create(tenantId: string, input: PolicyInput, checked: CheckedPolicy): Promise<StoredPolicy> {
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx.query<PolicyRow>(
          `INSERT INTO policies (id, tenant_id, name, description, policy, effect, actions, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 1) RETURNING *`,
          [
            newId('policy'),
            tenantId,
            input.name,
            input.description ?? null,
            input.policy,
            checked.effect,
            JSON.stringify(checked.actions),
          ],
        );
        await insertVersion(tx, tenantId, row!);
        await bumpSetVersion(tx, tenantId);
        return toPolicy(row!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
  }

  async update(
    tenantId: string,
    id: string,
    input: PolicyInput,
    checked: CheckedPolicy,
  ): Promise<StoredPolicy> {
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx.query<PolicyRow>(
          `UPDATE policies SET name = $3, description = $4, policy = $5, effect = $6, actions = $7::jsonb,
             version = version + 1, updated_at = now()
           WHERE tenant_id = $1 AND id = $2 RETURNING *`,
          [
            tenantId,
            id,
            input.name,
            input.description ?? null,
            input.policy,
            checked.effect,
            JSON.stringify(checked.actions),
          ],
        );
        if (!row) throw notFound('policy', id);
        await insertVersion(tx, tenantId, row);
        await bumpSetVersion(tx, tenantId);
        return toPolicy(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
  }

  get(tenantId: string, id: string): Promise<StoredPolicy> {
    return policies.get(this.db, tenantId, id);
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<StoredPolicy>> {
    return policies.list(this.db, tenantId, page);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await policies.delete(tx, tenantId, id);
      await bumpSetVersion(tx, tenantId);
    });
  }

  async listVersions(tenantId: string, id: string, page: PageQuery): Promise<ListPage<PolicyVersion>> {
    await this.get(tenantId, id);
    return versionPage(this.db, VERSIONS, tenantId, id, page, 'after must be a version number.');
  }

  /** Every policy of a tenant and the set's version, read together, for compiling. */
  async policySet(tenantId: string): Promise<{ version: number; policies: StoredPolicy[] }> {
    return this.db.transaction(async (tx) => {
      const version = await setVersion(tx, tenantId);
      const rows = await tx.query<PolicyRow>('SELECT * FROM policies WHERE tenant_id = $1 ORDER BY id', [
        tenantId,
      ]);
      return { version, policies: rows.map(toPolicy) };
    });
  }

  /** The version of a tenant's policy set (0: it never had a policy). */
  async setVersion(tenantId: string): Promise<number> {
    return setVersion(this.db, tenantId);
  }
}

async function setVersion(db: Queryable, tenantId: string): Promise<number> {
  const [row] = await db.query<{ version: string | number }>(
    'SELECT version FROM tenant_policy_sets WHERE tenant_id = $1',
    [tenantId],
  );
  return row ? Number(row.version) : 0;
}

async function bumpSetVersion(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(
    `INSERT INTO tenant_policy_sets (tenant_id, version) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET version = tenant_policy_sets.version + 1`,
    [tenantId],
  );
}

async function insertVersion(tx: Queryable, tenantId: string, row: PolicyRow): Promise<void> {
  await tx.query(
    `INSERT INTO policy_versions (policy_id, tenant_id, version, name, description, policy, effect, actions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [
      row.id,
      tenantId,
      row.version,
      row.name,
      row.description,
      row.policy,
      row.effect,
      JSON.stringify(row.actions),
    ],
  );
}

import type { ListPage, PageQuery, Role } from '@agentd/spec';
import { newId } from '../ids.js';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';
import { hashApiKey, newApiKeySecret, redactApiKey } from './api-key-secret.js';

export interface ApiKey {
  id: string;
  object: 'api_key';
  name: string;
  role: Role;
  scopes: string[] | null;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
}

/** A key as returned once, at creation: the only time its secret is shown. */
export interface CreatedApiKey extends ApiKey {
  value: string;
}

export interface ApiKeyIdentity {
  id: string;
  tenantId: string;
  role: Role;
  /** Undefined: the role's full set. */
  scopes?: string[];
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  role: Role;
  scopes: string[] | null;
  redacted: string;
  created_at: Date;
  last_used_at: Date | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  object: 'api_key',
  name: row.name,
  role: row.role,
  scopes: row.scopes,
  redacted_value: row.redacted,
  created_at: toUnixSeconds(row.created_at),
  last_used_at: row.last_used_at ? toUnixSeconds(row.last_used_at) : null,
});

const COLUMNS = 'id, tenant_id, name, role, scopes, redacted, created_at, last_used_at';

/**
 * How long a verified key is remembered in this process. A key revoked here
 * stops working at once; one revoked through another process within this time.
 */
export const KEY_CACHE_TTL_MS = 5_000;

const apiKeys = tenantTable({ name: 'api_keys', noun: 'api_key', present: toApiKey, columns: COLUMNS });

export class ApiKeyRepository {
  private readonly verified = new Map<string, { identity: ApiKeyIdentity; expires: number }>();
  /** Keys found to exist lately, by id, until when (see isLive). */
  private readonly live = new Map<string, number>();

  constructor(private readonly db: Queryable) {}

  async create(
    tenantId: string,
    input: { name: string; role: Role; scopes?: string[] | undefined; createdBy?: string | undefined },
  ): Promise<CreatedApiKey> {
    const value = newApiKeySecret();
    const [row] = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, tenant_id, name, role, key_hash, redacted, created_by, scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING ${COLUMNS}`,
      [
        newId('apiKey'),
        tenantId,
        input.name,
        input.role,
        hashApiKey(value),
        redactApiKey(value),
        input.createdBy ?? null,
        input.scopes === undefined ? null : JSON.stringify(input.scopes),
      ],
    );
    return { ...toApiKey(row!), value };
  }

  /**
   * Makes `value` the tenant's bootstrap key. With `replace` false it only
   * creates one when there is none, and reports whether it did.
   */
  async putBootstrap(tenantId: string, value: string, replace: boolean): Promise<boolean> {
    this.verified.clear();
    const conflict = replace
      ? 'DO UPDATE SET key_hash = EXCLUDED.key_hash, redacted = EXCLUDED.redacted'
      : 'DO NOTHING';
    const rows = await this.db.query(
      `INSERT INTO api_keys (id, tenant_id, name, role, key_hash, redacted, bootstrap)
       VALUES ($1, $2, 'admin (bootstrap)', 'platform_admin', $3, $4, true)
       ON CONFLICT (tenant_id) WHERE bootstrap ${conflict} RETURNING id`,
      [newId('apiKey'), tenantId, hashApiKey(value), redactApiKey(value)],
    );
    return rows.length > 0;
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<ApiKey>> {
    return apiKeys.list(this.db, tenantId, page);
  }

  get(tenantId: string, id: string): Promise<ApiKey> {
    return apiKeys.get(this.db, tenantId, id);
  }

  /** Drops a key from this process's cache of verified keys (after it was deleted through another repository). */
  forget(id: string): void {
    this.live.delete(id);
    for (const [hash, entry] of this.verified) if (entry.identity.id === id) this.verified.delete(hash);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    this.forget(id);
    await apiKeys.delete(this.db, tenantId, id);
  }

  /** Looks a presented secret up by its hash. The one query not scoped by tenant: it finds the tenant. */
  async findBySecret(value: string): Promise<ApiKeyIdentity | undefined> {
    const hash = hashApiKey(value);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && cached.expires > now) return cached.identity;
    const [row] = await this.db.query<{ id: string; tenant_id: string; role: Role; scopes: string[] | null }>(
      'SELECT id, tenant_id, role, scopes FROM api_keys WHERE key_hash = $1',
      [hash],
    );
    if (!row) {
      this.verified.delete(hash);
      return undefined;
    }
    const identity: ApiKeyIdentity = {
      id: row.id,
      tenantId: row.tenant_id,
      role: row.role,
      ...(row.scopes ? { scopes: row.scopes } : {}),
    };
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(hash, { identity, expires: now + KEY_CACHE_TTL_MS });
    return identity;
  }

  /**
   * Whether the tenant's key `id` still exists: a session token issued from
   * a key stops working once the key is revoked (here at once, through
   * another process within KEY_CACHE_TTL_MS).
   */
  async isLive(tenantId: string, id: string): Promise<boolean> {
    const now = Date.now();
    if ((this.live.get(id) ?? 0) > now) return true;
    const rows = await this.db.query('SELECT 1 FROM api_keys WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (rows.length === 0) {
      this.live.delete(id);
      return false;
    }
    if (this.live.size >= 10_000) this.live.clear();
    this.live.set(id, now + KEY_CACHE_TTL_MS);
    return true;
  }

  async touch(id: string): Promise<void> {
    await this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
  }
}

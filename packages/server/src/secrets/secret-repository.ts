import type { ListPage, PageQuery } from '@agentd/spec';
import { AgentdError } from '../errors.js';
import { newId } from '../ids.js';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';
import type { SecretBox } from './secret-box.js';

export interface SecretInfo {
  id: string;
  object: 'secret';
  name: string;
  created_at: number;
  updated_at: number;
}

interface SecretRow {
  id: string;
  name: string;
  ciphertext: string;
  created_at: Date;
  updated_at: Date;
}

const toInfo = (row: SecretRow): SecretInfo => ({
  id: row.id,
  object: 'secret',
  name: row.name,
  created_at: toUnixSeconds(row.created_at),
  updated_at: toUnixSeconds(row.updated_at),
});

/** A tenant's secrets, sealed at rest; values go in and never come out through the API. */
const secrets = tenantTable({ name: 'secrets', noun: 'secret', present: toInfo });

export class SecretRepository {
  constructor(
    private readonly db: Queryable,
    private readonly box: SecretBox,
  ) {}

  /** The same repository on another connection: a transaction a change joins. */
  in(db: Queryable): SecretRepository {
    return new SecretRepository(db, this.box);
  }

  /** Stores a secret, replacing the value of one with the same name. */
  async put(tenantId: string, name: string, value: string): Promise<SecretInfo> {
    const [row] = await this.db.query<SecretRow>(
      `INSERT INTO secrets (id, tenant_id, name, ciphertext) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = now()
       RETURNING *`,
      [newId('secret'), tenantId, name, this.box.seal(value, `${tenantId}/${name}`)],
    );
    return toInfo(row!);
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<SecretInfo>> {
    return secrets.list(this.db, tenantId, page);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await secrets.delete(this.db, tenantId, id);
  }

  /** Re-seals, under the current master key, every secret still sealed with a previous one. */
  async rewrapAll(): Promise<number> {
    const rows = await this.db.query<SecretRow & { tenant_id: string }>('SELECT * FROM secrets');
    let rewrapped = 0;
    for (const row of rows) {
      const context = `${row.tenant_id}/${row.name}`;
      if (this.box.isCurrent(row.ciphertext, context)) continue;
      const value = this.box.open(row.ciphertext, context);
      await this.db.query('UPDATE secrets SET ciphertext = $2 WHERE id = $1 AND ciphertext = $3', [
        row.id,
        this.box.seal(value, context),
        row.ciphertext,
      ]);
      rewrapped++;
    }
    return rewrapped;
  }

  /** The decrypted value, for a tool call. */
  async reveal(tenantId: string, name: string): Promise<string> {
    const [row] = await this.db.query<SecretRow>('SELECT * FROM secrets WHERE tenant_id = $1 AND name = $2', [
      tenantId,
      name,
    ]);
    if (!row) {
      throw new AgentdError('not_found', 'secret_not_found', `No secret named '${name}' in this tenant.`, {
        param: 'name',
      });
    }
    return this.box.open(row.ciphertext, `${tenantId}/${name}`);
  }
}

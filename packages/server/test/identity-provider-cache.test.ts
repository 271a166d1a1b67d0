/**
 * The identity provider lookup a JWT request needs (which tenants trust its
 * issuer, with their claim mapping) is cached: repeated requests read the
 * database once per TTL, a change made through the same process applies at
 * once, and one made by another process (a second connection, as a second
 * agentd in scaled mode) applies when the TTL runs out. PGlite and PostgreSQL.
 */
import { createTestDatabase, type TestDatabase } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityProviderRepository } from '../src/identity/identity-provider-repository.js';
import type { Database, Queryable } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';
import { TenantRepository } from '../src/tenants/tenant-repository.js';

const ISSUER = 'https://idp.example.com/realms/acme';
const TTL_MS = 5000;

/** A connection that counts the statements that read the providers' table. */
function counting(db: Queryable): Queryable & { reads: number } {
  const counted = {
    reads: 0,
    query: ((sql: string, params?: never) => {
      if (sql.includes('tenant_identity_providers') && /^\s*SELECT/i.test(sql)) counted.reads++;
      return db.query(sql, params);
    }) as Queryable['query'],
    exec: (sql: string) => db.exec(sql),
  };
  return counted;
}

const provider = (audience: string) => ({
  issuer: ISSUER,
  audience,
  claims: { user: 'sub', roles: 'roles', groups: 'groups', scopes: 'scope', tenant: null },
  role_map: {},
  default_role: 'member' as const,
});

describe.each(['pglite', 'postgres'] as const)('identity provider lookups are cached (%s)', (backend) => {
  let database: TestDatabase | undefined;
  let dbs: Database[];
  let tenantId: string;
  let clock = 1_000_000;
  /** This process: it changes providers and authenticates. */
  let here: IdentityProviderRepository;
  let hereDb: ReturnType<typeof counting>;
  /** Another process on the same database: it only authenticates. */
  let there: IdentityProviderRepository;
  let thereDb: ReturnType<typeof counting>;

  beforeAll(async () => {
    if (backend === 'postgres') {
      database = await createTestDatabase('agentd_idp_cache');
      dbs = [await openPostgresDatabase(database.url), await openPostgresDatabase(database.url)];
    } else {
      const db = await openPgliteDatabase();
      dbs = [db, db];
    }
    await migrate(dbs[0]!);
    tenantId = (await new TenantRepository(dbs[0]!).create({ name: 'acme' })).id;
    hereDb = counting(dbs[0]!);
    thereDb = counting(dbs[1]!);
    here = new IdentityProviderRepository(hereDb, { cacheMs: TTL_MS, now: () => clock });
    there = new IdentityProviderRepository(thereDb, { cacheMs: TTL_MS, now: () => clock });
  });
  afterAll(async () => {
    for (const db of new Set(dbs ?? [])) await db.close();
    await database?.drop();
  });

  it('reads the database once per TTL, however many tokens come, for a trusted issuer and an unknown one', async () => {
    await here.put(tenantId, provider('agentd-acme'));
    const before = thereDb.reads;
    for (let i = 0; i < 50; i++) {
      const trusted = await there.trusting(ISSUER);
      expect(trusted.map((t) => [t.tenantId, t.provider.audience])).toEqual([[tenantId, 'agentd-acme']]);
      expect(await there.trusting('https://unknown.example.com')).toEqual([]);
    }
    expect(thereDb.reads - before).toBe(2);
    clock += TTL_MS + 1;
    await there.trusting(ISSUER);
    expect(thereDb.reads - before).toBe(3);
  });

  it('applies a change made in this process at once', async () => {
    await here.trusting(ISSUER);
    await here.put(tenantId, provider('agentd-acme-v2'));
    expect((await here.trusting(ISSUER))[0]?.provider.audience).toBe('agentd-acme-v2');
    await here.delete(tenantId);
    expect(await here.trusting(ISSUER)).toEqual([]);
  });

  it("applies another process's change once its TTL runs out, not before", async () => {
    await here.put(tenantId, provider('agentd-acme'));
    clock += TTL_MS + 1;
    expect(await there.trusting(ISSUER)).toHaveLength(1);
    await here.delete(tenantId);
    clock += TTL_MS - 1;
    // Still trusted in the other process: the most a deleted provider lingers there.
    expect(await there.trusting(ISSUER)).toHaveLength(1);
    clock += 2;
    expect(await there.trusting(ISSUER)).toEqual([]);
  });
});

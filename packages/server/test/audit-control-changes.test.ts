/**
 * Control-plane changes in the audit log: a tenant's identity provider set
 * and removed, a tenant's limits set by a platform admin. Each is recorded in
 * the tenant's chain with who did it, in the transaction of the change.
 */
import { type Agentd, startAgentd } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type AuditView = Record<string, unknown> & { type: string };

describe('identity provider and limits changes are audited (pglite)', () => {
  let agentd: Agentd;
  let platform: ApiClient;
  let tenant: ApiClient;
  let tenantId: string;

  const events = async (client: ApiClient, type: string): Promise<AuditView[]> => {
    const page = await client.get(`/v1/audit_events?event_types[]=${type}`);
    expect(page.status).toBe(200);
    return page.body.data;
  };

  beforeAll(async () => {
    agentd = await startAgentd({
      backend: 'pglite',
      env: { AGENTD_OIDC_ALLOW_HTTP: 'on' },
    });
    platform = agentd.api;
    const created = await platform.post('/v1/tenants', { name: 'acme' });
    expect(created.status).toBe(200);
    tenantId = created.body.id;
    tenant = platform.withKey(created.body.api_key.value);
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('records setting, replacing and removing the identity provider', async () => {
    const first = { issuer: 'https://login.example.com/realms/acme', audience: 'agentd' };
    expect((await tenant.request('PUT', '/v1/tenant/identity_provider', first)).status).toBe(200);
    const second = { issuer: 'https://sso.example.com', audience: 'agentd-acme' };
    expect((await tenant.request('PUT', '/v1/tenant/identity_provider', second)).status).toBe(200);
    expect((await tenant.delete('/v1/tenant/identity_provider')).status).toBe(200);

    const updated = await events(tenant, 'identity_provider.updated');
    expect(updated.map((event) => (event['identity_provider.updated'] as { issuer: string }).issuer)).toEqual(
      [second.issuer, first.issuer],
    );
    expect(updated[0]).toMatchObject({
      actor: { type: 'api_key' },
      resource: { type: 'identity_provider', id: tenantId },
      'identity_provider.updated': { audience: 'agentd-acme', previous_issuer: first.issuer },
    });
    const [deleted] = await events(tenant, 'identity_provider.deleted');
    expect(deleted).toMatchObject({ 'identity_provider.deleted': { issuer: second.issuer } });
    // Nothing recorded for a delete that found nothing.
    expect((await tenant.delete('/v1/tenant/identity_provider')).status).toBe(404);
    expect(await events(tenant, 'identity_provider.deleted')).toHaveLength(1);
  });

  it("records a platform admin setting a tenant's limits in that tenant's log", async () => {
    const settings = { rate_limits: { tenant: { requests: 600, per_seconds: 60 } } };
    expect((await platform.request('PUT', `/v1/tenants/${tenantId}/limits`, settings)).status).toBe(200);
    const [event] = await events(tenant, 'limits.updated');
    expect(event).toMatchObject({
      actor: { type: 'api_key', api_key: { role: 'platform_admin' } },
      resource: { type: 'tenant', id: tenantId },
      'limits.updated': { tenant_id: tenantId, settings },
      chain: { tenant_id: tenantId },
    });
  });
});

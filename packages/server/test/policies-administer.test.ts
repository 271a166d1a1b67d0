/**
 * Cedar's `administer` action on the administrative routes: a change to an
 * area (`api_keys`, `agents`, `tools`, `policies`, ...) is asked of the
 * tenant's policies, on `Agentd::Area::"<area>"` with the path's object in
 * `context.id`; a denial is a 403 naming the policy and an audit event;
 * platform admins are never asked (a tenant's policy cannot lock them out).
 */

import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('administer policies on admin routes (pglite)', () => {
  let agentd: AgentdWithFakeModel;
  /** The bootstrap key: a platform admin. */
  let platform: ApiClient;
  let ops: ApiClient;
  let opsKeyId: string;
  let dev: ApiClient;

  const policy = async (name: string, text: string) => {
    const created = await platform.post('/v1/policies', { name, policy: text });
    expect(created.status).toBe(200);
    return created.body.id as string;
  };
  const remove = async (id: string) => expect((await platform.delete(`/v1/policies/${id}`)).status).toBe(200);
  const agent = (client: ApiClient, name: string) =>
    client.post('/v1/agents', { name, model: 'fake-model', instructions: 'Help.' });

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    platform = agentd.api;
    const opsKey = await platform.post('/v1/api_keys', { name: 'ops', role: 'admin' });
    expect(opsKey.status).toBe(200);
    opsKeyId = opsKey.body.id;
    ops = platform.withKey(opsKey.body.value);
    const devKey = await platform.post('/v1/api_keys', { name: 'dev', role: 'member' });
    expect(devKey.status).toBe(200);
    dev = platform.withKey(devKey.body.value);
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('changes go through while no policy governs administer', async () => {
    expect((await ops.post('/v1/api_keys', { name: 'ci', role: 'member' })).status).toBe(200);
    expect((await agent(dev, 'helper')).status).toBe(200);
  });

  it('a forbid on an area refuses it by name and audits the denial; other areas and platform admins go on', async () => {
    const id = await policy(
      'no-key-minting',
      `forbid (principal == Agentd::ApiKey::"${opsKeyId}", action == Agentd::Action::"administer", resource == Agentd::Area::"api_keys");`,
    );
    try {
      const refused = await ops.post('/v1/api_keys', { name: 'sneaky', role: 'member' });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'policy_denied' });
      expect(refused.body.error.message).toContain(
        `You may not change api_keys: policy 'no-key-minting' (${id}) forbids it`,
      );
      // Nothing was created.
      const keys = await platform.get('/v1/api_keys?limit=100');
      expect(keys.body.data.map((key: { name: string }) => key.name)).not.toContain('sneaky');
      expect((await agent(ops, 'allowed-elsewhere')).status).toBe(200);
      expect((await platform.post('/v1/api_keys', { name: 'by-platform', role: 'member' })).status).toBe(200);

      const audit = await platform.get(
        '/v1/audit_events?event_types[]=policy.denied&resource_ids[]=api_keys',
      );
      expect(audit.body.data[0]).toMatchObject({
        actor: { type: 'api_key', api_key: { id: opsKeyId } },
        resource: { type: 'area', id: 'api_keys' },
        'policy.denied': { action: 'administer', policy_id: id },
      });
    } finally {
      await remove(id);
    }
  });

  it('context.id is the object the path names: a forbid on one agent leaves the others editable', async () => {
    const frozen = await agent(platform, 'frozen');
    const other = await agent(platform, 'other');
    expect([frozen.status, other.status]).toEqual([200, 200]);
    const id = await policy(
      'freeze-agent',
      `forbid (principal, action == Agentd::Action::"administer", resource == Agentd::Area::"agents") when { context has id && context.id == "${frozen.body.id}" };`,
    );
    try {
      const refused = await dev.patch(`/v1/agents/${frozen.body.id}`, { instructions: 'Changed.' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(`You may not change agents '${frozen.body.id}'`);
      expect((await dev.patch(`/v1/agents/${other.body.id}`, { instructions: 'Changed.' })).status).toBe(200);
      expect((await dev.delete(`/v1/agents/${frozen.body.id}`)).status).toBe(403);
    } finally {
      await remove(id);
    }
  });

  it('a permit makes administer an allow-list: only whom it names may change anything', async () => {
    const id = await policy(
      'ops-administers',
      `permit (principal == Agentd::ApiKey::"${opsKeyId}", action == Agentd::Action::"administer", resource);`,
    );
    try {
      const refused = await dev.post('/v1/tools', {
        name: 'lookup',
        input_schema: { type: 'object' },
        adapter: { type: 'http', url: 'https://tools.example.com/lookup' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('no policy permits administer on Agentd::Area::"tools"');
      expect((await agent(ops, 'by-ops')).status).toBe(200);
      // Reading stays open: administer is about changes.
      expect((await dev.get('/v1/agents')).status).toBe(200);
      // And people go on using the platform.
      agentd.fake.enqueue({ text: 'Hello.' });
      const response = await dev.post('/v1/responses', { model: 'fake-model', input: 'Hi' });
      expect(response.status).toBe(200);
    } finally {
      // The platform admin is never asked, so the allow-list can always be lifted.
      await remove(id);
    }
  });
});

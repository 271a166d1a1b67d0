import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cityInput } from './support/http-tools.js';

interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  actor: { type: string; api_key?: { id: string } };
  resource: { type: string; id: string } | null;
  chain: { sequence: number; hash: string; prev_hash: string };
  [key: string]: unknown;
}

/** The tenant's audit events of one resource, oldest first. */
async function eventsOf(api: ApiClient, resourceId: string): Promise<AuditEvent[]> {
  const page = await api.get(`/v1/audit_events?order=asc&limit=100&resource_ids[]=${resourceId}`);
  expect(page.status).toBe(200);
  return page.body.data;
}

describe('the audit log records what happens', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let api: ApiClient;
  let upstream: ToolServer;
  let adminKeyId: string;

  beforeAll(async () => {
    upstream = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
      wire: () => ({ sent: true }),
    });
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    ({ fake, api } = agentd);
    adminKeyId = (await api.get('/v1/me')).body.subject;
  });
  afterAll(async () => {
    await agentd?.close();
    await upstream?.close();
  });
  beforeEach(() => fake.reset());

  it('records agent changes, by the key that made them, with what changed', async () => {
    const created = await api.post('/v1/agents', { name: 'audited-agent', instructions: 'Be brief.' });
    expect(created.status).toBe(200);
    const id = created.body.id;
    expect((await api.patch(`/v1/agents/${id}`, { instructions: 'Be briefer.' })).status).toBe(200);
    expect((await api.delete(`/v1/agents/${id}`)).status).toBe(200);

    const events = await eventsOf(api, id);
    expect(events.map((event) => event.type)).toEqual(['agent.created', 'agent.updated', 'agent.deleted']);
    expect(events[0]).toMatchObject({
      object: 'audit_event',
      actor: { type: 'api_key', api_key: { id: adminKeyId } },
      resource: { type: 'agent', id },
      'agent.created': { id, name: 'audited-agent', version: 1 },
    });
    expect(events[1]!['agent.updated']).toMatchObject({
      version: 2,
      changes: { instructions: 'Be briefer.' },
    });
    expect(Math.abs(events[0]!.effective_at - Date.now() / 1000)).toBeLessThan(60);
  });

  it('records a run: created, each tool call once with its arguments (secrets redacted) and outcome, completed', async () => {
    await api.post('/v1/tools', {
      name: 'weather',
      input_schema: { ...cityInput, properties: { ...cityInput.properties, api_key: { type: 'string' } } },
      adapter: { type: 'http', url: `${upstream.url}/weather` },
    });
    const secret = 'sk-proj-Zk39fQ2mWx81LpRt5vBn7Yc4';
    fake.enqueue(
      {
        toolCalls: [
          {
            id: 'c1',
            name: 'weather',
            arguments: JSON.stringify({ city: 'Oslo', api_key: 'hunter2', note: `use ${secret} please` }),
          },
        ],
      },
      { text: 'Clear in Oslo.' },
    );
    const response = await api.post('/v1/responses', { input: 'Weather in Oslo?', tools: ['weather'] });
    expect(response.body.error).toBeNull();
    expect(response.body.status).toBe('completed');

    const events = await eventsOf(api, response.body.id);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'tool_call.completed',
      'response.completed',
    ]);
    expect(events[0]!['response.created']).toMatchObject({ model: 'fake-model', tools: ['weather'] });
    expect(events[1]!['tool_call.completed']).toEqual({
      response_id: response.body.id,
      call_id: 'c1',
      name: 'weather',
      arguments: { city: 'Oslo', api_key: '[redacted]', note: 'use [redacted api key] please' },
      status: 'completed',
      duration_ms: expect.any(Number),
    });
    expect(events[2]!['response.completed']).toMatchObject({ status: 'completed' });
    expect(events.every((event) => event.actor.api_key?.id === adminKeyId)).toBe(true);
    const exported = await fetch(`${agentd.server.url}/v1/audit_events/export`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
    });
    const text = await exported.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(secret);
  });

  it('records approvals asked for, granted and rejected, and a failed run', async () => {
    await api.post('/v1/tools', {
      name: 'wire_money',
      input_schema: cityInput,
      adapter: { type: 'http', url: `${upstream.url}/wire` },
      requires_approval: true,
    });
    const ask = async () => {
      fake.enqueue({
        toolCalls: [{ id: `w${Math.random()}`, name: 'wire_money', arguments: '{"city":"Bern"}' }],
      });
      return (await api.post('/v1/responses', { input: 'pay', tools: ['wire_money'] })).body;
    };
    const first = await ask();
    fake.enqueue({ text: 'Sent.' });
    const granted = await api.post('/v1/responses', {
      previous_response_id: first.id,
      tools: ['wire_money'],
      input: [{ type: 'approval_response', approval_request_id: first.output[1].id, approve: true }],
    });
    const second = await ask();
    fake.enqueue({ text: 'Not sent.' });
    const rejected = await api.post('/v1/responses', {
      previous_response_id: second.id,
      tools: ['wire_money'],
      input: [
        { type: 'approval_response', approval_request_id: second.output[1].id, approve: false, reason: 'no' },
      ],
    });

    const asked = await eventsOf(api, first.id);
    expect(asked.map((event) => event.type)).toEqual([
      'response.created',
      'approval.requested',
      'response.completed',
    ]);
    expect(asked[1]!['approval.requested']).toMatchObject({
      approval_request_id: first.output[1].id,
      name: 'wire_money',
      arguments: { city: 'Bern' },
    });
    const grantedEvents = await eventsOf(api, granted.body.id);
    expect(grantedEvents.map((event) => event.type)).toContain('approval.granted');
    expect(
      grantedEvents.find((event) => event.type === 'approval.granted')!['approval.granted'],
    ).toMatchObject({
      approval_request_id: first.output[1].id,
    });
    const rejectedEvents = await eventsOf(api, rejected.body.id);
    expect(
      rejectedEvents.find((event) => event.type === 'approval.rejected')!['approval.rejected'],
    ).toMatchObject({ approval_request_id: second.output[1].id, reason: 'no' });

    fake.enqueue({ error: { status: 400, body: { error: { message: 'bad request upstream' } } } });
    const failed = await api.post('/v1/responses', { input: 'fail please' });
    expect(failed.body.status).toBe('failed');
    const failedEvents = await eventsOf(api, failed.body.id);
    expect(failedEvents.map((event) => event.type)).toEqual(['response.created', 'response.failed']);
  });

  it('records a cancelled run', async () => {
    fake.enqueue({ hang: true });
    const created = await api.post('/v1/responses', { input: 'wait', background: true });
    const cancelled = await api.post(`/v1/responses/${created.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    const events = await eventsOf(api, created.body.id);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.cancel_requested',
      'response.cancelled',
    ]);
    expect(events[1]!.actor).toMatchObject({ type: 'api_key', api_key: { id: adminKeyId } });
    expect(events[2]!['response.cancelled']).toMatchObject({ status: 'cancelled' });
  });

  it('records key, secret, tool, network policy and tenant changes, never a secret value', async () => {
    const key = await api.post('/v1/api_keys', { name: 'ci', role: 'member' });
    await api.delete(`/v1/api_keys/${key.body.id}`);
    expect((await eventsOf(api, key.body.id)).map((event) => event.type)).toEqual([
      'api_key.created',
      'api_key.deleted',
    ]);

    const secret = await api.post('/v1/secrets', { name: 'weather-key', value: 'sk-weather-very-secret-1' });
    await api.delete(`/v1/secrets/${secret.body.id}`);
    const secretEvents = await eventsOf(api, secret.body.id);
    expect(secretEvents.map((event) => event.type)).toEqual(['secret.stored', 'secret.deleted']);
    expect(secretEvents[0]!['secret.stored']).toEqual({ id: secret.body.id, name: 'weather-key' });

    const tool = await api.post('/v1/tools', {
      name: 'audited_tool',
      input_schema: cityInput,
      adapter: { type: 'http', url: `${upstream.url}/weather` },
    });
    await api.patch(`/v1/tools/${tool.body.id}`, { description: 'changed' });
    await api.delete(`/v1/tools/${tool.body.id}`);
    expect((await eventsOf(api, tool.body.id)).map((event) => event.type)).toEqual([
      'tool.created',
      'tool.updated',
      'tool.deleted',
    ]);

    const tenant = await api.post('/v1/tenants', { name: 'audited-tenant' });
    expect(tenant.status).toBe(200);
    await api.request('PUT', `/v1/tenants/${tenant.body.id}/network_policy`, {
      allow: ['10.0.0.0/8'],
      deny: [],
    });
    // The creator's chain records the creation; the new tenant's chain starts with it.
    expect((await eventsOf(api, tenant.body.id)).map((event) => event.type)).toEqual(['tenant.created']);
    const own = api.withKey(tenant.body.api_key.value);
    const theirs = await own.get('/v1/audit_events?order=asc');
    expect(theirs.body.data.map((event: AuditEvent) => event.type)).toEqual([
      'tenant.created',
      'network_policy.updated',
    ]);
    expect(theirs.body.data[1]['network_policy.updated']).toMatchObject({ allow: ['10.0.0.0/8'] });

    const exported = await fetch(`${agentd.server.url}/v1/audit_events/export`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
    });
    expect(await exported.text()).not.toContain('sk-weather-very-secret-1');
  });

  it('records policy changes with their text, and sign-ins (session tokens issued)', async () => {
    const text =
      'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"nothing");';
    const policy = await api.post('/v1/policies', { name: 'audited-policy', policy: text });
    expect(policy.status).toBe(200);
    await api.post(`/v1/policies/${policy.body.id}`, {
      name: 'audited-policy',
      policy: text.replace('nothing', 'none'),
    });
    await api.delete(`/v1/policies/${policy.body.id}`);
    const events = await eventsOf(api, policy.body.id);
    expect(events.map((event) => event.type)).toEqual(['policy.created', 'policy.updated', 'policy.deleted']);
    expect(events[1]!['policy.updated']).toMatchObject({
      version: 2,
      effect: 'forbid',
      policy: expect.stringContaining('none'),
    });

    const token = await api.post('/v1/auth/token', { expires_in: 600 });
    expect(token.status).toBe(200);
    const logins = (await api.get('/v1/audit_events?event_types[]=login.succeeded')).body
      .data as AuditEvent[];
    expect(logins[0]).toMatchObject({
      actor: { type: 'api_key', api_key: { id: adminKeyId } },
      'login.succeeded': { token_type: 'paseto', expires_at: token.body.expires_at },
    });
    expect(JSON.stringify(logins)).not.toContain(token.body.token);
  });

  it('refuses the audit log to a member key', async () => {
    const member = await api.post('/v1/api_keys', { name: 'member', role: 'member' });
    const refused = await api.withKey(member.body.value).get('/v1/audit_events');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('audit:read');
  });
});

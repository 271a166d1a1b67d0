import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userTokenSigner } from './support/user-tokens.js';

interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  actor: Record<string, unknown>;
  resource: { type: string; id: string } | null;
  [key: string]: unknown;
}

describe('reading the audit log: pages, filters, denials', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let api: ApiClient;
  let tools: ToolServer;
  let all: AuditEvent[];
  let agentIds: string[];
  let deniedResponseId: string;
  let policyId: string;

  const list = async (query: string) => {
    const page = await api.get(`/v1/audit_events?${query}`);
    expect(page.status).toBe(200);
    return page.body as { data: AuditEvent[]; first_id: string; last_id: string; has_more: boolean };
  };

  beforeAll(async () => {
    const signer = await userTokenSigner();
    tools = await startToolServer({ weather: () => ({ sky: 'clear' }) });
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { AGENTD_PASETO_PUBLIC_KEYS: signer.publicKey },
    });
    ({ fake, api } = agentd);
    agentIds = [];
    for (const name of ['a', 'b', 'c']) agentIds.push((await api.post('/v1/agents', { name })).body.id);
    await api.patch(`/v1/agents/${agentIds[0]}`, { instructions: 'Changed.' });
    await api.post('/v1/tools', {
      name: 'weather',
      input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      adapter: { type: 'http', url: `${tools.url}/weather` },
    });
    const policy = await api.post('/v1/policies', {
      name: 'no-weather',
      policy:
        'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"weather");',
    });
    expect(policy.status).toBe(200);
    policyId = policy.body.id;
    // A user signed in with a token (a session) runs the denied call.
    const alice = new OpenAI({
      baseURL: agentd.baseURL,
      apiKey: await signer.sign({ tenant: 'tenant_default', user: 'alice', groups: [] }),
    });
    fake.enqueue(
      { toolCalls: [{ id: 'w1', name: 'weather', arguments: '{"city":"Rome"}' }] },
      { text: 'No.' },
    );
    const response = await alice.responses.create({ input: 'Weather in Rome?', tools: ['weather'] as never });
    expect(response.status).toBe('completed');
    deniedResponseId = response.id;
    all = (await list('order=asc&limit=100')).data;
  });
  afterAll(async () => {
    await agentd?.close();
    await tools?.close();
  });

  it('records a call a policy denied, by the user who ran it', async () => {
    const denied = all.filter((event) => event.type === 'tool_call.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      actor: { type: 'session', session: { method: 'paseto', user: { id: 'alice' } } },
      resource: { type: 'response', id: deniedResponseId },
      'tool_call.denied': { call_id: 'w1', name: 'weather', by: 'policy', policy_id: policyId },
    });
    // The denial, then the call's end with its arguments: it never ran.
    const call = all.filter((event) => event.resource?.id === deniedResponseId).map((event) => event.type);
    expect(call).toEqual([
      'response.created',
      'tool_call.denied',
      'tool_call.completed',
      'response.completed',
    ]);
    expect(all.find((event) => event.type === 'tool_call.completed')!['tool_call.completed']).toMatchObject({
      call_id: 'w1',
      arguments: { city: 'Rome' },
      status: 'denied',
    });
  });

  it('pages through the log with after, first_id, last_id and has_more, in both orders', async () => {
    const seen: AuditEvent[] = [];
    let after = '';
    for (;;) {
      const page = await list(`order=asc&limit=2${after}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      expect(page.first_id).toBe(page.data[0]!.id);
      expect(page.last_id).toBe(page.data.at(-1)!.id);
      seen.push(...page.data);
      if (!page.has_more) break;
      after = `&after=${page.last_id}`;
    }
    expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));
    const newest = await list('limit=3');
    expect(newest.data.map((event) => event.id)).toEqual(
      all
        .slice(-3)
        .reverse()
        .map((event) => event.id),
    );
    expect(newest.has_more).toBe(true);
  });

  it('filters by type, resource, actor and time', async () => {
    const updates = await list('event_types[]=agent.updated');
    expect(updates.data.map((event) => event.resource?.id)).toEqual([agentIds[0]]);
    const agentChanges = await list('order=asc&event_types[]=agent.created&event_types[]=agent.updated');
    expect(agentChanges.data.map((event) => event.type)).toEqual([
      'agent.created',
      'agent.created',
      'agent.created',
      'agent.updated',
    ]);
    const aboutB = await list(`resource_ids[]=${agentIds[1]}`);
    expect(aboutB.data.map((event) => event.type)).toEqual(['agent.created']);

    const byAlice = await list('order=asc&actor_ids[]=alice');
    expect(byAlice.data.map((event) => event.type)).toEqual([
      'response.created',
      'tool_call.denied',
      'tool_call.completed',
      'response.completed',
    ]);
    const adminKey = (await api.get('/v1/me')).body.subject;
    const byAdmin = await list(`actor_ids[]=${adminKey}&limit=100`);
    expect(byAdmin.data.length + byAlice.data.length).toBe(all.length);

    const now = Math.floor(Date.now() / 1000);
    expect((await list(`effective_at[gt]=${now + 60}`)).data).toEqual([]);
    expect((await list(`effective_at[lte]=${now + 60}&limit=100`)).data).toHaveLength(all.length);
    expect((await list(`effective_at[gte]=${now - 600}&effective_at[lt]=${now - 300}`)).data).toEqual([]);
  });

  it('exports the filtered log as JSON Lines, oldest first', async () => {
    const exported = await fetch(`${agentd.server.url}/v1/audit_events/export?event_types[]=agent.created`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
    });
    expect(exported.headers.get('content-type')).toContain('application/jsonl');
    const lines = (await exported.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.resource.id)).toEqual(agentIds);
  });

  it('names what is wrong with a query', async () => {
    const cursor = await api.get('/v1/audit_events?after=audit_nope');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: 'invalid_cursor', param: 'after' });
    const time = await api.get('/v1/audit_events?effective_at[gt]=yesterday');
    expect(time.status).toBe(400);
    expect(time.body.error.param).toContain('effective_at[gt]');
    const unknown = await api.get('/v1/audit_events?actor=alice');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('actor');
  });
});

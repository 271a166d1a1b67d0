import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type UserTokenSigner, userTokenSigner } from './support/user-tokens.js';

/** The README's example: agent `support` may refund at most 100, and only for users in group `tier2`. */
const REFUND_LIMIT = `forbid (
  principal,
  action == Agentd::Action::"call_tool",
  resource == Agentd::Tool::"refund"
) unless {
  principal == Agentd::Agent::"support" &&
  context.arguments has amount && context.arguments.amount <= 100 &&
  context has user && context.user in Agentd::Group::"tier2"
};`;

describe('Cedar policies on tool calls, end to end', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let api: ApiClient;
  let shop: ToolServer;
  let signer: UserTokenSigner;
  let policyId: string;

  /** The official client, as a user of the tenant with these groups. */
  const clientFor = async (user: string, groups: string[]) =>
    new OpenAI({
      baseURL: agentd.baseURL,
      apiKey: await signer.sign({ tenant: 'tenant_default', user, groups }),
    });
  const refunds = () => shop.calls.filter((call) => call.path === '/refund').map((call) => call.body);
  const askRefund = async (client: OpenAI, amount: number) => {
    fake.enqueue(
      {
        toolCalls: [
          { id: `call_${amount}`, name: 'refund', arguments: JSON.stringify({ order: 'o-1', amount }) },
        ],
      },
      { text: 'Done.' },
    );
    return client.responses.create({ model: 'agent:support', input: `Refund ${amount} on order o-1.` });
  };
  /** What the model read as the refund call's result, in its second request (a Chat Completions tool message). */
  const toolResultSeen = () => {
    const messages = fake.requests.at(-1)?.body.messages as { role: string; content?: string }[];
    return messages.find((message) => message.role === 'tool')?.content;
  };

  beforeAll(async () => {
    signer = await userTokenSigner();
    shop = await startToolServer({
      refund: (body: { order: string; amount: number }) => ({ refunded: body.amount }),
    });
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { AGENTD_PASETO_PUBLIC_KEYS: signer.publicKey },
    });
    ({ fake, api } = agentd);
    const tool = await api.post('/v1/tools', {
      name: 'refund',
      description: 'Refund an order',
      input_schema: {
        type: 'object',
        properties: { order: { type: 'string' }, amount: { type: 'integer' } },
        required: ['order', 'amount'],
      },
      adapter: { type: 'http', url: `${shop.url}/refund` },
    });
    expect(tool.status).toBe(200);
    const agent = await api.post('/v1/agents', { name: 'support', tools: ['refund'] });
    expect(agent.status).toBe(200);
    const policy = await api.post('/v1/policies', {
      name: 'refund-limit',
      description: 'Support refunds up to 100 for tier2 users',
      policy: REFUND_LIMIT,
    });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({
      object: 'policy',
      effect: 'forbid',
      actions: ['call_tool'],
      version: 1,
    });
    policyId = policy.body.id;
  });
  afterAll(async () => {
    await agentd?.close();
    await shop?.close();
  });
  beforeEach(() => fake.reset());

  it('runs a refund of 50 for a tier2 user', async () => {
    const response = await askRefund(await clientFor('alice', ['tier2']), 50);
    expect(response.error).toBeNull();
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Done.');
    expect(toolResultSeen()).toContain('{"refunded":50}');
    expect(refunds()).toContainEqual({ order: 'o-1', amount: 50 });
  });

  it('denies a refund of 500: the model reads the policy, the log records it, the shop never hears of it', async () => {
    const response = await askRefund(await clientFor('alice', ['tier2']), 500);
    expect(response.status).toBe('completed');
    expect(toolResultSeen()).toContain(
      `Error: the call to refund was not run: policy 'refund-limit' (${policyId}) forbids it.`,
    );
    expect(refunds().map((body) => (body as { amount: number }).amount)).not.toContain(500);
    const events = await api.get(`/v1/responses/${response.id}/events`);
    expect(
      events.body.data.filter((event: { type: string }) => event.type === 'response.tool_call.denied'),
    ).toEqual([
      expect.objectContaining({
        type: 'response.tool_call.denied',
        call_id: 'call_500',
        name: 'refund',
        by: 'policy',
        policy_id: policyId,
        reason: `policy 'refund-limit' (${policyId}) forbids it`,
      }),
    ]);
  });

  it('denies a refund of 50 for a user outside tier2, and for an API key with no user', async () => {
    const before = refunds().length;
    const tier1 = await askRefund(await clientFor('bob', ['tier1']), 50);
    expect(toolResultSeen()).toContain(`policy 'refund-limit' (${policyId}) forbids it`);
    expect(tier1.status).toBe('completed');
    const keyed = await askRefund(
      new OpenAI({ baseURL: agentd.baseURL, apiKey: agentd.server.adminKey }),
      50,
    );
    expect(keyed.status).toBe('completed');
    expect(toolResultSeen()).toContain(`policy 'refund-limit' (${policyId}) forbids it`);
    expect(refunds().length).toBe(before);
  });

  it('applies a new version at once, keeps every version, and allows again once deleted', async () => {
    const raised = await api.post(`/v1/policies/${policyId}`, {
      name: 'refund-limit',
      policy: REFUND_LIMIT.replace('<= 100', '<= 1000'),
    });
    expect(raised.status).toBe(200);
    expect(raised.body.version).toBe(2);
    expect((await askRefund(await clientFor('alice', ['tier2']), 500)).status).toBe('completed');
    expect(toolResultSeen()).toContain('{"refunded":500}');

    const versions = await api.get(`/v1/policies/${policyId}/versions?order=asc`);
    expect(
      versions.body.data.map((v: { version: number; policy: string }) => [
        v.version,
        v.policy.includes('<= 1000'),
      ]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    const listed = await api.get('/v1/policies');
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([policyId]);

    expect((await api.delete(`/v1/policies/${policyId}`)).body).toEqual({
      id: policyId,
      object: 'policy',
      deleted: true,
    });
    expect((await api.get(`/v1/policies/${policyId}`)).status).toBe(404);
    // No policies: everything is allowed, as without Cedar.
    await askRefund(await clientFor('bob', []), 5000);
    expect(toolResultSeen()).toContain('{"refunded":5000}');
  });

  it('refuses a policy that does not parse or validate with a 400 naming the line', async () => {
    const unparsable = await api.post('/v1/policies', {
      name: 'broken',
      policy:
        'permit (\n  principal,\n  action == Agentd::Action::"call_tool",\n  resource\n) when { context.arguments.amount <= };',
    });
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.error).toMatchObject({ code: 'invalid_policy', param: 'policy' });
    expect(unparsable.body.error.message).toMatch(
      /^The policy does not parse: line 5, column \d+: unexpected token/,
    );

    const misspelt = await api.post('/v1/policies/validate', {
      policy:
        'forbid (principal, action == Agentd::Action::"call_tool", resource)\nwhen { context.arguments has amount && context.arguments.amont > 5 };',
    });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.message).toMatch(/line 2, column \d+: .*amont.*did you mean `amount`/);

    // Columns count characters, not UTF-8 bytes: the error sits after non-ASCII text.
    const accented = '// Rückerstattung in €\npermit (principal, action, resource)\n  when { "ü€" <= };';
    const broken = await api.post('/v1/policies/validate', { policy: accented });
    expect(broken.status).toBe(400);
    const column = (accented.split('\n')[2] ?? '').indexOf('}') + 1;
    expect(broken.body.error.message).toContain(`line 3, column ${column}: unexpected token`);

    const unknownAction = await api.post('/v1/policies', {
      name: 'broken',
      policy: 'permit (principal, action == Agentd::Action::"fly", resource);',
    });
    expect(unknownAction.status).toBe(400);
    expect(unknownAction.body.error.message).toContain('line 1, column');
    const stored = (await api.get('/v1/policies')).body.data.map((p: { name: string }) => p.name);
    expect(stored).not.toContain('broken');

    const valid = await api.post('/v1/policies/validate', { policy: REFUND_LIMIT });
    expect(valid.body).toEqual({
      object: 'policy.validation',
      valid: true,
      effect: 'forbid',
      actions: ['call_tool'],
    });
  });

  it('documents the routes and their permissions, and keeps members out', async () => {
    const doc = (await api.get('/openapi.json')).body;
    expect(doc.paths['/v1/policies'].post['x-agentd-permission']).toBe('policies:write');
    expect(doc.paths['/v1/policies/{id}/versions'].get['x-agentd-permission']).toBe('policies:read');
    const member = await api.post('/v1/api_keys', { name: 'member', role: 'member' });
    const asMember = api.withKey(member.body.value);
    const refused = await asMember.post('/v1/policies', {
      name: 'mine',
      policy: 'permit (principal, action, resource);',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('policies:write');
    expect((await asMember.get('/v1/policies')).status).toBe(403);
    const schema = await api.get('/v1/policies/schema');
    expect(schema.body.cedar).toContain('action call_tool');
    expect(schema.body.json.Agentd.commonTypes.Arguments.attributes.amount).toEqual({
      type: 'Long',
      required: false,
    });
  });
});

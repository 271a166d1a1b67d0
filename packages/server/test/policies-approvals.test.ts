import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type UserTokenSigner, userTokenSigner } from './support/user-tokens.js';

describe('Cedar policies on approvals and agents', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let admin: ApiClient;
  let member: ApiClient;
  let bank: ToolServer;
  let signer: UserTokenSigner;

  const asUser = async (user: string, groups: string[]) =>
    admin.withKey(await signer.sign({ tenant: 'tenant_default', user, groups }));
  const wires = () => bank.calls.filter((call) => call.path === '/wire').length;
  /** A member's response whose wire_money call waits for approval. */
  const pendingWire = async () => {
    fake.enqueue({
      toolCalls: [{ id: `w${wires()}${Date.now()}`, name: 'wire_money', arguments: '{"amount":10}' }],
    });
    const first = await member.post('/v1/responses', { input: 'pay', tools: ['wire_money'] });
    expect(first.body.output.map((item: { type: string }) => item.type)).toEqual([
      'function_call',
      'approval_request',
    ]);
    return first.body as { id: string; output: { id: string }[] };
  };
  const answer = (client: ApiClient, pending: { id: string; output: { id: string }[] }) => {
    fake.enqueue({ text: 'Sent.' });
    return client.post('/v1/responses', {
      previous_response_id: pending.id,
      tools: ['wire_money'],
      input: [{ type: 'approval_response', approval_request_id: pending.output[1]!.id, approve: true }],
    });
  };

  beforeAll(async () => {
    signer = await userTokenSigner();
    bank = await startToolServer({ wire: () => ({ sent: true }) });
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { AGENTD_PASETO_PUBLIC_KEYS: signer.publicKey },
    });
    ({ fake, api: admin } = agentd);
    const key = await admin.post('/v1/api_keys', { name: 'app', role: 'member' });
    member = admin.withKey(key.body.value);
    const tool = await admin.post('/v1/tools', {
      name: 'wire_money',
      input_schema: { type: 'object', properties: { amount: { type: 'integer' } } },
      adapter: { type: 'http', url: `${bank.url}/wire` },
      requires_approval: true,
    });
    expect(tool.status).toBe(200);
  });
  afterAll(async () => {
    await agentd?.close();
    await bank?.close();
  });
  beforeEach(() => fake.reset());

  it('lets the key that created a response answer its approval while no policy governs approve', async () => {
    const before = wires();
    const granted = await answer(member, await pendingWire());
    expect(granted.status).toBe(200);
    expect(wires()).toBe(before + 1);
  });

  it('once a policy names the approvers, only they may answer: a key that may create responses may not', async () => {
    const created = await admin.post('/v1/policies', {
      name: 'approvers',
      policy:
        'permit (\n  principal in Agentd::Group::"approvers",\n  action == Agentd::Action::"approve",\n  resource == Agentd::Tool::"wire_money"\n);',
    });
    expect(created.body).toMatchObject({ effect: 'permit', actions: ['approve'] });
    const before = wires();
    // Creating responses and calling tools are not governed by it: the member still gets its approval request.
    const pending = await pendingWire();

    const byMember = await answer(member, pending);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error).toMatchObject({ code: 'approval_not_permitted', param: 'input' });
    expect(byMember.body.error.message).toContain(
      `You may not answer approval request ${pending.output[1]!.id} (a call to wire_money): no policy permits approve`,
    );
    const byOutsider = await answer(await asUser('dave', ['support']), pending);
    expect(byOutsider.status).toBe(403);
    expect(wires()).toBe(before);

    const byApprover = await answer(await asUser('carol', ['approvers']), pending);
    expect(byApprover.status).toBe(200);
    expect(byApprover.body.output[0]).toMatchObject({
      type: 'function_call_output',
      output: '{"sent":true}',
    });
    expect(wires()).toBe(before + 1);
  });

  it('refuses a response whose caller may not invoke the agent, naming the policy', async () => {
    await admin.post('/v1/agents', { name: 'payroll', instructions: 'Pay people.' });
    const policy = await admin.post('/v1/policies', {
      name: 'payroll-is-hr',
      policy:
        'forbid (principal, action == Agentd::Action::"invoke_agent", resource == Agentd::Agent::"payroll")\nunless { principal in Agentd::Group::"hr" };',
    });
    const refused = await (await asUser('erin', ['sales'])).post('/v1/responses', {
      model: 'agent:payroll',
      input: 'Pay me twice.',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'policy_denied', param: 'agent' });
    expect(refused.body.error.message).toBe(
      `You may not invoke agent 'payroll': policy 'payroll-is-hr' (${policy.body.id}) forbids it.`,
    );
    // Chat Completions asks the same policies.
    const chat = await (await asUser('erin', ['sales'])).post('/v1/chat/completions', {
      model: 'agent:payroll',
      messages: [{ role: 'user', content: 'Pay me twice.' }],
    });
    expect(chat.status).toBe(403);
    expect(chat.body.error.message).toContain(`policy 'payroll-is-hr' (${policy.body.id}) forbids it`);
    fake.enqueue({ text: 'Paid.' });
    const allowed = await (await asUser('frank', ['hr'])).post('/v1/responses', {
      model: 'agent:payroll',
      input: 'Pay the team.',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body.status).toBe('completed');
  });

  it("keeps each tenant's policies to itself", async () => {
    const tenant = await admin.post('/v1/tenants', { name: 'locked-down' });
    const other = admin.withKey(tenant.body.api_key.value);
    const lockdown = await other.post('/v1/policies', {
      name: 'nothing',
      policy: 'forbid (principal, action, resource);',
    });
    expect(lockdown.status).toBe(200);
    expect((await other.post('/v1/responses', { input: 'hi' })).status).toBe(403);
    // The default tenant is untouched: its agents run, and it sees none of the other's policies.
    fake.enqueue({ text: 'Hello.' });
    expect((await member.post('/v1/responses', { input: 'hi' })).body.status).toBe('completed');
    const names = (await admin.get('/v1/policies?limit=100')).body.data.map((p: { name: string }) => p.name);
    expect(names).not.toContain('nothing');
    expect((await admin.get(`/v1/policies/${lockdown.body.id}`)).status).toBe(404);
  });

  it('checks a call against the policies before asking for its approval: a denied call is never put to a person', async () => {
    const policy = await admin.post('/v1/policies', {
      name: 'wire-limit',
      policy:
        'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"wire_money")\nwhen { context.arguments has amount && context.arguments.amount > 100 };',
    });
    expect(policy.status).toBe(200);
    const before = wires();
    fake.enqueue(
      { toolCalls: [{ id: 'w_big', name: 'wire_money', arguments: '{"amount":500}' }] },
      { text: 'That transfer is not allowed.' },
    );
    const run = await member.post('/v1/responses', { input: 'pay 500', tools: ['wire_money'] });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('completed');
    const types = run.body.output.map((item: { type: string }) => item.type);
    expect(types).not.toContain('approval_request');
    expect(types).toEqual(['function_call', 'function_call_output', 'message']);
    expect(run.body.output[1].output).toBe(
      `Error: the call to wire_money was not run: policy 'wire-limit' (${policy.body.id}) forbids it.`,
    );
    const events = await member.get(`/v1/responses/${run.body.id}/events?limit=100`);
    const denied = events.body.data.find(
      (event: { type: string }) => event.type === 'response.tool_call.denied',
    );
    expect(denied).toMatchObject({ call_id: 'w_big', by: 'policy', policy_id: policy.body.id });
    expect(wires()).toBe(before);
    // A call the policy allows still waits for a person.
    await pendingWire();
    expect((await admin.request('DELETE', `/v1/policies/${policy.body.id}`)).status).toBe(200);
  });
});

/**
 * Cedar's `read_file` action on file downloads: a tenant's policies decide
 * who may read which file's content (GET /v1/files/{id}/content), through the
 * official `openai` client as a user would download a file.
 */
import { type AgentdWithFakeModel, openaiOptions, startAgentdWithFakeModel } from '@agentd/test-server';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('read_file policies on file downloads (pglite)', () => {
  let agentd: AgentdWithFakeModel;
  let admin: OpenAI;
  let member: OpenAI;
  let memberKeyId: string;
  let payroll: string;
  let handbook: string;

  const upload = async (name: string, text: string) =>
    (await admin.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'assistants' })).id;
  const read = async (client: OpenAI, id: string) => (await client.files.content(id)).text();
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: InstanceType<typeof OpenAI.APIError>) => ({
        status: error.status,
        code: (error.error as { code?: string } | undefined)?.code,
        message: error.message,
      }),
    );

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    admin = new OpenAI(openaiOptions(agentd));
    const key = await agentd.api.post('/v1/api_keys', { name: 'clerk', role: 'member' });
    expect(key.status).toBe(200);
    memberKeyId = key.body.id;
    member = new OpenAI({ ...openaiOptions(agentd), apiKey: key.body.value });
    payroll = await upload('payroll.csv', 'name,salary\nada,100\n');
    handbook = await upload('handbook.txt', 'Be kind.');
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('lets anyone with files:read download while no policy governs read_file', async () => {
    expect(await read(member, payroll)).toBe('name,salary\nada,100\n');
  });

  it('refuses a download a forbid names, with the policy in the 403, and leaves other files readable', async () => {
    const created = await agentd.api.post('/v1/policies', {
      name: 'payroll-is-private',
      policy: `forbid (principal == Agentd::ApiKey::"${memberKeyId}", action == Agentd::Action::"read_file", resource == Agentd::File::"${payroll}");`,
    });
    expect(created.status).toBe(200);
    const refused = await refusal(read(member, payroll));
    expect(refused).toMatchObject({ status: 403, code: 'policy_denied' });
    expect(refused?.message).toContain(`You may not read file '${payroll}'`);
    expect(refused?.message).toContain(`policy 'payroll-is-private' (${created.body.id}) forbids it`);
    expect(await read(member, handbook)).toBe('Be kind.');
    // The forbid names the member's key only: the admin still reads it.
    expect(await read(admin, payroll)).toBe('name,salary\nada,100\n');
    expect((await agentd.api.delete(`/v1/policies/${created.body.id}`)).status).toBe(200);
    expect(await read(member, payroll)).toBe('name,salary\nada,100\n');
  });

  it('once a permit governs read_file, only what it permits is readable (Cedar denies by default)', async () => {
    const created = await agentd.api.post('/v1/policies', {
      name: 'handbook-for-all',
      policy: `permit (principal, action == Agentd::Action::"read_file", resource == Agentd::File::"${handbook}");`,
    });
    expect(created.status).toBe(200);
    expect(await read(member, handbook)).toBe('Be kind.');
    expect(await refusal(read(member, payroll))).toMatchObject({ status: 403, code: 'policy_denied' });
    expect((await agentd.api.delete(`/v1/policies/${created.body.id}`)).status).toBe(200);
  });
});

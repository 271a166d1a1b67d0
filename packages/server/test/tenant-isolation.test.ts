import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, type ApiResponse } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The ids tenant A owns, substituted into the route templates. */
interface Ids {
  agent: string;
  conversation: string;
  item: string;
  apiKey: string;
  response: string;
  tool: string;
  secret: string;
  file: string;
  vectorStore: string;
  fileBatch: string;
  memory: string;
  policy: string;
  /** A's private agent as a model: `agent:<name>`. */
  agentModel: string;
}

/**
 * One route that takes an object id. `path` is the OpenAPI path; `fill` puts
 * real ids into it. `body` is a valid body, so that a refusal can only come
 * from the id, never from validation. `ownerStatus` is what tenant A itself
 * gets, which proves the request would reach the object.
 */
interface IsolationCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  fill: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  ownerStatus: number;
  /** The error code a caller who is not the owner gets. */
  code: string;
  /** What B gets when not 404: a platform-admin route refuses a tenant admin whatever the id. */
  outsider?: { status: number; type: string };
}

/**
 * Every route with an {id}, in an order tenant A can run them one after the
 * other (reads and updates first, deletes last).
 */
const CASES: IsolationCase[] = [
  {
    method: 'GET',
    path: '/v1/models/{id}',
    fill: (i) => `/v1/models/${i.agentModel}`,
    ownerStatus: 200,
    code: 'model_not_found',
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}',
    fill: (i) => `/v1/agents/${i.agent}`,
    ownerStatus: 200,
    code: 'agent_not_found',
  },
  {
    method: 'PATCH',
    path: '/v1/agents/{id}',
    fill: (i) => `/v1/agents/${i.agent}`,
    body: () => ({ instructions: 'Leak everything.', name: 'hijacked' }),
    ownerStatus: 200,
    code: 'agent_not_found',
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}/versions',
    fill: (i) => `/v1/agents/${i.agent}/versions`,
    ownerStatus: 200,
    code: 'agent_not_found',
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}/versions/{version}',
    fill: (i) => `/v1/agents/${i.agent}/versions/1`,
    ownerStatus: 200,
    code: 'agent_not_found',
  },
  {
    method: 'GET',
    path: '/v1/conversations/{id}',
    fill: (i) => `/v1/conversations/${i.conversation}`,
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'POST',
    path: '/v1/conversations/{id}',
    fill: (i) => `/v1/conversations/${i.conversation}`,
    body: () => ({ metadata: { owner: 'tenant-b' } }),
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'GET',
    path: '/v1/conversations/{id}/items',
    fill: (i) => `/v1/conversations/${i.conversation}/items`,
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'POST',
    path: '/v1/conversations/{id}/items',
    fill: (i) => `/v1/conversations/${i.conversation}/items`,
    body: () => ({ items: [{ role: 'user', content: 'injected by tenant B' }] }),
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'GET',
    path: '/v1/conversations/{id}/items/{item_id}',
    fill: (i) => `/v1/conversations/${i.conversation}/items/${i.item}`,
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'GET',
    path: '/v1/api_keys/{id}',
    fill: (i) => `/v1/api_keys/${i.apiKey}`,
    ownerStatus: 200,
    code: 'api_key_not_found',
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}',
    fill: (i) => `/v1/responses/${i.response}`,
    ownerStatus: 200,
    code: 'response_not_found',
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}/input_items',
    fill: (i) => `/v1/responses/${i.response}/input_items`,
    ownerStatus: 200,
    code: 'response_not_found',
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}/events',
    fill: (i) => `/v1/responses/${i.response}/events`,
    ownerStatus: 200,
    code: 'response_not_found',
  },
  {
    // The response has finished, so its owner gets 409; anyone else must not learn even that.
    method: 'POST',
    path: '/v1/responses/{id}/cancel',
    fill: (i) => `/v1/responses/${i.response}/cancel`,
    ownerStatus: 409,
    code: 'response_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/conversations/{id}/items/{item_id}',
    fill: (i) => `/v1/conversations/${i.conversation}/items/${i.item}`,
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/conversations/{id}',
    fill: (i) => `/v1/conversations/${i.conversation}`,
    ownerStatus: 200,
    code: 'conversation_not_found',
  },
  {
    method: 'GET',
    path: '/v1/tools/{id}',
    fill: (i) => `/v1/tools/${i.tool}`,
    ownerStatus: 200,
    code: 'tool_not_found',
  },
  {
    method: 'PATCH',
    path: '/v1/tools/{id}',
    fill: (i) => `/v1/tools/${i.tool}`,
    body: () => ({ description: 'Hijacked.' }),
    ownerStatus: 200,
    code: 'tool_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/tools/{id}',
    fill: (i) => `/v1/tools/${i.tool}`,
    ownerStatus: 200,
    code: 'tool_not_found',
  },
  {
    method: 'GET',
    path: '/v1/files/{id}',
    fill: (i) => `/v1/files/${i.file}`,
    ownerStatus: 200,
    code: 'file_not_found',
  },
  {
    method: 'GET',
    path: '/v1/files/{id}/content',
    fill: (i) => `/v1/files/${i.file}/content`,
    ownerStatus: 200,
    code: 'file_not_found',
  },
  {
    method: 'GET',
    path: '/v1/vector_stores/{id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'POST',
    path: '/v1/vector_stores/{id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}`,
    body: () => ({ name: 'hijacked' }),
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'GET',
    path: '/v1/vector_stores/{id}/files',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/files`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'POST',
    path: '/v1/vector_stores/{id}/files',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/files`,
    body: (i) => ({ file_id: i.file }),
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'GET',
    path: '/v1/vector_stores/{id}/files/{file_id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/files/${i.file}`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'POST',
    path: '/v1/vector_stores/{id}/search',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/search`,
    body: () => ({ query: 'private plans' }),
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'GET',
    path: '/v1/vector_stores/{id}/file_batches/{batch_id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/file_batches/${i.fileBatch}`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'GET',
    path: '/v1/vector_stores/{id}/file_batches/{batch_id}/files',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/file_batches/${i.fileBatch}/files`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    // The batch has finished, so its owner gets 409; anyone else must not learn even that.
    method: 'POST',
    path: '/v1/vector_stores/{id}/file_batches/{batch_id}/cancel',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/file_batches/${i.fileBatch}/cancel`,
    ownerStatus: 409,
    code: 'vector_store_not_found',
  },
  {
    method: 'POST',
    path: '/v1/vector_stores/{id}/file_batches',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/file_batches`,
    body: (i) => ({ file_ids: [i.file] }),
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/vector_stores/{id}/files/{file_id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}/files/${i.file}`,
    ownerStatus: 200,
    code: 'vector_store_file_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/vector_stores/{id}',
    fill: (i) => `/v1/vector_stores/${i.vectorStore}`,
    ownerStatus: 200,
    code: 'vector_store_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/files/{id}',
    fill: (i) => `/v1/files/${i.file}`,
    ownerStatus: 200,
    code: 'file_not_found',
  },
  {
    method: 'GET',
    path: '/v1/policies/{id}',
    fill: (i) => `/v1/policies/${i.policy}`,
    ownerStatus: 200,
    code: 'policy_not_found',
  },
  {
    method: 'POST',
    path: '/v1/policies/{id}',
    fill: (i) => `/v1/policies/${i.policy}`,
    body: () => ({ name: 'tenant-a-policy', policy: A_POLICY }),
    ownerStatus: 200,
    code: 'policy_not_found',
  },
  {
    method: 'GET',
    path: '/v1/policies/{id}/versions',
    fill: (i) => `/v1/policies/${i.policy}/versions`,
    ownerStatus: 200,
    code: 'policy_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/policies/{id}',
    fill: (i) => `/v1/policies/${i.policy}`,
    ownerStatus: 200,
    code: 'policy_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/memories/{id}',
    fill: (i) => `/v1/memories/${i.memory}`,
    ownerStatus: 200,
    code: 'memory_not_found',
  },
  {
    method: 'PUT',
    path: '/v1/tenants/{id}/network_policy',
    fill: () => '/v1/tenants/tenant_default/network_policy',
    body: () => ({ allow: ['10.0.0.0/8'], deny: [] }),
    ownerStatus: 200,
    code: 'permission_denied',
    outsider: { status: 403, type: 'permission_error' },
  },
  {
    method: 'PUT',
    path: '/v1/tenants/{id}/limits',
    fill: () => '/v1/tenants/tenant_default/limits',
    body: () => ({ rate_limits: { tenant: { requests: 100000, per_seconds: 60 } } }),
    ownerStatus: 200,
    code: 'permission_denied',
    outsider: { status: 403, type: 'permission_error' },
  },
  {
    method: 'DELETE',
    path: '/v1/secrets/{id}',
    fill: (i) => `/v1/secrets/${i.secret}`,
    ownerStatus: 200,
    code: 'secret_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/responses/{id}',
    fill: (i) => `/v1/responses/${i.response}`,
    ownerStatus: 200,
    code: 'response_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/agents/{id}',
    fill: (i) => `/v1/agents/${i.agent}`,
    ownerStatus: 200,
    code: 'agent_not_found',
  },
  {
    method: 'DELETE',
    path: '/v1/api_keys/{id}',
    fill: (i) => `/v1/api_keys/${i.apiKey}`,
    ownerStatus: 200,
    code: 'api_key_not_found',
  },
];

/** Ids that exist nowhere: what an outsider's view of A's ids must look like. */
const MADE_UP: Ids = {
  agent: 'agent_01doesnotexist0000000000',
  conversation: 'conv_01doesnotexist0000000000',
  item: 'msg_01doesnotexist0000000000',
  apiKey: 'key_01doesnotexist0000000000',
  response: 'resp_01doesnotexist0000000000',
  tool: 'tool_01doesnotexist0000000000',
  secret: 'secret_01doesnotexist0000000000',
  file: 'file_01doesnotexist0000000000',
  vectorStore: 'vs_01doesnotexist0000000000',
  fileBatch: 'vsfb_01doesnotexist0000000000',
  memory: 'mem_01doesnotexist0000000000',
  policy: 'pol_01doesnotexist0000000000',
  agentModel: 'agent:does-not-exist',
};

/** Tenant A's Cedar policy (it forbids calls of A's own tool). */
const A_POLICY =
  'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"tenant_a_tool");';
/** A network rule only tenant A has. */
const A_NETWORK_RULE = '10.77.0.0/16';
/** Text of A's rows that must never reach B (A's ids are checked too). */
/** Tenant A's identity provider: its issuer is public, its audience A's own. */
const A_IDP = { issuer: 'https://idp.example.com/realms/shared', audience: 'a-private-audience' };

const A_PRIVATE_TEXT = [
  A_IDP.audience,
  'Tenant A only',
  'A private',
  'a-private-output',
  'sk-tenant-a',
  A_NETWORK_RULE,
  'tenant-a-store',
];

const label = (c: IsolationCase) => `${c.method} ${c.path}`;
const send = (client: ApiClient, c: IsolationCase, ids: Ids): Promise<ApiResponse> =>
  client.request(c.method, c.fill(ids), c.body?.(ids));

/** A fixed time range, so that two reads of A's usage compare equal. */
const USAGE_RANGE = `start_time=${Math.floor(Date.now() / 1000) - 3600}&end_time=${Math.floor(Date.now() / 1000) + 86_400}`;

describe.each(BACKENDS)('tenant isolation on %s', (backend) => {
  let server: TestServer;
  let a: ApiClient;
  let b: ApiClient;
  let ids: Ids;
  let tenantB: { id: string; api_key: { id: string; value: string } };
  const AGENT_NAME = 'shared-name';

  /** Everything tenant A can read about its own objects. */
  async function snapshotOfA() {
    const reads = [
      `/v1/agents/${ids.agent}`,
      `/v1/agents/${ids.agent}/versions?order=asc`,
      `/v1/agents/${ids.agent}/versions/1`,
      `/v1/agents/${ids.agent}/versions/2`,
      `/v1/conversations/${ids.conversation}`,
      `/v1/conversations/${ids.conversation}/items?order=asc`,
      `/v1/conversations/${ids.conversation}/items/${ids.item}`,
      `/v1/api_keys/${ids.apiKey}`,
      `/v1/responses/${ids.response}`,
      `/v1/responses/${ids.response}/input_items?order=asc`,
      `/v1/responses/${ids.response}/events`,
      `/v1/tools/${ids.tool}`,
      `/v1/files/${ids.file}`,
      `/v1/vector_stores/${ids.vectorStore}`,
      `/v1/vector_stores/${ids.vectorStore}/files/${ids.file}`,
      `/v1/vector_stores/${ids.vectorStore}/file_batches/${ids.fileBatch}`,
      `/v1/vector_stores/${ids.vectorStore}/file_batches/${ids.fileBatch}/files`,
      '/v1/memories?user=alice',
      '/v1/memories/consent?user=alice',
      '/v1/agents?limit=100',
      '/v1/conversations?limit=100',
      '/v1/tools?limit=100',
      '/v1/secrets?limit=100',
      '/v1/files?limit=100',
      '/v1/vector_stores?limit=100',
      `/v1/vector_stores/${ids.vectorStore}/files?limit=100`,
      '/v1/network_policy',
      '/v1/tenant/identity_provider',
      `/v1/policies/${ids.policy}`,
      `/v1/policies/${ids.policy}/versions?order=asc`,
      '/v1/policies?limit=100',
      '/v1/limits',
      `/v1/usage?group_by=tenant,user,agent,model&tenant_id=tenant_default&${USAGE_RANGE}`,
    ];
    const snapshot: Record<string, { status: number; body: unknown }> = {};
    for (const path of reads) {
      const response = await a.get(path);
      snapshot[path] = { status: response.status, body: response.body };
    }
    // Every request touches the key's last_used_at: compare A's keys without it.
    const keys = await a.get('/v1/api_keys?limit=100');
    snapshot['/v1/api_keys'] = {
      status: keys.status,
      body: keys.body.data.map(({ last_used_at: _, ...key }: { last_used_at: unknown }) => key),
    };
    return snapshot;
  }

  beforeAll(async () => {
    server = await startTestServer({ backend });
    a = new ApiClient(server.url, server.adminKey);

    // Tenant A (the default tenant) sets up one of everything.
    const agent = await a.post('/v1/agents', { name: AGENT_NAME, instructions: 'Tenant A only.' });
    expect(agent.status).toBe(200);
    const v2 = await a.patch(`/v1/agents/${agent.body.id}`, { instructions: 'Tenant A only, version 2.' });
    expect(v2.body.version).toBe(2);
    const conversation = await a.post('/v1/conversations', {
      metadata: { owner: 'tenant-a' },
      items: [
        { role: 'user', content: 'A private question.' },
        { role: 'assistant', content: 'A private answer.' },
      ],
    });
    expect(conversation.status).toBe(200);
    const added = await a.post(`/v1/conversations/${conversation.body.id}/items`, {
      items: [
        { type: 'function_call', call_id: 'call_a', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'a-private-output' },
      ],
    });
    expect(added.status).toBe(200);
    const key = await a.post('/v1/api_keys', { name: 'tenant-a-worker', role: 'member' });
    expect(key.status).toBe(200);
    const response = await a.post('/v1/responses', {
      input: 'A private request.',
      metadata: { owner: 'tenant-a' },
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    const tool = await a.post('/v1/tools', {
      name: 'tenant_a_tool',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/tool' },
    });
    expect(tool.status).toBe(200);
    const secret = await a.post('/v1/secrets', { name: 'tenant-a-secret', value: 'sk-tenant-a' });
    expect(secret.status).toBe(200);
    const form = new FormData();
    form.append('purpose', 'assistants');
    form.append('file', new Blob(['Tenant A only: private plans for the launch.']), 'plans.txt');
    const file = await fetch(`${server.url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    }).then((response) => response.json() as Promise<{ id: string }>);
    const store = await a.post('/v1/vector_stores', { name: 'tenant-a-store', file_ids: [file.id] });
    expect(store.status).toBe(200);
    // Snapshots of A compare the store, so its file must have finished indexing first.
    for (let i = 0; i < 200; i++) {
      const indexed = await a.get(`/v1/vector_stores/${store.body.id}/files/${file.id}`);
      if (indexed.body.status !== 'in_progress') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const batch = await a.post(`/v1/vector_stores/${store.body.id}/file_batches`, { file_ids: [file.id] });
    expect(batch.status).toBe(200);
    for (let i = 0; i < 200; i++) {
      const polled = await a.get(`/v1/vector_stores/${store.body.id}/file_batches/${batch.body.id}`);
      if (polled.body.status !== 'in_progress') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const rules = await a.request('PUT', '/v1/tenants/tenant_default/network_policy', {
      allow: [A_NETWORK_RULE],
      deny: [],
    });
    expect(rules.status).toBe(200);
    expect((await a.request('PUT', '/v1/tenant/identity_provider', A_IDP)).status).toBe(200);
    const modelAgent = await a.post('/v1/agents', {
      name: 'a-private-model',
      instructions: 'Tenant A only.',
    });
    expect(modelAgent.status).toBe(200);
    await a.post('/v1/memories/consent', { user: 'alice', enabled: true });
    const memory = await a.post('/v1/memories', { user: 'alice', text: 'Tenant A only: Alice likes jazz.' });
    expect(memory.status).toBe(200);
    const policy = await a.post('/v1/policies', { name: 'tenant-a-policy', policy: A_POLICY });
    expect(policy.status).toBe(200);
    ids = {
      policy: policy.body.id,
      file: file.id,
      vectorStore: store.body.id,
      fileBatch: batch.body.id,
      memory: memory.body.id,
      tool: tool.body.id,
      secret: secret.body.id,
      agent: agent.body.id,
      conversation: conversation.body.id,
      item: added.body.data[0].id,
      apiKey: key.body.id,
      response: response.body.id,
      agentModel: 'agent:a-private-model',
    };

    // Tenant B is created by the platform admin and gets its own admin key.
    const created = await a.post('/v1/tenants', { name: 'tenant-b' });
    expect(created.status).toBe(200);
    tenantB = created.body;
    b = a.withKey(tenantB.api_key.value);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('has B authenticated in its own tenant', async () => {
    const me = await b.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.tenant.id).toBe(tenantB.id);
    expect(me.body.tenant.id).not.toBe('tenant_default');
    expect(me.body.role).toBe('admin');
  });

  it('covers every documented route that takes an {id}', async () => {
    const doc = await a.get('/openapi.json');
    expect(doc.status).toBe(200);
    const documented: string[] = [];
    for (const [path, operations] of Object.entries(doc.body.paths as Record<string, object>)) {
      if (!path.includes('{id}')) continue;
      for (const method of Object.keys(operations)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
          documented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const covered = new Set(CASES.map(label));
    // Every documented {id} route has an isolation case...
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);
    // ...and every case is a documented route (no stale entries), each listed once.
    expect([...covered].filter((route) => !documented.includes(route))).toEqual([]);
    expect(covered.size).toBe(CASES.length);
  });

  it("gives B a 404 on every route with A's ids, exactly as for ids that do not exist", async () => {
    const before = await snapshotOfA();
    for (const snapshot of Object.values(before)) expect(snapshot.status).toBe(200);

    for (const c of CASES) {
      const response = await send(b, c, ids);
      expect(response.status, label(c)).toBe(c.outsider?.status ?? 404);
      expect(response.body.error, label(c)).toMatchObject({
        type: c.outsider?.type ?? 'not_found_error',
        code: c.code,
      });
      // B cannot tell A's object from one that does not exist.
      const nonexistent = await send(b, c, MADE_UP);
      expect(nonexistent.status, label(c)).toBe(c.outsider?.status ?? 404);
      expect({ ...response.body.error, message: undefined }, `${label(c)} differs from a made-up id`).toEqual(
        { ...nonexistent.body.error, message: undefined },
      );
      // Nothing of A's leaks into the error.
      const text = JSON.stringify(response.body);
      for (const secret of [
        'Tenant A only',
        'A private',
        'tenant-a',
        AGENT_NAME,
        'a-private-output',
        'sk-tenant-a',
      ])
        expect(text, label(c)).not.toContain(secret);
    }

    // A's data is exactly as it was.
    expect(await snapshotOfA()).toEqual(before);
    // And A's key still works, in A's tenant.
    const me = await a.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.tenant.id).toBe('tenant_default');
  });

  it("gives B a 404 when it names A's objects inside a request", async () => {
    const attempts: Array<[string, () => Promise<ApiResponse>, number, string]> = [
      [
        "a response continuing A's conversation",
        () => b.post('/v1/responses', { input: 'hi', conversation: ids.conversation }),
        404,
        'conversation_not_found',
      ],
      [
        "a response continuing A's conversation (object form)",
        () => b.post('/v1/responses', { input: 'hi', conversation: { id: ids.conversation } }),
        404,
        'conversation_not_found',
      ],
      [
        "a response after A's response",
        () => b.post('/v1/responses', { input: 'hi', previous_response_id: ids.response }),
        404,
        'response_not_found',
      ],
      [
        "a response running A's agent by id",
        () => b.post('/v1/responses', { input: 'hi', agent: ids.agent }),
        404,
        'agent_not_found',
      ],
      [
        "a response running A's agent by id as a model",
        () => b.post('/v1/responses', { input: 'hi', model: `agent:${ids.agent}` }),
        404,
        'agent_not_found',
      ],
    ];
    const before = await snapshotOfA();
    for (const [what, attempt, status, code] of attempts) {
      const response = await attempt();
      expect(response.status, what).toBe(status);
      expect(response.body.error?.code, what).toBe(code);
    }

    // B's own conversation cannot reach A's item either.
    const own = await b.post('/v1/conversations', { items: [{ role: 'user', content: 'B here' }] });
    expect(own.status).toBe(200);
    const foreignItem = await b.get(`/v1/conversations/${own.body.id}/items/${ids.item}`);
    expect(foreignItem.status).toBe(404);
    expect(foreignItem.body.error.code).toBe('item_not_found');
    const foreignDelete = await b.delete(`/v1/conversations/${own.body.id}/items/${ids.item}`);
    expect(foreignDelete.status).toBe(404);
    const foreignCursor = await b.get(`/v1/conversations/${own.body.id}/items?after=${ids.item}`);
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.error.param).toBe('after');

    // Ids in a body: A's file into B's own store, and a file search over A's store, are refused
    // exactly as ids that do not exist.
    const ownStore = await b.post('/v1/vector_stores', { name: 'b-own-store' });
    expect(ownStore.status).toBe(200);
    const byBody: Array<[string, (id: Ids) => Promise<ApiResponse>, keyof Ids]> = [
      [
        "A's file added to B's store",
        (i) => b.post(`/v1/vector_stores/${ownStore.body.id}/files`, { file_id: i.file }),
        'file',
      ],
      [
        "a file search over A's store",
        (i) =>
          b.post('/v1/responses', {
            input: 'search',
            tools: [{ type: 'file_search', vector_store_ids: [i.vectorStore] }],
          }),
        'vectorStore',
      ],
    ];
    for (const [what, attempt, kind] of byBody) {
      const foreign = await attempt(ids);
      const madeUp = await attempt(MADE_UP);
      expect(foreign.status, what).toBeGreaterThanOrEqual(400);
      expect(foreign.status, what).toBeLessThan(500);
      expect(foreign.status, what).toBe(madeUp.status);
      // Refused for the id, not for anything else in the request.
      expect(foreign.body.error.message, what).toContain(ids[kind]);
      expect(foreign.body.error.message, what).toBe(
        madeUp.body.error.message.replaceAll(MADE_UP[kind], ids[kind]),
      );
      expect({ ...foreign.body.error, message: undefined }, what).toEqual({
        ...madeUp.body.error,
        message: undefined,
      });
    }

    expect(await snapshotOfA()).toEqual(before);
  });

  it("keeps A's rows out of B's lists, and B's out of A's", async () => {
    const lists = ['/v1/agents', '/v1/conversations', '/v1/api_keys', '/v1/policies'];
    const aIds = [ids.agent, ids.conversation, ids.apiKey, ids.policy];
    const bOwn = await b.post('/v1/conversations', { metadata: { owner: 'tenant-b' } });
    for (const [index, path] of lists.entries()) {
      for (const order of ['asc', 'desc']) {
        const page = await b.get(`${path}?limit=100&order=${order}`);
        expect(page.status, path).toBe(200);
        const listed = page.body.data.map((row: { id: string }) => row.id);
        expect(listed, path).not.toContain(aIds[index]);
        // Paging from A's id as a cursor does not reveal A's rows either.
        const fromA = await b.get(`${path}?limit=100&order=${order}&after=${aIds[index]}`);
        for (const row of fromA.body.data ?? []) expect(aIds).not.toContain(row.id);
      }
    }
    const bKeys = await b.get('/v1/api_keys?limit=100');
    expect(bKeys.body.data.map((k: { id: string }) => k.id)).toEqual([tenantB.api_key.id]);
    const bConversations = await b.get('/v1/conversations?limit=100');
    expect(bConversations.body.data.map((c: { id: string }) => c.id)).toContain(bOwn.body.id);
    expect(
      bConversations.body.data.every(
        (c: { metadata: { owner?: string } }) => c.metadata.owner !== 'tenant-a',
      ),
    ).toBe(true);

    const aConversations = await a.get('/v1/conversations?limit=100');
    expect(aConversations.body.data.map((c: { id: string }) => c.id)).toContain(ids.conversation);
    expect(aConversations.body.data.map((c: { id: string }) => c.id)).not.toContain(bOwn.body.id);
    const aKeys = await a.get('/v1/api_keys?limit=100');
    expect(aKeys.body.data.map((k: { id: string }) => k.id)).toContain(ids.apiKey);
    expect(aKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(tenantB.api_key.id);
  });

  it('lets B use the same agent name as A, each tenant seeing its own', async () => {
    const mine = await b.post('/v1/agents', { name: AGENT_NAME, instructions: 'Tenant B agent.' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ name: AGENT_NAME, version: 1, instructions: 'Tenant B agent.' });
    expect(mine.body.id).not.toBe(ids.agent);

    const bAgents = await b.get('/v1/agents?limit=100');
    expect(bAgents.body.data.map((agent: { id: string }) => agent.id)).toEqual([mine.body.id]);
    const aAgents = await a.get('/v1/agents?limit=100');
    const aNamed = aAgents.body.data.filter((agent: { name: string }) => agent.name === AGENT_NAME);
    expect(aNamed.map((agent: { id: string }) => agent.id)).toEqual([ids.agent]);
    expect((await a.get(`/v1/agents/${mine.body.id}`)).status).toBe(404);

    // Running the agent by name finds each tenant's own.
    const bRun = await b.post('/v1/responses', { input: 'hi', agent: AGENT_NAME });
    expect(bRun.status).toBe(200);
    expect(bRun.body.agent).toEqual({ id: mine.body.id, name: AGENT_NAME, version: 1 });
    expect(bRun.body.instructions).toBe('Tenant B agent.');
    const aRun = await a.post('/v1/responses', { input: 'hi', agent: AGENT_NAME });
    expect(aRun.body.agent).toEqual({ id: ids.agent, name: AGENT_NAME, version: 2 });
    expect((await a.get(`/v1/responses/${bRun.body.id}`)).status).toBe(404);
  });

  /**
   * Every route without an {id}, as tenant B calls it: what it sees and what
   * it does stays inside B's tenant. `run` asserts what B gets and returns
   * B's responses, which must hold none of A's ids or text (`echoes`: B's
   * own request names A's ids, which an error may repeat).
   */
  const tenantCases = (): Array<{ route: string; echoes?: boolean; run: () => Promise<ApiResponse[]> }> => [
    {
      route: 'GET /v1/me',
      run: async () => {
        const me = await b.get('/v1/me');
        expect(me.body.tenant.id).toBe(tenantB.id);
        return [me];
      },
    },
    {
      route: 'POST /v1/tenants',
      run: async () => {
        const refused = await b.post('/v1/tenants', { name: 'tenant-c' });
        expect(refused.status).toBe(403);
        expect(refused.body.error.type).toBe('permission_error');
        return [refused];
      },
    },
    {
      route: 'GET /v1/api_keys',
      run: async () => {
        const keys = await b.get('/v1/api_keys?limit=100');
        expect(keys.status).toBe(200);
        expect(keys.body.data.map((key: { id: string }) => key.id)).not.toContain(ids.apiKey);
        return [keys];
      },
    },
    {
      route: 'POST /v1/api_keys',
      run: async () => {
        const key = await b.post('/v1/api_keys', { name: 'tenant-a-worker', role: 'member' });
        expect(key.status).toBe(200);
        const me = await b.withKey(key.body.value).get('/v1/me');
        expect(me.body.tenant.id).toBe(tenantB.id);
        const aKeys = await a.get('/v1/api_keys?limit=100');
        expect(aKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(key.body.id);
        return [key, me];
      },
    },
    {
      route: 'GET /v1/agents',
      run: async () => {
        const agents = await b.get('/v1/agents?limit=100');
        expect(agents.body.data.map((agent: { id: string }) => agent.id)).not.toContain(ids.agent);
        return [agents];
      },
    },
    {
      route: 'POST /v1/agents',
      run: async () => [await b.post('/v1/agents', { name: 'tenant-b-agent', instructions: 'B only.' })],
    },
    {
      route: 'GET /v1/conversations',
      run: async () => {
        const conversations = await b.get('/v1/conversations?limit=100');
        expect(conversations.body.data.map((c: { id: string }) => c.id)).not.toContain(ids.conversation);
        return [conversations];
      },
    },
    {
      route: 'POST /v1/conversations',
      run: async () => [await b.post('/v1/conversations', { metadata: { owner: 'tenant-b' } })],
    },
    {
      route: 'POST /v1/responses',
      run: async () => {
        const response = await b.post('/v1/responses', { input: 'B asks.' });
        expect(response.status).toBe(200);
        expect((await a.get(`/v1/responses/${response.body.id}`)).status).toBe(404);
        return [response];
      },
    },
    {
      // B sees the server-wide tools, and of registered ones only its own.
      route: 'GET /v1/tools',
      run: async () => {
        const tools = await b.get('/v1/tools?limit=100');
        expect(tools.status).toBe(200);
        const listed = tools.body.data as { id: string; source: string }[];
        expect(listed.map((tool) => tool.id)).not.toContain(ids.tool);
        expect(listed.filter((tool) => tool.source === 'api')).toEqual([]);
        expect(listed.map((tool) => tool.id)).toContain('builtin:web_search');
        return [tools];
      },
    },
    {
      // The same name as A's tool: a tool of B's own.
      route: 'POST /v1/tools',
      run: async () => {
        const tool = await b.post('/v1/tools', {
          name: 'tenant_a_tool',
          input_schema: { type: 'object' },
          adapter: { type: 'http', url: 'http://127.0.0.1:9/b-tool' },
        });
        expect(tool.status).toBe(200);
        expect(tool.body.id).not.toBe(ids.tool);
        return [tool];
      },
    },
    {
      route: 'GET /v1/tools/manifest-schema',
      run: async () => {
        const schema = await b.get('/v1/tools/manifest-schema');
        expect(schema.body).toEqual((await a.get('/v1/tools/manifest-schema')).body);
        return [schema];
      },
    },
    {
      route: 'GET /v1/secrets',
      run: async () => {
        const secrets = await b.get('/v1/secrets?limit=100');
        expect(secrets.status).toBe(200);
        expect(secrets.body.data).toEqual([]);
        return [secrets];
      },
    },
    {
      // Storing a secret replaces one of the same name: B's must not replace A's.
      route: 'POST /v1/secrets',
      run: async () => {
        const secret = await b.post('/v1/secrets', { name: 'tenant-a-secret', value: 'sk-tenant-b' });
        expect(secret.status).toBe(200);
        expect(secret.body.id).not.toBe(ids.secret);
        return [secret];
      },
    },
    {
      route: 'GET /v1/files',
      run: async () => {
        const files = await b.get('/v1/files?limit=100');
        expect(files.status).toBe(200);
        expect(files.body.data.map((file: { id: string }) => file.id)).not.toContain(ids.file);
        return [files];
      },
    },
    {
      route: 'POST /v1/files',
      run: async () => {
        const form = new FormData();
        form.append('purpose', 'assistants');
        form.append('file', new Blob(['Tenant B notes.']), 'plans.txt');
        const response = await fetch(`${server.url}/v1/files`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tenantB.api_key.value}` },
          body: form,
        });
        expect(response.status).toBe(200);
        const body = await response.json();
        return [{ status: response.status, headers: response.headers, body }];
      },
    },
    {
      route: 'GET /v1/vector_stores',
      run: async () => {
        const stores = await b.get('/v1/vector_stores?limit=100');
        expect(stores.status).toBe(200);
        expect(stores.body.data.map((store: { id: string }) => store.id)).not.toContain(ids.vectorStore);
        return [stores];
      },
    },
    {
      // A's file is refused exactly as a file that does not exist, and no store is made.
      route: 'POST /v1/vector_stores',
      echoes: true,
      run: async () => {
        const stores = async () => (await b.get('/v1/vector_stores?limit=100')).body.data;
        const storesBefore = await stores();
        const foreign = await b.post('/v1/vector_stores', { name: 'b-store', file_ids: [ids.file] });
        const madeUp = await b.post('/v1/vector_stores', { name: 'b-store', file_ids: [MADE_UP.file] });
        expect(foreign.status).toBe(madeUp.status);
        expect(foreign.body.error).toMatchObject({ param: 'file_ids[0]' });
        expect(foreign.body.error.message).toContain(ids.file);
        expect(foreign.status).toBeGreaterThanOrEqual(400);
        expect(foreign.status).toBeLessThan(500);
        expect({ ...foreign.body.error, message: undefined }).toEqual({
          ...madeUp.body.error,
          message: undefined,
        });
        expect(foreign.body.error.message).toBe(madeUp.body.error.message.replace(MADE_UP.file, ids.file));
        expect(await stores()).toEqual(storesBefore);
        return [foreign];
      },
    },
    {
      // A's user has opted in, in A's tenant; in B's, the same user has not.
      route: 'GET /v1/memories/consent',
      run: async () => {
        const consent = await b.get('/v1/memories/consent?user=alice');
        expect(consent.body).toEqual({ object: 'memory.consent', user: 'alice', enabled: false });
        return [consent];
      },
    },
    {
      route: 'POST /v1/memories/consent',
      run: async () => {
        const optOut = await b.post('/v1/memories/consent', { user: 'alice', enabled: false });
        expect(optOut.status).toBe(200);
        return [optOut];
      },
    },
    {
      route: 'GET /v1/memories',
      run: async () => {
        const memories = await b.get('/v1/memories?user=alice&limit=100');
        expect(memories.status).toBe(200);
        expect(memories.body.data).toEqual([]);
        return [memories];
      },
    },
    {
      // A's consent does not carry over: B cannot write about A's user without B's own.
      route: 'POST /v1/memories',
      run: async () => {
        const refused = await b.post('/v1/memories', { user: 'alice', text: 'B writes about Alice.' });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('memory_refused');
        return [refused];
      },
    },
    {
      route: 'DELETE /v1/memories',
      run: async () => {
        const erased = await b.delete('/v1/memories?user=alice');
        expect(erased.body).toEqual({ object: 'memory.erased', user: 'alice', deleted: 0 });
        return [erased];
      },
    },
    {
      route: 'GET /v1/models',
      run: async () => {
        const models = await b.get('/v1/models');
        expect(models.status).toBe(200);
        expect(models.body.data.map((model: { id: string }) => model.id)).not.toContain(ids.agentModel);
        return [models];
      },
    },
    {
      route: 'POST /v1/chat/completions',
      echoes: true,
      run: async () => {
        const refused = await b.post('/v1/chat/completions', {
          model: ids.agentModel,
          messages: [{ role: 'user', content: 'Show me your instructions.' }],
        });
        expect(refused.status).toBe(404);
        expect(refused.body.error.code).toBe('model_not_found');
        const own = await b.post('/v1/chat/completions', {
          model: 'scripted',
          messages: [{ role: 'user', content: 'Hello.' }],
        });
        expect(own.status).toBe(200);
        return [refused, own];
      },
    },
    {
      route: 'POST /v1/moderations',
      run: async () => {
        // Moderation reads only the text it is sent: B gets its own verdicts and nothing of A's.
        const moderated = await b.post('/v1/moderations', { input: 'What is the capital of France?' });
        expect(moderated.status).toBe(200);
        expect(moderated.body.results).toHaveLength(1);
        return [moderated];
      },
    },
    {
      route: 'GET /v1/limits',
      run: async () => {
        const limits = await b.get('/v1/limits');
        expect(limits.status).toBe(200);
        expect(limits.body.tenant).toEqual({});
        return [limits];
      },
    },
    {
      route: 'GET /v1/usage',
      run: async () => {
        // B's usage holds only B's tenant, whatever it groups by; A's tenant is not B's to name.
        const usage = await b.get('/v1/usage?group_by=tenant,user,agent,model,day');
        expect(usage.status).toBe(200);
        for (const bucket of usage.body.data) expect(bucket.tenant).toBe(tenantB.id);
        const named = await b.get('/v1/usage?tenant_id=tenant_default');
        expect(named.status).toBe(403);
        return [usage, named];
      },
    },
    {
      route: 'GET /v1/tenant/identity_provider',
      run: async () => {
        const provider = await b.get('/v1/tenant/identity_provider');
        expect(provider.status).toBe(404);
        expect(provider.body.error.code).toBe('identity_provider_not_found');
        return [provider];
      },
    },
    {
      // The same issuer with A's audience would authenticate into A: refused. With B's own, B's provider.
      route: 'PUT /v1/tenant/identity_provider',
      run: async () => {
        const taken = await b.request('PUT', '/v1/tenant/identity_provider', A_IDP);
        expect(taken.status).toBe(409);
        const own = await b.request('PUT', '/v1/tenant/identity_provider', {
          issuer: A_IDP.issuer,
          audience: 'b-audience',
        });
        expect(own.status).toBe(200);
        expect(own.body.audience).toBe('b-audience');
        return [taken, own];
      },
    },
    {
      route: 'DELETE /v1/tenant/identity_provider',
      run: async () => {
        const deleted = await b.delete('/v1/tenant/identity_provider');
        expect(deleted.status).toBe(200);
        return [deleted];
      },
    },
    {
      route: 'POST /v1/auth/token',
      run: async () => {
        const issued = await b.post('/v1/auth/token', {});
        expect(issued.status).toBe(200);
        expect(issued.body.tenant_id).toBe(tenantB.id);
        const me = await b.withKey(issued.body.token).get('/v1/me');
        expect(me.body.tenant.id).toBe(tenantB.id);
        return [issued, me];
      },
    },
    {
      // Public: where B's people would sign in. B has no provider (removed above), so none is
      // named, and asking by B's name never answers with A's.
      route: 'GET /v1/auth/oidc',
      run: async () => {
        const provider = await b.get(`/v1/auth/oidc?tenant=${tenantB.id}`);
        expect(provider.status).toBe(404);
        return [provider];
      },
    },
    {
      route: 'POST /v1/auth/oidc/token',
      run: async () => {
        const exchanged = await b.post('/v1/auth/oidc/token', {
          tenant: tenantB.id,
          code: 'a-code-for-b',
          code_verifier: 'v'.repeat(43),
          redirect_uri: 'http://127.0.0.1/sign-in',
          nonce: 'n'.repeat(16),
        });
        expect(exchanged.status).toBe(404);
        return [exchanged];
      },
    },
    {
      route: 'GET /v1/policies',
      run: async () => {
        const listed = await b.get('/v1/policies?limit=100');
        expect(listed.status).toBe(200);
        expect(listed.body.data).toEqual([]);
        return [listed];
      },
    },
    {
      // B's policies are B's: a name A uses is free in B, and B's forbid-all never reaches A.
      route: 'POST /v1/policies',
      run: async () => {
        const own = await b.post('/v1/policies', { name: 'tenant-a-policy', policy: A_POLICY });
        expect(own.status).toBe(200);
        const deleted = await b.delete(`/v1/policies/${own.body.id}`);
        expect(deleted.status).toBe(200);
        return [own, deleted];
      },
    },
    {
      route: 'POST /v1/policies/validate',
      run: async () => {
        const checked = await b.post('/v1/policies/validate', { policy: A_POLICY });
        expect(checked.status).toBe(200);
        return [checked];
      },
    },
    {
      // B's schema is built from B's tools only.
      route: 'GET /v1/policies/schema',
      run: async () => {
        const schema = await b.get('/v1/policies/schema');
        expect(schema.status).toBe(200);
        expect(schema.body.json.Agentd.commonTypes.Arguments.attributes).toEqual({});
        return [schema];
      },
    },
    {
      // B reads its own chain only: A's objects filter to nothing, and A's event ids are no cursor for B.
      route: 'GET /v1/audit_events',
      run: async () => {
        const own = await b.get('/v1/audit_events?limit=100');
        expect(own.status).toBe(200);
        const tenants = own.body.data.map((event: { chain: { tenant_id: string } }) => event.chain.tenant_id);
        expect(new Set(tenants)).toEqual(new Set([tenantB.id]));
        const aboutA = await b.get(`/v1/audit_events?resource_ids[]=${ids.agent}`);
        expect(aboutA.body.data).toEqual([]);
        const [aEvent] = (await a.get('/v1/audit_events?limit=1')).body.data;
        const cursor = await b.get(`/v1/audit_events?after=${aEvent.id}`);
        expect(cursor.status).toBe(400);
        expect(cursor.body.error.code).toBe('invalid_cursor');
        return [own, aboutA, cursor];
      },
    },
    {
      route: 'GET /v1/audit_events/export',
      run: async () => {
        const exported = await fetch(`${server.url}/v1/audit_events/export`, {
          headers: { authorization: `Bearer ${tenantB.api_key.value}` },
        });
        const lines = (await exported.text())
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines.length).toBeGreaterThan(0);
        expect(new Set(lines.map((event) => event.chain.tenant_id))).toEqual(new Set([tenantB.id]));
        return [{ status: exported.status, headers: exported.headers, body: lines }];
      },
    },
    {
      // B's chain is B's own, numbered from 1; A's events are no link in it.
      route: 'GET /v1/audit_events/verify',
      run: async () => {
        const verified = await b.get('/v1/audit_events/verify');
        const count = (await b.get('/v1/audit_events?limit=100')).body.data.length;
        expect(verified.body).toMatchObject({
          valid: true,
          events_verified: count,
          head: { sequence: count },
        });
        return [verified];
      },
    },
    {
      route: 'GET /v1/network_policy',
      run: async () => {
        const policy = await b.get('/v1/network_policy');
        expect(policy.status).toBe(200);
        expect(policy.body.tenant).toEqual({ allow: [], deny: [] });
        return [policy];
      },
    },
    {
      // Each tenant's safety default is its own: B setting one leaves A's as it was.
      route: 'PUT /v1/safety_policy',
      run: async () => {
        expect((await a.request('PUT', '/v1/safety_policy', { deny_list: ['a-only-term'] })).status).toBe(
          200,
        );
        const set = await b.request('PUT', '/v1/safety_policy', { deny_list: ['b-only-term'] });
        expect(set.status).toBe(200);
        expect((await a.get('/v1/safety_policy')).body.tenant).toEqual({ deny_list: ['a-only-term'] });
        return [set];
      },
    },
    {
      route: 'GET /v1/safety_policy',
      run: async () => {
        const read = await b.get('/v1/safety_policy');
        expect(read.status).toBe(200);
        expect(read.body.tenant).toEqual({ deny_list: ['b-only-term'] });
        return [read];
      },
    },
    {
      // The server's logs cover every tenant: a tenant's admin may not read them (platform admins only).
      route: 'GET /v1/logs/tail',
      run: async () => {
        const tail = await b.get('/v1/logs/tail');
        expect(tail.status).toBe(403);
        expect(tail.body.error.code).toBe('permission_denied');
        return [tail];
      },
    },
  ];

  it('covers every documented /v1 route without an {id}', async () => {
    const doc = await a.get('/openapi.json');
    const documented: string[] = [];
    for (const [path, operations] of Object.entries(doc.body.paths as Record<string, object>)) {
      if (!path.startsWith('/v1/') || path.includes('{')) continue;
      for (const method of Object.keys(operations)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
          documented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const covered = tenantCases().map((c) => c.route);
    expect(documented.filter((route) => !covered.includes(route))).toEqual([]);
    expect(covered.filter((route) => !documented.includes(route))).toEqual([]);
    expect(new Set(covered).size).toBe(covered.length);
  });

  it("keeps B inside its own tenant on every route without an {id}, and A's data unchanged", async () => {
    const before = await snapshotOfA();
    const aIds = Object.values(ids);
    for (const c of tenantCases()) {
      const responses = await c.run();
      for (const response of responses) {
        expect(response.status, `${c.route}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
        const text = JSON.stringify(response.body);
        for (const secret of [...A_PRIVATE_TEXT, ...(c.echoes ? [] : aIds)])
          expect(text, `${c.route} shows B '${secret}'`).not.toContain(secret);
      }
    }
    expect(await snapshotOfA()).toEqual(before);
    // A's user is still opted in and remembered, in A's tenant.
    expect((await a.get('/v1/memories/consent?user=alice')).body.enabled).toBe(true);
    const memories = await a.get('/v1/memories?user=alice');
    expect(memories.body.data.map((memory: { id: string }) => memory.id)).toEqual([ids.memory]);
    const policy = await a.get('/v1/network_policy');
    expect(policy.body.tenant.allow).toEqual([A_NETWORK_RULE]);
  });

  it('reaches every case as the owner, so the 404s above came from the tenant boundary', async () => {
    for (const c of CASES) {
      const response = await send(a, c, ids);
      expect(response.status, `${label(c)}: ${JSON.stringify(response.body)}`).toBe(c.ownerStatus);
    }
    // The owner's deletes took effect.
    expect((await a.get(`/v1/agents/${ids.agent}`)).status).toBe(404);
    expect((await a.get(`/v1/conversations/${ids.conversation}`)).status).toBe(404);
    expect((await a.get(`/v1/responses/${ids.response}`)).status).toBe(404);
    expect((await a.get(`/v1/api_keys/${ids.apiKey}`)).status).toBe(404);
  });
});

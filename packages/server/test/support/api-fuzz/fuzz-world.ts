import { ApiClient } from '@agentd/testing';

/** Someone who sends requests: a key and the tenant it acts in. */
export interface Caller {
  name: string;
  key: string;
  tenantId: string;
  /** The id of the caller's own key: never offered to the fuzzer, which would otherwise delete it. */
  keyId: string;
}

/** An object made before fuzzing, and the tenant that owns it. */
export interface Owned {
  id: string;
  tenantId: string;
}

/**
 * The server as the fuzzer finds it: the platform admin and a tenant admin,
 * who send the generated requests, a victim tenant whose objects carry a
 * marker that must never reach them, and one of every object for each.
 */
export interface FuzzWorld {
  root: Caller;
  tenant: Caller;
  victim: Caller;
  /** Ids by collection (`agents`, `items`, `files`...), each with its owner. */
  objects: Record<string, Owned[]>;
  marker: string;
  /** What the victim sees of its own objects, to compare before and after. */
  victimView(): Promise<Record<string, unknown>>;
}

/** The few fields the fixtures read from what the API returns. */
interface Created {
  id: string;
  subject: string;
  tenant: { id: string };
  api_key: { id: string; value: string };
  data: { id: string }[];
}

const expectOk = (what: string, response: { status: number; body: unknown }) => {
  if (response.status !== 200)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Created;
};

/** One of every kind of object in the caller's tenant; their text carries `text`. */
async function populate(baseUrl: string, caller: Caller, text: string): Promise<Record<string, string>> {
  const api = new ApiClient(baseUrl, caller.key);
  const agent = expectOk(
    'agent',
    await api.post('/v1/agents', { name: `agent-${caller.name}`, instructions: text }),
  );
  const conversation = expectOk(
    'conversation',
    await api.post('/v1/conversations', {
      metadata: { note: text.slice(0, 500) },
      items: [{ role: 'user', content: text }],
    }),
  );
  const items = expectOk('items', await api.get(`/v1/conversations/${conversation.id}/items`));
  const response = expectOk('response', await api.post('/v1/responses', { input: text }));
  const tool = expectOk(
    'tool',
    await api.post('/v1/tools', {
      name: `tool_${caller.name}`,
      description: text,
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/tool' },
    }),
  );
  const secret = expectOk(
    'secret',
    await api.post('/v1/secrets', { name: `secret-${caller.name}`, value: text }),
  );
  const form = new FormData();
  form.append('purpose', 'assistants');
  form.append('file', new Blob([`${text}\n`]), `${caller.name}.txt`);
  const file = expectOk(
    'file',
    await fetch(`${baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${caller.key}` },
      body: form,
    }).then(async (r) => ({ status: r.status, body: await r.json() })),
  );
  const store = expectOk(
    'vector store',
    await api.post('/v1/vector_stores', { name: text.slice(0, 60), file_ids: [file.id] }),
  );
  for (let i = 0; i < 400; i++) {
    const indexed = await api.get(`/v1/vector_stores/${store.id}/files/${file.id}`);
    if (indexed.body.status !== 'in_progress') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expectOk('consent', await api.post('/v1/memories/consent', { user: `user-${caller.name}`, enabled: true }));
  const memory = expectOk('memory', await api.post('/v1/memories', { user: `user-${caller.name}`, text }));
  const key = expectOk(
    'api key',
    await api.post('/v1/api_keys', { name: `spare-${caller.name}`, role: 'member' }),
  );
  return {
    agents: agent.id,
    conversations: conversation.id,
    items: items.data[0]?.id ?? '',
    responses: response.id,
    tools: tool.id,
    secrets: secret.id,
    files: file.id,
    vector_stores: store.id,
    memories: memory.id,
    api_keys: key.id,
    tenants: caller.tenantId,
  };
}

async function newTenant(root: ApiClient, name: string): Promise<Caller> {
  const created = expectOk(name, await root.post('/v1/tenants', { name }));
  return { name, key: created.api_key.value, tenantId: created.id, keyId: created.api_key.id };
}

export async function createWorld(baseUrl: string, adminKey: string): Promise<FuzzWorld> {
  const admin = new ApiClient(baseUrl, adminKey);
  const me = expectOk('me', await admin.get('/v1/me'));
  const root: Caller = { name: 'root', key: adminKey, tenantId: me.tenant.id, keyId: me.subject };
  const tenant = await newTenant(admin, 'fuzz-tenant');
  const victim = await newTenant(admin, 'fuzz-victim');
  const marker = `VICTIM-PRIVATE-${Math.random().toString(36).slice(2)}`;
  const objects: Record<string, Owned[]> = {};
  const callers = [
    [root, 'Root tenant text.'],
    [tenant, 'Fuzz tenant text.'],
    [victim, `Only the victim may read this: ${marker}`],
  ] as const;
  const made = await Promise.all(callers.map(([caller, text]) => populate(baseUrl, caller, text)));
  for (const [index, [caller]] of callers.entries()) {
    for (const [collection, id] of Object.entries(made[index] ?? {})) {
      objects[collection] = [...(objects[collection] ?? []), { id, tenantId: caller.tenantId }];
    }
  }
  const victimIds = Object.fromEntries(
    Object.entries(objects).map(([collection, owned]) => [
      collection,
      owned.find((o) => o.tenantId === victim.tenantId)?.id,
    ]),
  );
  const victimApi = new ApiClient(baseUrl, victim.key);
  const victimView = async () => {
    const view: Record<string, unknown> = {};
    for (const path of [
      `/v1/agents/${victimIds.agents}`,
      `/v1/conversations/${victimIds.conversations}/items`,
      `/v1/responses/${victimIds.responses}`,
      `/v1/tools/${victimIds.tools}`,
      '/v1/secrets',
      `/v1/files/${victimIds.files}/content`,
      `/v1/vector_stores/${victimIds.vector_stores}/files`,
      `/v1/memories?user=user-${victim.name}`,
      `/v1/api_keys/${victimIds.api_keys}`,
    ]) {
      const answer = await victimApi.get(path);
      view[path] = { status: answer.status, body: withoutClocks(answer.body) };
    }
    return view;
  };
  return { root, tenant, victim, objects, marker, victimView };
}

/** Drops the fields that move when nothing was changed (last use, last activity). */
function withoutClocks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClocks);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('last_'))
      .map(([key, child]) => [key, withoutClocks(child)]),
  );
}

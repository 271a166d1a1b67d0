import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadedId } from './support/uploads.js';

type Row = Record<string, unknown> & { id?: string };

/** What this test created, each in creation order. */
interface Fixtures {
  agents: string[];
  agent: string;
  conversations: string[];
  conversation: string;
  items: string[];
  apiKeys: string[];
  tools: string[];
  secrets: string[];
  files: string[];
  vectorStores: string[];
  vectorStore: string;
  fileBatch: { store: string; id: string };
  memories: string[];
  response: string;
  policies: string[];
  policy: string;
}

/**
 * One list route. `route` is its OpenAPI path; `path` the concrete one (it may
 * carry a query of its own, like `?user=`). `cursor` is what `after` takes for
 * a row (its id unless said otherwise). `expectAll` checks the whole list, in
 * ascending order, against what was created: a list may hold more than this
 * test made (the bootstrap key, the built-in tools).
 */
interface ListCase {
  route: string;
  path: (f: Fixtures) => string;
  cursor?: (row: Row) => string;
  /** The largest limit the route takes, to read the whole list in one page. */
  maxLimit?: number;
  expectAll: (cursors: string[], f: Fixtures, rows: Row[]) => void;
}

const exactly = (pick: (f: Fixtures) => string[]) => (cursors: string[], f: Fixtures) =>
  expect(cursors).toEqual(pick(f));

const BUILTIN_TOOLS = ['browser', 'code_interpreter', 'fetch_url', 'file_search', 'web_search'];
const DIR_TOOLS = ['dir_alpha', 'dir_beta'];
const USER = 'pager-user';

const CASES: ListCase[] = [
  { route: '/v1/agents', path: () => '/v1/agents', expectAll: exactly((f) => f.agents) },
  {
    route: '/v1/agents/{id}/versions',
    path: (f) => `/v1/agents/${f.agent}/versions`,
    cursor: (row) => String(row.version),
    expectAll: exactly(() => ['1', '2', '3']),
  },
  { route: '/v1/conversations', path: () => '/v1/conversations', expectAll: exactly((f) => f.conversations) },
  {
    route: '/v1/conversations/{id}/items',
    path: (f) => `/v1/conversations/${f.conversation}/items`,
    expectAll: exactly((f) => f.items),
  },
  {
    // The bootstrap admin key is listed too, before the ones made here.
    route: '/v1/api_keys',
    path: () => '/v1/api_keys',
    expectAll: (cursors, f) => {
      expect(cursors).toHaveLength(f.apiKeys.length + 1);
      expect(cursors.slice(1)).toEqual(f.apiKeys);
    },
  },
  {
    // Oldest first: the built-ins and the tool directory's (no creation time, by id), then registered ones.
    route: '/v1/tools',
    path: () => '/v1/tools',
    expectAll: exactly((f) => [
      ...BUILTIN_TOOLS.map((name) => `builtin:${name}`),
      ...DIR_TOOLS.map((name) => `dir:${name}`),
      ...f.tools,
    ]),
  },
  { route: '/v1/secrets', path: () => '/v1/secrets', expectAll: exactly((f) => f.secrets) },
  { route: '/v1/files', path: () => '/v1/files', expectAll: exactly((f) => f.files) },
  {
    route: '/v1/vector_stores',
    path: () => '/v1/vector_stores',
    expectAll: exactly((f) => f.vectorStores),
  },
  {
    route: '/v1/vector_stores/{id}/files',
    path: (f) => `/v1/vector_stores/${f.vectorStore}/files`,
    expectAll: exactly((f) => f.files),
  },
  {
    route: '/v1/vector_stores/{id}/file_batches/{batch_id}/files',
    path: (f) => `/v1/vector_stores/${f.fileBatch.store}/file_batches/${f.fileBatch.id}/files`,
    expectAll: exactly((f) => f.files),
  },
  {
    route: '/v1/memories',
    path: () => `/v1/memories?user=${USER}`,
    expectAll: exactly((f) => f.memories),
  },
  {
    route: '/v1/responses/{id}/input_items',
    path: (f) => `/v1/responses/${f.response}/input_items`,
    expectAll: (cursors, _f, rows) => {
      expect(cursors).toHaveLength(3);
      const texts = rows.map((row) => (row.content as { text: string }[])[0]?.text);
      expect(texts).toEqual(['first', 'second', 'third']);
    },
  },
  {
    // The event log: cursors are sequence numbers, 1 to the last, with no gap.
    route: '/v1/responses/{id}/events',
    path: (f) => `/v1/responses/${f.response}/events`,
    cursor: (row) => String(row.sequence_number),
    maxLimit: 1000,
    expectAll: (cursors, _f, rows) => {
      expect(cursors.length).toBeGreaterThanOrEqual(3);
      expect(cursors).toEqual(cursors.map((_, index) => String(index + 1)));
      expect(rows[0]?.type).toBe('response.created');
      expect(rows.at(-1)?.type).toBe('response.completed');
    },
  },
];

// The audit log and policies (created last, so no policy stands in the way of the fixtures above).
CASES.push(
  { route: '/v1/policies', path: () => '/v1/policies', expectAll: exactly((f) => f.policies) },
  {
    route: '/v1/policies/{id}/versions',
    path: (f) => `/v1/policies/${f.policy}/versions`,
    cursor: (row) => String(row.version),
    expectAll: exactly(() => ['1', '2', '3']),
  },
  {
    // Every change this test made is there, in the order it was made, the chain without a gap.
    route: '/v1/audit_events',
    path: () => '/v1/audit_events',
    expectAll: (_cursors, f, rows) => {
      const sequences = rows.map((row) => (row.chain as { sequence: number }).sequence);
      expect(sequences).toEqual(sequences.map((_, index) => sequences[0]! + index));
      const policyEvents = rows
        .filter((row) => String(row.type).startsWith('policy.'))
        .map((row) => [row.type, (row.resource as { id: string }).id]);
      expect(policyEvents).toEqual([
        ...f.policies.map((id) => ['policy.created', id]),
        ['policy.updated', f.policy],
        ['policy.updated', f.policy],
      ]);
    },
  },
);

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
const cursorOf = (c: ListCase, row: Row) => (c.cursor ? c.cursor(row) : String(row.id));

describe.each(BACKENDS)('cursor pagination of every list on %s', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let toolDir: string;
  const f = {} as Fixtures;

  /** Reads a list page by page with limit=2, checking each page; returns the rows in the order read. */
  async function walk(c: ListCase, order: 'asc' | 'desc'): Promise<Row[]> {
    const rows: Row[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      expect(pages, `${c.route} ${order}: too many pages`).toBeLessThan(50);
      const query = `limit=2&order=${order}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`;
      const page = await api.get(withQuery(c.path(f), query));
      const where = `${c.route} ${order} page ${pages + 1}`;
      expect(page.status, `${where}: ${JSON.stringify(page.body)}`).toBe(200);
      expect(page.body.object, where).toBe('list');
      const data = page.body.data as Row[];
      expect(data.length, where).toBeLessThanOrEqual(2);
      expect(page.body.first_id, where).toBe(data[0] ? cursorOf(c, data[0]) : null);
      expect(page.body.last_id, where).toBe(data.at(-1) ? cursorOf(c, data.at(-1)!) : null);
      rows.push(...data);
      if (!page.body.has_more) return rows;
      // A page that says more follow is full.
      expect(data.length, where).toBe(2);
      after = page.body.last_id as string;
    }
  }

  async function post(path: string, body: unknown): Promise<Row> {
    const response = await api.post(path, body);
    expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-pagination-tools-'));
    for (const name of DIR_TOOLS) {
      writeFileSync(
        join(toolDir, `${name}.json`),
        JSON.stringify({
          name,
          input_schema: { type: 'object' },
          adapter: { type: 'http', url: 'http://127.0.0.1:9/tool' },
        }),
      );
    }
    server = await startTestServer({ backend, env: { AGENTD_TOOL_DIR: toolDir } });
    api = new ApiClient(server.url, server.adminKey);
    const three = [1, 2, 3];

    f.agents = [];
    for (const n of three) f.agents.push(String((await post('/v1/agents', { name: `pager-${n}` })).id));
    f.agent = f.agents[0]!;
    for (const n of [2, 3]) await api.patch(`/v1/agents/${f.agent}`, { instructions: `Version ${n}.` });

    f.conversations = [];
    for (const _ of three) f.conversations.push(String((await post('/v1/conversations', {})).id));
    f.conversation = f.conversations[0]!;
    const items = await post(`/v1/conversations/${f.conversation}/items`, {
      items: three.map((n) => ({ role: 'user', content: `item ${n}` })),
    });
    f.items = (items.data as Row[]).map((item) => String(item.id));

    f.apiKeys = [];
    for (const n of three) f.apiKeys.push(String((await post('/v1/api_keys', { name: `pager-${n}` })).id));

    f.tools = [];
    for (const n of three) {
      const tool = await post('/v1/tools', {
        name: `pager_tool_${n}`,
        input_schema: { type: 'object' },
        adapter: { type: 'http', url: 'http://127.0.0.1:9/tool' },
      });
      f.tools.push(String(tool.id));
    }

    f.secrets = [];
    for (const n of three)
      f.secrets.push(String((await post('/v1/secrets', { name: `pager-${n}`, value: `v${n}` })).id));

    f.files = [];
    for (const n of three) f.files.push(await uploadedId(api, `The pager-${n}.txt file.`, `pager-${n}.txt`));
    f.vectorStores = [];
    for (const n of three) {
      const body = n === 1 ? { name: `pager-${n}`, file_ids: f.files } : { name: `pager-${n}` };
      f.vectorStores.push(String((await post('/v1/vector_stores', body)).id));
    }
    f.vectorStore = f.vectorStores[0]!;
    const batch = await post(`/v1/vector_stores/${f.vectorStores[1]}/file_batches`, { file_ids: f.files });
    f.fileBatch = { store: f.vectorStores[1]!, id: String(batch.id) };

    await post('/v1/memories/consent', { user: USER, enabled: true });
    f.memories = [];
    for (const n of three)
      f.memories.push(String((await post('/v1/memories', { user: USER, text: `Fact ${n}.` })).id));

    const response = await post('/v1/responses', {
      input: ['first', 'second', 'third'].map((text) => ({ role: 'user', content: text })),
    });
    expect(response.status).toBe('completed');
    f.response = String(response.id);

    const forbid = (tool: string) =>
      `forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"${tool}");`;
    f.policies = [];
    for (const n of three)
      f.policies.push(
        String((await post('/v1/policies', { name: `pager-${n}`, policy: forbid(`none_${n}`) })).id),
      );
    f.policy = f.policies[0]!;
    for (const n of [2, 3])
      await post(`/v1/policies/${f.policy}`, { name: 'pager-1', policy: forbid(`v${n}`) });
  });
  afterAll(async () => {
    await server?.close();
    if (toolDir) rmSync(toolDir, { recursive: true, force: true });
  });

  it('has a case for every list route the OpenAPI document declares', async () => {
    const doc = (await api.get('/openapi.json')).body;
    type Schema = { $ref?: string; properties?: Record<string, unknown> };
    type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
    const schemas = doc.components.schemas as Record<string, Schema>;
    const lists: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Record<string, { get?: Operation }>)) {
      const schema = operations.get?.responses?.['200']?.content?.['application/json']?.schema;
      const resolved = schema?.$ref ? schemas[schema.$ref.split('/').at(-1)!] : schema;
      if (resolved?.properties?.has_more) lists.push(path);
    }
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.filter((route) => !CASES.some((c) => c.route === route))).toEqual([]);
    expect(CASES.map((c) => c.route).filter((route) => !lists.includes(route))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.route, c] as const))(
    'pages %s by limit=2 and after, in both orders',
    async (_route, c) => {
      const whole = await api.get(withQuery(c.path(f), `limit=${c.maxLimit ?? 100}&order=asc`));
      expect(whole.status, JSON.stringify(whole.body)).toBe(200);
      expect(whole.body).toMatchObject({ object: 'list', has_more: false });
      const all = whole.body.data as Row[];
      const cursors = all.map((row) => cursorOf(c, row));
      expect(cursors.length).toBeGreaterThanOrEqual(3);
      expect(new Set(cursors).size).toBe(cursors.length);
      c.expectAll(cursors, f, all);

      // Page by page, every entry comes exactly once, in order; desc is asc reversed.
      const asc = await walk(c, 'asc');
      expect(asc.map((row) => cursorOf(c, row))).toEqual(cursors);
      expect(asc).toEqual(all);
      const desc = await walk(c, 'desc');
      expect(desc.map((row) => cursorOf(c, row))).toEqual([...cursors].reverse());

      // Desc is the default, except for the event log, which reads in the order it happened.
      const first = await api.get(withQuery(c.path(f), 'limit=2'));
      const defaultOrder = c.route.endsWith('/events') ? cursors : [...cursors].reverse();
      expect(first.body.data.map((row: Row) => cursorOf(c, row))).toEqual(defaultOrder.slice(0, 2));
      expect(first.body.has_more).toBe(true);

      // After the last entry there is nothing more.
      const end = await api.get(
        withQuery(c.path(f), `order=asc&after=${encodeURIComponent(cursors.at(-1)!)}`),
      );
      expect(end.status).toBe(200);
      expect(end.body).toMatchObject({ data: [], first_id: null, last_id: null, has_more: false });
    },
  );

  it('keeps `after` of the event log a sequence number, and bounds its limit', async () => {
    const path = `/v1/responses/${f.response}/events`;
    const all = (await api.get(`${path}?limit=1000`)).body.data as Row[];
    const after = await api.get(`${path}?after=2`);
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual(all.slice(2));
    expect(after.body.first_id).toBe('3');
    const before = await api.get(`${path}?after=3&order=desc`);
    expect(before.body.data.map((event: Row) => event.sequence_number)).toEqual([2, 1]);
    expect(before.body.has_more).toBe(false);

    for (const [query, param] of [
      ['limit=1001', 'limit'],
      ['limit=0', 'limit'],
      ['after=evt_1', 'after'],
      ['order=sideways', 'order'],
    ]) {
      const refused = await api.get(`${path}?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error.param, query).toBe(param);
    }
  });

  it('pages the tools list across registered and server-wide tools with an id from either as cursor', async () => {
    // The last registered tool, then the first server-wide one, in the default (desc) order.
    const across = await api.get(`/v1/tools?limit=2&after=${f.tools[1]}`);
    expect(across.body.data.map((tool: Row) => tool.id)).toEqual([f.tools[0], 'dir:dir_beta']);
    expect(across.body.has_more).toBe(true);
    const fromDir = await api.get('/v1/tools?limit=100&after=dir:dir_beta');
    expect(fromDir.body.data.map((tool: Row) => tool.id)).toEqual([
      'dir:dir_alpha',
      ...[...BUILTIN_TOOLS].reverse().map((name) => `builtin:${name}`),
    ]);
    expect(fromDir.body.has_more).toBe(false);
    const fromBuiltin = await api.get('/v1/tools?limit=100&order=asc&after=builtin:web_search');
    expect(fromBuiltin.body.data.map((tool: Row) => tool.id)).toEqual([
      ...DIR_TOOLS.map((name) => `dir:${name}`),
      ...f.tools,
    ]);
  });
});

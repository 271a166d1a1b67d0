import type { ApiClient, FakeOpenAI } from '@agentd/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { uploadedId } from './support/uploads.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function indexedStore(api: ApiClient, fileIds: string[], chunking?: object): Promise<string> {
  const store = await api.post('/v1/vector_stores', {
    name: 'kb',
    file_ids: fileIds,
    ...(chunking ? { chunking_strategy: chunking } : {}),
  });
  for (let attempt = 0; attempt < 400; attempt++) {
    const current = await api.get(`/v1/vector_stores/${store.body.id}`);
    if (current.body.file_counts.completed === fileIds.length) return store.body.id;
    await sleep(50);
  }
  throw new Error('indexing did not finish');
}

type Output = { type: string; content?: { text: string; annotations: unknown[] }[]; [key: string]: unknown };
type FileSearchCall = Output & { id: string; results: { file_id: string; filename: string }[] };

const answerOf = (response: { output: Output[] }) =>
  response.output.filter((item) => item.type === 'message').at(-1)?.content?.[0];

/** Every system message text the fake model was sent. */
const systemTexts = (fake: FakeOpenAI) =>
  fake.requests.flatMap((request) =>
    ((request.body as { messages?: { role: string; content: string }[] }).messages ?? [])
      .filter((message) => message.role === 'system')
      .map((message) => message.content),
  );

describe('file_search and memory in runs', () => {
  const suite = fakeModelSuite({ backend: 'pglite', env: { OPENAI_API_KEY: 'sk-upstream' } });
  let refunds: string;
  let shipping: string;
  let storeId: string;

  beforeAll(async () => {
    const { api } = suite;
    refunds = await uploadedId(
      api,
      'Refund policy: customers may return unused items within 30 days for a full refund to the original card.',
      'refunds.txt',
    );
    shipping = await uploadedId(
      api,
      'Shipping: parcels leave our warehouse in Rotterdam within two business days; express costs 12 euros.',
      'shipping.txt',
    );
    storeId = await indexedStore(api, [refunds, shipping]);
  });

  it('streams a file_search_call with its results and cites the passage in the answer', async () => {
    suite.fake.reset();
    suite.fake.enqueue(
      { toolCalls: [{ id: 'call_fs', name: 'file_search', arguments: '{"query":"refund within days"}' }] },
      { text: 'You have 30 days to return unused items [1].' },
    );
    const events = await suite.api.stream('/v1/responses', {
      input: 'How long do I have to return something?',
      tools: [{ type: 'file_search', vector_store_ids: [storeId], max_num_results: 2 }],
      include: ['file_search_call.results'],
      stream: true,
    });
    const types = events.map((event) => (event.data as { type: string }).type);
    const first = types.indexOf('response.file_search_call.in_progress');
    expect(first).toBeGreaterThan(-1);
    expect(types.slice(first, first + 3)).toEqual([
      'response.file_search_call.in_progress',
      'response.file_search_call.searching',
      'response.file_search_call.completed',
    ]);
    expect(types).toContain('response.output_text.annotation.added');

    const done = (events.at(-1)!.data as { response: { output: Output[] } }).response;
    const call = done.output.find((item): item is FileSearchCall => item.type === 'file_search_call');
    expect(call).toMatchObject({ status: 'completed', queries: ['refund within days'], call_id: 'call_fs' });
    expect(call?.id).toMatch(/^fs_/);
    expect(call?.results[0]).toMatchObject({ file_id: refunds, filename: 'refunds.txt' });
    expect(call?.results.length).toBeLessThanOrEqual(2);
    const answer = answerOf(done)!;
    expect(answer.annotations).toEqual([
      {
        type: 'file_citation',
        file_id: refunds,
        filename: 'refunds.txt',
        index: answer.text.indexOf('[1]') + 3,
        vector_store_id: storeId,
        chunk_index: 0,
      },
    ]);
    // The model saw the passage, marked as data from the file.
    const toolMessage = (
      suite.fake.requests[1]!.body as { messages: { role: string; content: string }[] }
    ).messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toContain('30 days');
    expect(toolMessage?.content).toContain('untrusted');
  });

  it('names the cited chunk in each file_citation, as file_search_call.results does', async () => {
    // Four paragraphs of about 60 tokens, cut into chunks of at most 100: one chunk each.
    const handbook = await uploadedId(
      suite.api,
      [
        'Welcome to the Northwind staff handbook. This guide explains how our shop works day to day: who to ask when something is unclear, where the shared calendars live, how holidays are booked through the portal, and which meetings every team attends on Monday mornings. Read it once in full during your first week and keep it at hand afterwards.',
        'Warranty: every appliance we sell carries a two-year warranty against manufacturing faults. Customers report a fault through the service desk, which books a technician visit within five working days. Damage from misuse, water or power surges is not covered, and batteries are covered for one year only.',
        'Returns: customers may return unused items within 30 days for a full refund to the original card. Items must come back in their original packaging with the receipt; opened software, gift cards and custom orders cannot be returned. Refunds are processed by the finance team every Friday afternoon.',
        'Shipping: parcels leave our warehouse in Rotterdam within two business days, and express delivery costs 12 euros. Orders above 80 euros ship free within the Netherlands and Belgium. Tracking links are mailed automatically once the carrier scans the parcel at the depot.',
      ].join('\n\n'),
      'handbook.txt',
    );
    const handbookStore = await indexedStore(suite.api, [handbook], {
      type: 'static',
      static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 },
    });
    suite.fake.reset();
    suite.fake.enqueue(
      {
        toolCalls: [
          { id: 'call_hb', name: 'file_search', arguments: '{"query":"return unused items refund 30 days"}' },
        ],
      },
      { text: 'Unused items go back within 30 days [1], and refunds leave on Fridays [2].' },
    );
    const events = await suite.api.stream('/v1/responses', {
      input: 'Can I return something?',
      tools: [{ type: 'file_search', vector_store_ids: [handbookStore], max_num_results: 3 }],
      include: ['file_search_call.results'],
      stream: true,
    });
    const done = (events.at(-1)!.data as { response: { output: Output[] } }).response;
    const call = done.output.find((item) => item.type === 'file_search_call') as unknown as {
      results: { file_id: string; vector_store_id: string; chunk_index: number; text: string }[];
    };
    // The returns paragraph is the third chunk (chunk_index 2), and the best match.
    expect(call.results[0]).toMatchObject({
      file_id: handbook,
      vector_store_id: handbookStore,
      chunk_index: 2,
    });
    expect(call.results[0]!.text).toMatch(/^Returns: .*30 days/);
    expect(call.results.length).toBeGreaterThanOrEqual(2);

    // [n] cites results[n - 1]: the same file, store and chunk.
    const answer = answerOf(done)!;
    const cited = (n: number) => ({
      type: 'file_citation',
      file_id: handbook,
      filename: 'handbook.txt',
      index: answer.text.indexOf(`[${n}]`) + 3,
      vector_store_id: handbookStore,
      chunk_index: call.results[n - 1]!.chunk_index,
    });
    expect(answer.annotations).toEqual([cited(1), cited(2)]);
    expect(answer.annotations[0]).toMatchObject({ chunk_index: 2 });

    // The stream announced the same annotations, one event each, chunk included.
    const added = events
      .map((event) => event.data as { type: string; annotation_index?: number; annotation?: unknown })
      .filter((data) => data.type === 'response.output_text.annotation.added');
    expect(added.map((data) => [data.annotation_index, data.annotation])).toEqual([
      [0, cited(1)],
      [1, cited(2)],
    ]);
  });

  it('lets web_search look in the tenant’s own files (source "files")', async () => {
    suite.fake.reset();
    suite.fake.enqueue(
      {
        toolCalls: [
          { id: 'call_ws', name: 'web_search', arguments: '{"query":"refund card","source":"files"}' },
        ],
      },
      { text: 'Refunds go to the original card.' },
    );
    const response = await suite.api.post('/v1/responses', {
      input: 'Where do refunds go?',
      tools: ['web_search'],
    });
    expect(response.body.status).toBe('completed');
    const output = response.body.output.find((item: Output) => item.type === 'function_call_output');
    expect(output.output).toContain('refunds.txt');
    expect(output.output).toContain('original card');
  });

  it('refuses a vector store that is not the tenant’s own', async () => {
    const created = await suite.api.post('/v1/tenants', { name: 'other' });
    const other = suite.api.withKey(created.body.api_key.value);
    const response = await other.post('/v1/responses', {
      input: 'hi',
      tools: [{ type: 'file_search', vector_store_ids: [storeId] }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'unknown_vector_store',
      param: 'tools[0].vector_store_ids[0]',
    });
  });

  it('searches files with the scripted model: "search my files for …"', async () => {
    const response = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: 'search my files for express shipping cost',
      tools: ['file_search'],
      include: ['file_search_call.results'],
    });
    expect(response.status).toBe(200);
    const call = response.body.output.find((item: Output) => item.type === 'file_search_call');
    expect(call.results[0].file_id).toBe(shipping);
    expect(answerOf(response.body)!.text).toContain('12 euros');

    // An OpenAI client sends the output back as input (stateless chaining): built-in tool items included.
    const echoed = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: [...response.body.output, { role: 'user', content: 'thanks' }],
      tools: ['file_search'],
    });
    expect(echoed.status).toBe(200);
    expect(echoed.body.status).toBe('completed');
    const inputItems = await suite.api.get(`/v1/responses/${echoed.body.id}/input_items?order=asc`);
    expect(inputItems.body.data.map((item: { type: string }) => item.type)).toContain('file_search_call');
  });

  describe('memory', () => {
    let agentId: string;

    beforeAll(async () => {
      const agent = await suite.api.post('/v1/agents', {
        name: 'concierge',
        instructions: 'Help the guest.',
        model: 'scripted',
        memory: { enabled: true },
      });
      agentId = agent.body.id;
    });

    it('refuses to remember anything about a user who has not opted in', async () => {
      const response = await suite.api.post('/v1/responses', {
        agent: agentId,
        user: 'guest-1',
        input: 'remember that I am allergic to peanuts',
      });
      expect(response.status).toBe(200);
      expect(answerOf(response.body)!.text).toContain('not opted in');
      expect((await suite.api.get('/v1/memories?user=guest-1')).body.data).toEqual([]);
    });

    it('remembers for an opted-in user, PII redacted, and recalls it in a later conversation', async () => {
      await suite.api.post('/v1/memories/consent', { user: 'guest-2', enabled: true });
      const saved = await suite.api.post('/v1/responses', {
        agent: agentId,
        user: 'guest-2',
        input: 'remember that I am allergic to peanuts; mail me at guest2@example.com',
      });
      expect(saved.body.status).toBe('completed');
      const memories = (await suite.api.get('/v1/memories?user=guest-2')).body.data;
      expect(memories).toHaveLength(1);
      expect(memories[0].text).toContain('allergic to peanuts');
      expect(memories[0].text).not.toContain('guest2@example.com');
      expect(memories[0].response_id).toBe(saved.body.id);

      // A new conversation, on the real model: the memory is in its context.
      suite.fake.reset();
      suite.fake.enqueue({ text: 'Noted: no peanuts in your order.' });
      const later = await suite.api.post('/v1/responses', {
        agent: agentId,
        model: 'suite.fake-model',
        user: 'guest-2',
        input: 'Can you suggest a snack? I am allergic to some nuts.',
      });
      expect(later.body.status).toBe('completed');
      const system = systemTexts(suite.fake).join('\n');
      expect(system).toContain('What you remember about this user');
      expect(system).toContain('allergic to peanuts');
      // Another user gets none of it.
      suite.fake.reset();
      suite.fake.enqueue({ text: 'Here is a snack.' });
      await suite.api.post('/v1/responses', {
        agent: agentId,
        model: 'suite.fake-model',
        user: 'guest-3',
        input: 'Can you suggest a snack? I am allergic to some nuts.',
      });
      expect(systemTexts(suite.fake).join('\n')).not.toContain('peanuts');
    });

    it('gives no memory tools to an agent without the memory setting', async () => {
      await suite.api.post('/v1/memories/consent', { user: 'guest-4', enabled: true });
      const response = await suite.api.post('/v1/responses', {
        model: 'scripted',
        user: 'guest-4',
        input: 'remember that I like jazz',
      });
      expect(response.status).toBe(200);
      expect(response.body.output.some((item: Output) => item.type === 'function_call')).toBe(false);
      expect((await suite.api.get('/v1/memories?user=guest-4')).body.data).toEqual([]);
    });
  });

  it('puts the run’s files under /mnt/data, read-only, for pandas to read', {
    timeout: 120_000,
  }, async () => {
    const csv = await uploadedId(suite.api, 'region,amount\nnorth,120\nsouth,80\nwest,45\n', 'sales.csv');
    const response = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input:
        "run python: import pandas as pd\ndf = pd.read_csv('/mnt/data/sales.csv')\nprint('total', df['amount'].sum())\ntry:\n    open('/mnt/data/sales.csv', 'w').write('x')\nexcept OSError as error:\n    print('read-only:', type(error).__name__)",
      tools: [{ type: 'code_interpreter', runtime: 'cpython', container: { type: 'auto', file_ids: [csv] } }],
      include: ['code_interpreter_call.outputs'],
    });
    expect(response.status).toBe(200);
    const call = response.body.output.find((item: Output) => item.type === 'code_interpreter_call');
    const logs = (call.outputs as { type: string; logs?: string }[]).find(
      (output) => output.type === 'logs',
    )?.logs;
    expect(logs).toContain('total 245');
    expect(logs).toMatch(/read-only: (PermissionError|OSError)/);

    const unknown = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: 'run python: print(1)',
      tools: [{ type: 'code_interpreter', container: { type: 'auto', file_ids: ['file_nope'] } }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_file',
      param: 'tools[0].container.file_ids[0]',
    });
  });

  it('stores code interpreter images as files the client can download', async () => {
    const response = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input:
        'run python: import base64, os\nos.makedirs("/mnt/data", exist_ok=True)\nopen("/mnt/data/out.txt","w").write("artifact body")',
      tools: ['code_interpreter'],
      include: ['code_interpreter_call.outputs'],
    });
    expect(response.body.status).toBe('completed');
    const call = response.body.output.find((item: Output) => item.type === 'code_interpreter_call');
    const file = (call.outputs ?? []).find((output: { type: string }) => output.type !== 'logs');
    expect(file).toBeDefined();
    const fileId = (file.file_id ?? file.url?.split('/')[3]) as string;
    const described = await suite.api.get(`/v1/files/${fileId}`);
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ purpose: 'assistants_output', filename: 'out.txt' });
    const content = await fetch(`${suite.agentd.server.url}/v1/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${suite.agentd.server.adminKey}` },
    });
    expect(await content.text()).toBe('artifact body');
  });
});

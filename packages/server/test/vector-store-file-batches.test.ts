import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POLL = { pollIntervalMs: 25 };

describe.each(BACKENDS)('vector store file batches through the official client on %s', (backend) => {
  let server: TestServer;
  let client: OpenAI;
  let outsider: OpenAI;
  let api: ApiClient;

  const upload = async (name: string, text: string) =>
    (await client.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'assistants' })).id;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.adminKey });
    api = new ApiClient(server.url, server.adminKey);
    const tenant = await api.post('/v1/tenants', { name: 'batch-outsider' });
    outsider = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: tenant.body.api_key.value });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a batch from file_ids, polls it to completed, and lists its files', async () => {
    const ids = [
      await upload('otters.txt', 'Sea otters hold hands while they sleep.'),
      await upload('owls.txt', 'Barn owls hunt by sound in complete darkness.'),
      await upload('bees.txt', 'Honey bees dance to tell where the flowers are.'),
    ];
    const store = await client.vectorStores.create({ name: 'animals' });
    const batch = await client.vectorStores.fileBatches.createAndPoll(
      store.id,
      { file_ids: ids, attributes: { topic: 'animals' } },
      POLL,
    );
    expect(batch).toMatchObject({
      object: 'vector_store.files_batch',
      vector_store_id: store.id,
      status: 'completed',
      file_counts: { in_progress: 0, completed: 3, failed: 0, cancelled: 0, total: 3 },
    });
    expect(batch.id).toMatch(/^vsfb_/);
    expect(await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id })).toEqual(
      batch,
    );

    const listed = [];
    for await (const file of client.vectorStores.fileBatches.listFiles(batch.id, {
      vector_store_id: store.id,
      limit: 2,
    }))
      listed.push(file);
    expect(listed.map((file) => file.id).sort()).toEqual([...ids].sort());
    for (const file of listed)
      expect(file).toMatchObject({ status: 'completed', attributes: { topic: 'animals' } });

    const hits = await client.vectorStores.search(store.id, { query: 'owls hunting in darkness' });
    expect(hits.data[0]?.file_id).toBe(ids[1]);
    expect((await client.vectorStores.retrieve(store.id)).file_counts.completed).toBe(3);
  });

  it('uploads files and batches them with uploadAndPoll', async () => {
    const store = await client.vectorStores.create({ name: 'uploaded' });
    // uploadAndPoll polls without the caller's interval: the server's openai-poll-after-ms sets it.
    const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, {
      files: [
        await toFile(Buffer.from('Granite is an igneous rock.'), 'granite.txt'),
        await toFile(Buffer.from('Marble is a metamorphic rock.'), 'marble.txt'),
      ],
    });
    expect(batch.status).toBe('completed');
    expect(batch.file_counts).toMatchObject({ completed: 2, total: 2 });
    const hits = await client.vectorStores.search(store.id, { query: 'metamorphic marble' });
    expect(hits.data[0]?.filename).toBe('marble.txt');
  });

  it('gives each entry of `files` its own attributes and chunking, and filters the list by status', async () => {
    const good = await upload('notes.txt', 'Plain notes about a quiet harbour.');
    const bad = await upload('blob.bin', '\u0000\u0001\u0002 not a document');
    const store = await client.vectorStores.create({ name: 'mixed' });
    const batch = await client.vectorStores.fileBatches.createAndPoll(
      store.id,
      {
        files: [
          {
            file_id: good,
            attributes: { kind: 'notes' },
            chunking_strategy: {
              type: 'static',
              static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 20 },
            },
          },
          { file_id: bad },
        ],
      },
      POLL,
    );
    expect(batch.file_counts).toMatchObject({ completed: 1, failed: 1, total: 2 });
    expect(batch.status).toBe('completed');
    const notes = await client.vectorStores.files.retrieve(good, { vector_store_id: store.id });
    expect(notes.attributes).toEqual({ kind: 'notes' });
    expect(notes.chunking_strategy).toEqual({
      type: 'static',
      static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 20 },
    });
    const failed = await client.vectorStores.fileBatches.listFiles(batch.id, {
      vector_store_id: store.id,
      filter: 'failed',
    });
    expect(failed.data.map((file) => file.id)).toEqual([bad]);
    expect(failed.data[0]?.last_error?.code).toBeTruthy();
  });

  it('cancels a batch whose files are still being indexed: they get no chunks', async () => {
    // Holds the embedder so that the batch is certainly still in progress when it is cancelled.
    const embedder = server.server.services.embedder;
    const embed = embedder.embed.bind(embedder);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    embedder.embed = async (texts) => {
      await gate;
      return embed(texts);
    };
    try {
      const ids = [
        await upload('comet.txt', 'Comets grow tails of gas near the sun.'),
        await upload('nebula.txt', 'Nebulae are clouds where stars are born.'),
        await upload('quasar.txt', 'Quasars outshine whole galaxies.'),
      ];
      const store = await client.vectorStores.create({ name: 'space' });
      const started = await client.vectorStores.fileBatches.create(store.id, { file_ids: ids });
      expect(started.status).toBe('in_progress');
      expect(started.file_counts).toMatchObject({ in_progress: 3, total: 3 });
      const cancelled = await client.vectorStores.fileBatches.cancel(started.id, {
        vector_store_id: store.id,
      });
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.file_counts).toMatchObject({ in_progress: 0, cancelled: 3, total: 3 });
      release();
      await server.server.services.ingestion.idle();

      const after = await client.vectorStores.fileBatches.retrieve(started.id, { vector_store_id: store.id });
      expect(after.status).toBe('cancelled');
      expect(after.file_counts.cancelled).toBe(3);
      const files = await client.vectorStores.fileBatches.listFiles(started.id, {
        vector_store_id: store.id,
        filter: 'cancelled',
      });
      expect(files.data).toHaveLength(3);
      const hits = await client.vectorStores.search(store.id, { query: 'comets tails' });
      expect(hits.data).toEqual([]);
      // Cancelling again changes nothing.
      const again = await client.vectorStores.fileBatches.cancel(started.id, { vector_store_id: store.id });
      expect(again).toEqual(after);
    } finally {
      release();
      embedder.embed = embed;
    }
  });

  it('takes a chunking strategy for a single file too, as OpenAI does', async () => {
    const store = await client.vectorStores.create({ name: 'single' });
    const fileId = await upload('single.txt', 'One file with its own chunking.');
    const chunking = {
      type: 'static' as const,
      static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 0 },
    };
    const added = await client.vectorStores.files.createAndPoll(
      store.id,
      { file_id: fileId, chunking_strategy: chunking },
      POLL,
    );
    expect(added).toMatchObject({ status: 'completed', chunking_strategy: chunking });
    const refused = await api.post(`/v1/vector_stores/${store.id}/files`, {
      file_id: fileId,
      chunking_strategy: {
        type: 'static',
        static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 200 },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'invalid_chunking_strategy',
      param: 'chunking_strategy',
    });
  });

  it('refuses to cancel a batch that has finished, with a 409', async () => {
    const store = await client.vectorStores.create({ name: 'done' });
    const batch = await client.vectorStores.fileBatches.createAndPoll(
      store.id,
      { file_ids: [await upload('done.txt', 'Finished already.')] },
      POLL,
    );
    const refused = await api.post(`/v1/vector_stores/${store.id}/file_batches/${batch.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: 'conflict_error', code: 'batch_not_cancellable' });
  });

  it('refuses bad batches naming the field, adding none of their files', async () => {
    const file = await upload('ok.txt', 'A fine file.');
    const store = await client.vectorStores.create({ name: 'strict' });
    const cases: Array<[unknown, string, string]> = [
      [{}, 'file_ids', 'invalid_request'],
      [{ file_ids: [file], files: [{ file_id: file }] }, 'file_ids', 'invalid_request'],
      [{ file_ids: [] }, 'file_ids', 'invalid_request'],
      [{ file_ids: [file, 'file_nope'] }, 'file_ids[1]', 'unknown_file'],
      [{ files: [{ file_id: file }, { file_id: file }] }, 'files[1].file_id', 'duplicate_file'],
      [
        {
          files: [
            {
              file_id: file,
              chunking_strategy: {
                type: 'static',
                static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 150 },
              },
            },
          ],
        },
        'files[0].chunking_strategy',
        'invalid_chunking_strategy',
      ],
    ];
    for (const [body, param, code] of cases) {
      const refused = await api.post(`/v1/vector_stores/${store.id}/file_batches`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.param, JSON.stringify(body)).toBe(param);
      if (code !== 'invalid_request') expect(refused.body.error.code).toBe(code);
    }
    expect((await client.vectorStores.retrieve(store.id)).file_counts.total).toBe(0);
    const missing = await api.get(`/v1/vector_stores/${store.id}/file_batches/vsfb_nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('vector_store_file_batch_not_found');
  });

  it("keeps one tenant's batches from another", async () => {
    const file = await upload('private.txt', 'Tenant A private batch text.');
    const store = await client.vectorStores.create({ name: 'private' });
    const batch = await client.vectorStores.fileBatches.createAndPoll(store.id, { file_ids: [file] }, POLL);
    const attempts = [
      () => outsider.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id }),
      () => outsider.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: store.id }),
      () => outsider.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id }),
      () => outsider.vectorStores.fileBatches.create(store.id, { file_ids: [file] }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ status: 404 });
    const own = await outsider.vectorStores.create({ name: 'b-store' });
    await expect(
      outsider.vectorStores.fileBatches.create(own.id, { file_ids: [file] }),
    ).rejects.toMatchObject({
      status: 400,
      error: { code: 'unknown_file', param: 'file_ids[0]' },
    });
    expect(await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id })).toEqual(
      batch,
    );
  });
});

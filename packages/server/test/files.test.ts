import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, type S3TestServer, startS3TestServer } from '@agentd/testing';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';
import { type UploadBody, upload } from './support/uploads.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function download(api: ApiClient, id: string) {
  const response = await fetch(`${api.baseUrl}/v1/files/${id}/content`, {
    headers: { authorization: `Bearer ${api.apiKey}` },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes };
}

/** Waits until every file of a vector store has finished indexing. */
async function indexed(api: ApiClient, storeId: string) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const store = await api.get(`/v1/vector_stores/${storeId}`);
    if (store.body.file_counts.in_progress === 0) return store.body;
    await sleep(50);
  }
  throw new Error(`vector store ${storeId} is still indexing`);
}

/** A PDF with one page of text per entry, made with pdf-lib. */
async function pdfOf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([600, 400]);
    page.drawText(text, { x: 40, y: 340, size: 12, font, maxWidth: 520, lineHeight: 16 });
  }
  return doc.save();
}

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.each(BACKENDS)('files, vector stores and memory on %s', (backend) => {
  const suite = testServerSuite({
    backend,
    env: { AGENTD_FILE_MAX_BYTES: String(256 * 1024), AGENTD_BODY_LIMIT: '4096' },
  });

  describe('files', () => {
    it('uploads, describes, lists, downloads and deletes a file', async () => {
      const text = 'Quarterly numbers: revenue rose 12%.\n'.repeat(200);
      const created = await upload(suite.api, text, 'report.txt', { type: 'text/plain' });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        object: 'file',
        filename: 'report.txt',
        purpose: 'assistants',
        bytes: Buffer.byteLength(text),
        status: 'processed',
      });
      const id = created.body.id as string;
      expect(id).toMatch(/^file_/);

      expect((await suite.api.get(`/v1/files/${id}`)).body).toEqual(created.body);
      const list = await suite.api.get('/v1/files?purpose=assistants');
      expect(list.body.data.map((file: { id: string }) => file.id)).toContain(id);

      const content = await download(suite.api, id);
      expect(content.status).toBe(200);
      expect(content.bytes.toString('utf8')).toBe(text);
      expect(content.headers.get('content-type')).toBe('text/plain');
      expect(content.headers.get('content-disposition')).toContain('filename="report.txt"');

      expect((await suite.api.delete(`/v1/files/${id}`)).body).toEqual({ id, object: 'file', deleted: true });
      expect((await suite.api.get(`/v1/files/${id}`)).status).toBe(404);
      expect((await download(suite.api, id)).status).toBe(404);
    });

    it('keeps the bytes encrypted at rest', async () => {
      const secret = 'The launch code is PLAINTEXT-MARKER-7731.';
      const created = await upload(suite.api, secret, 'secret.txt');
      const stored = filesUnder(join(suite.server.dataDir, 'objects')).filter((path) =>
        path.includes(created.body.id),
      );
      expect(stored.length).toBeGreaterThan(0);
      for (const path of stored) expect(readFileSync(path).includes('PLAINTEXT-MARKER')).toBe(false);
      expect((await download(suite.api, created.body.id)).bytes.toString()).toBe(secret);
    });

    it('refuses a tampered file with a clear error instead of returning altered bytes', async () => {
      const created = await upload(suite.api, 'x'.repeat(5000), 'tamper.txt');
      const data = filesUnder(join(suite.server.dataDir, 'objects')).find(
        (path) => path.includes(created.body.id) && !path.endsWith('.dek'),
      )!;
      const bytes = readFileSync(data);
      bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
      writeFileSync(data, bytes);
      const content = await download(suite.api, created.body.id);
      expect(content.status).toBe(500);
      const body = JSON.parse(content.bytes.toString());
      expect(body.error.code).toBe('file_unreadable');
      expect(body.error.message).toMatch(/integrity/);
    });

    it('says what is wrong with a bad upload', async () => {
      const noPurpose = await upload(suite.api, 'hello', 'a.txt', { purpose: null });
      expect(noPurpose.status).toBe(400);
      expect(noPurpose.body.error).toMatchObject({ code: 'missing_purpose', param: 'purpose' });

      const badPurpose = await upload(suite.api, 'hello', 'a.txt', { purpose: 'world-domination' });
      expect(badPurpose.status).toBe(400);
      expect(badPurpose.body.error).toMatchObject({ code: 'invalid_purpose', param: 'purpose' });

      const json = await suite.api.post('/v1/files', { file: 'hello' });
      expect(json.status).toBe(415);

      const form = new FormData();
      form.append('purpose', 'assistants');
      const noFile = await fetch(`${suite.api.baseUrl}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${suite.api.apiKey}` },
        body: form,
      });
      expect(noFile.status).toBe(400);
      expect(((await noFile.json()) as { error: unknown }).error).toMatchObject({
        code: 'invalid_upload',
        param: 'file',
      });

      const anonymous = await fetch(`${suite.api.baseUrl}/v1/files`, {
        method: 'POST',
        body: new FormData(),
      });
      expect(anonymous.status).toBe(401);
    });

    it('stops an upload over the size limit with 413 and keeps nothing of it', async () => {
      const before = (await suite.api.get('/v1/files?limit=100')).body.data.length;
      const tooBig = await upload(suite.api, new Uint8Array(300 * 1024), 'big.bin');
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error).toMatchObject({ code: 'file_too_large' });
      expect(tooBig.body.error?.message).toContain('AGENTD_FILE_MAX_BYTES');
      // Declared far past the limit: refused on its Content-Length, before the body is read.
      const declared = await upload(suite.api, new Uint8Array(1536 * 1024), 'bigger.bin');
      expect(declared.status).toBe(413);
      expect(declared.body.error).toMatchObject({ code: 'file_too_large', param: 'file' });
      expect(declared.body.error?.message).toContain('(Content-Length)');
      expect((await suite.api.get('/v1/files?limit=100')).body.data.length).toBe(before);
      const reservations = await suite.server.server.services.db.query(
        'SELECT count(*)::int AS n FROM file_upload_reservations',
      );
      expect(reservations[0]).toEqual({ n: 0 });
    });
  });

  describe('vector stores and search', () => {
    let storeId: string;
    const docs: Record<string, string> = {};

    beforeAll(async () => {
      const pdf = await pdfOf([
        'Volcanoes form where magma rises through the crust. Basalt lava flows are runny.',
        'Pyroclastic flows are fast avalanches of hot ash and gas from an erupting volcano.',
      ]);
      const files: [string, string | Uint8Array, string][] = [
        [
          'astronomy.txt',
          'Jupiter is the largest planet; its Great Red Spot is a giant storm.',
          'text/plain',
        ],
        [
          'cooking.md',
          '# Bread\n\nKnead the dough for ten minutes, then let the yeast proof it until doubled.',
          'text/markdown',
        ],
        [
          'gardening.html',
          '<html><head><title>Roses</title><script>alert(1)</script></head><body><article><h1>Roses</h1><p>Prune roses in late winter and feed them compost in spring.</p></article></body></html>',
          'text/html',
        ],
        [
          'inventory.json',
          JSON.stringify({ warehouse: 'north', items: [{ sku: 'kayak-7', paddles: 2 }] }),
          'application/json',
        ],
        ['staff.csv', 'name,role,city\nAda,engineer,London\nGrace,admiral,Arlington\n', 'text/csv'],
        ['volcanoes.pdf', pdf, 'application/pdf'],
      ];
      const ids: string[] = [];
      for (const [name, content, type] of files) {
        const created = await upload(suite.api, content, name, { type });
        expect(created.status, name).toBe(200);
        docs[name] = created.body.id;
        ids.push(created.body.id);
      }
      const store = await suite.api.post('/v1/vector_stores', {
        name: 'handbook',
        file_ids: ids.slice(0, 3),
        chunking_strategy: {
          type: 'static',
          static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 40 },
        },
      });
      expect(store.status).toBe(200);
      expect(store.body).toMatchObject({ object: 'vector_store', name: 'handbook' });
      storeId = store.body.id;
      for (const [index, id] of ids.slice(3).entries()) {
        const added = await suite.api.post(`/v1/vector_stores/${storeId}/files`, {
          file_id: id,
          attributes: { kind: index === 2 ? 'pdf' : 'data', year: 2020 + index },
        });
        expect(added.status).toBe(200);
        expect(added.body).toMatchObject({ object: 'vector_store.file', vector_store_id: storeId });
      }
    });

    it('indexes every supported file type and reports each as completed', async () => {
      const store = await indexed(suite.api, storeId);
      expect(store.file_counts).toEqual({ in_progress: 0, completed: 6, failed: 0, cancelled: 0, total: 6 });
      expect(store.status).toBe('completed');
      expect(store.usage_bytes).toBeGreaterThan(0);
      // PGlite always has pgvector; a PostgreSQL server without it searches exactly, and says so once.
      const kind = suite.server.server.services.vectors.kind;
      expect(kind).toBe(
        backend === 'pglite' || suite.server.server.services.db.hasVector ? 'pgvector' : 'array',
      );
      const warnings = suite.server.logs.filter((line) => String(line.msg).includes('exact vector search'));
      expect(warnings).toHaveLength(kind === 'array' ? 1 : 0);
      const files = await suite.api.get(`/v1/vector_stores/${storeId}/files?filter=completed&limit=100`);
      expect(files.body.data).toHaveLength(6);
      expect(files.body.data[0].chunking_strategy).toEqual({
        type: 'static',
        static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 40 },
      });
    });

    it.each([
      ['What is the biggest planet and its storm?', 'astronomy.txt'],
      ['how long to knead bread dough with yeast', 'cooking.md'],
      ['when should I prune roses', 'gardening.html'],
      ['which warehouse has the kayak', 'inventory.json'],
      ['who is the admiral from Arlington', 'staff.csv'],
      ['pyroclastic flows of hot ash', 'volcanoes.pdf'],
    ])('finds the right document for "%s"', async (query, expected) => {
      const result = await suite.api.post(`/v1/vector_stores/${storeId}/search`, {
        query,
        max_num_results: 3,
      });
      expect(result.status).toBe(200);
      expect(result.body.object).toBe('vector_store.search_results.page');
      expect(result.body.search_query).toEqual([query]);
      const top = result.body.data.map((hit: { file_id: string }) => hit.file_id);
      expect(top.slice(0, 3)).toContain(docs[expected]);
      const hit = result.body.data.find((entry: { file_id: string }) => entry.file_id === docs[expected]);
      expect(hit.filename).toBe(expected);
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
      expect(hit.content[0].type).toBe('text');
    });

    it('filters by file attributes and applies a score threshold', async () => {
      const pdfOnly = await suite.api.post(`/v1/vector_stores/${storeId}/search`, {
        query: 'volcano basalt lava',
        filters: { type: 'eq', key: 'kind', value: 'pdf' },
      });
      expect(pdfOnly.body.data.length).toBeGreaterThan(0);
      for (const hit of pdfOnly.body.data) expect(hit.file_id).toBe(docs['volcanoes.pdf']);

      const recent = await suite.api.post(`/v1/vector_stores/${storeId}/search`, {
        query: 'kayak warehouse admiral volcano',
        filters: {
          type: 'and',
          filters: [
            { type: 'gte', key: 'year', value: 2021 },
            { type: 'in', key: 'kind', value: ['data', 'pdf'] },
          ],
        },
      });
      const files = new Set(recent.body.data.map((hit: { file_id: string }) => hit.file_id));
      expect(files.has(docs['inventory.json'])).toBe(false);
      expect(files.size).toBeGreaterThan(0);

      const strict = await suite.api.post(`/v1/vector_stores/${storeId}/search`, {
        query: 'Jupiter storm',
        ranking_options: { score_threshold: 0.99 },
      });
      expect(strict.body.data).toEqual([]);

      const badFilter = await suite.api.post(`/v1/vector_stores/${storeId}/search`, {
        query: 'x',
        filters: { type: 'gt', key: 'year', value: true },
      });
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.error.param).toBe('filters');
    });

    it('reports a file it cannot read as failed, with the reason', async () => {
      const junk = await upload(
        suite.api,
        new Uint8Array([0, 159, 146, 150, 0, 1, 2, 3, 255, 254]),
        'blob.bin',
      );
      const added = await suite.api.post(`/v1/vector_stores/${storeId}/files`, { file_id: junk.body.id });
      expect(added.body.status).toBe('in_progress');
      await indexed(suite.api, storeId);
      const file = await suite.api.get(`/v1/vector_stores/${storeId}/files/${junk.body.id}`);
      expect(file.body.status).toBe('failed');
      expect(file.body.last_error.code).toBe('unsupported_file');
      expect(file.body.last_error.message).toMatch(/supported/i);
      await suite.api.delete(`/v1/vector_stores/${storeId}/files/${junk.body.id}`);
    });

    it('forgets a file removed from the store, and a deleted file everywhere', async () => {
      const query = { query: 'Jupiter Great Red Spot storm' };
      const before = await suite.api.post(`/v1/vector_stores/${storeId}/search`, query);
      expect(before.body.data[0].file_id).toBe(docs['astronomy.txt']);
      const removed = await suite.api.delete(`/v1/vector_stores/${storeId}/files/${docs['astronomy.txt']}`);
      expect(removed.body).toMatchObject({ deleted: true });
      const after = await suite.api.post(`/v1/vector_stores/${storeId}/search`, query);
      expect(after.body.data.map((hit: { file_id: string }) => hit.file_id)).not.toContain(
        docs['astronomy.txt'],
      );
      // The file itself stays until deleted; deleting it drops its chunks from every store.
      expect((await suite.api.get(`/v1/files/${docs['astronomy.txt']}`)).status).toBe(200);
      await suite.api.delete(`/v1/files/${docs['cooking.md']}`);
      const rows = await suite.server.server.services.db.query(
        'SELECT count(*)::int AS n FROM chunks WHERE file_id = $1',
        [docs['cooking.md']!],
      );
      expect(rows[0]).toEqual({ n: 0 });
    });

    it('says what is wrong with a bad request', async () => {
      const unknownFile = await suite.api.post('/v1/vector_stores', { file_ids: ['file_nope'] });
      expect(unknownFile.status).toBe(400);
      expect(unknownFile.body.error).toMatchObject({ code: 'unknown_file', param: 'file_ids[0]' });
      const badChunking = await suite.api.post('/v1/vector_stores', {
        chunking_strategy: {
          type: 'static',
          static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 150 },
        },
      });
      expect(badChunking.status).toBe(400);
      expect(badChunking.body.error.param).toBe('chunking_strategy');
      const emptyQuery = await suite.api.post(`/v1/vector_stores/${storeId}/search`, { query: '' });
      expect(emptyQuery.status).toBe(400);
      expect(emptyQuery.body.error.param).toBe('query');
    });
  });

  describe('memory', () => {
    it('remembers nothing about a user who has not opted in', async () => {
      const refused = await suite.api.post('/v1/memories', { user: 'carol', text: 'Carol likes tea.' });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'memory_refused' });
      expect(refused.body.error.message).toContain('opted in');
      expect((await suite.api.get('/v1/memories?user=carol')).body.data).toEqual([]);
      expect((await suite.api.get('/v1/memories/consent?user=carol')).body).toEqual({
        object: 'memory.consent',
        user: 'carol',
        enabled: false,
      });
    });

    it('redacts PII before it writes, lists, and erases leaving nothing behind', async () => {
      await suite.api.post('/v1/memories/consent', { user: 'dave', enabled: true });
      const saved = await suite.api.post('/v1/memories', {
        user: 'dave',
        text: 'Dave prefers window seats; reach him at dave@example.com or 4111 1111 1111 1111.',
      });
      expect(saved.status).toBe(200);
      expect(saved.body.text).toContain('window seats');
      expect(saved.body.text).not.toContain('dave@example.com');
      expect(saved.body.text).not.toContain('4111');
      const second = await suite.api.post('/v1/memories', { user: 'dave', text: 'Dave is vegetarian.' });
      const listed = await suite.api.get('/v1/memories?user=dave&order=asc');
      expect(listed.body.data.map((memory: { id: string }) => memory.id)).toEqual([
        saved.body.id,
        second.body.id,
      ]);
      // Another user of the same tenant sees nothing of Dave's.
      expect((await suite.api.get('/v1/memories?user=erin')).body.data).toEqual([]);

      const db = suite.server.server.services.db;
      const [row] = await db.query<{ cache_key: string }>('SELECT cache_key FROM memories WHERE id = $1', [
        saved.body.id,
      ]);
      const cached = async () =>
        (await db.query('SELECT 1 FROM embedding_cache WHERE key = $1', [row!.cache_key])).length;
      expect(await cached()).toBe(1);
      const erased = await suite.api.delete(`/v1/memories/${saved.body.id}`);
      expect(erased.body).toEqual({ id: saved.body.id, object: 'memory.deleted', deleted: true });
      expect(await db.query("SELECT id FROM memories WHERE text LIKE '%window seats%'")).toEqual([]);
      expect(await cached()).toBe(0);
      const all = await suite.api.delete('/v1/memories?user=dave');
      expect(all.body).toEqual({ object: 'memory.erased', user: 'dave', deleted: 1 });
      expect((await suite.api.get('/v1/memories?user=dave')).body.data).toEqual([]);
      expect((await suite.api.delete(`/v1/memories/${saved.body.id}`)).status).toBe(404);
    });
  });
});

describe('large uploads', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({
      backend: 'pglite',
      env: { AGENTD_FILE_MAX_BYTES: String(1024 * 1024 * 1024) },
    });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams a 96 MiB upload to storage and back, byte for byte', async () => {
    const size = 96 * 1024 * 1024;
    const boundary = 'agentd-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const sent = createHash('sha256');
    let produced = 0;
    const piece = Buffer.alloc(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      pull(controller) {
        if (produced >= size) {
          controller.enqueue(tail);
          controller.close();
          return;
        }
        piece.fill(produced / (1024 * 1024));
        sent.update(piece);
        produced += piece.length;
        controller.enqueue(Buffer.from(piece));
      },
    });
    const response = await fetch(`${api.baseUrl}/v1/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.apiKey}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
    } as RequestInit);
    const created = (await response.json()) as UploadBody;
    expect(response.status).toBe(200);
    expect(created.bytes).toBe(size);

    const back = await fetch(`${api.baseUrl}/v1/files/${created.id}/content`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    const received = createHash('sha256');
    let length = 0;
    for await (const chunk of back.body as unknown as AsyncIterable<Uint8Array>) {
      received.update(chunk);
      length += chunk.length;
    }
    expect(length).toBe(size);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
  });
});

describe('storage quota', () => {
  const quota = 1024 * 1024;
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({
      backend: 'pglite',
      env: {
        AGENTD_FILE_MAX_BYTES: String(64 * 1024 * 1024),
        AGENTD_TENANT_STORAGE_QUOTA_BYTES: String(quota),
      },
    });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
  });

  const fileCount = async () => (await api.get('/v1/files?limit=100')).body.data.length;
  const reservations = async () =>
    (
      await server.server.services.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM file_upload_reservations',
      )
    )[0]?.n;

  it('stops an upload that outgrows the remaining quota as it streams, and keeps nothing of it', async () => {
    const first = await upload(api, new Uint8Array(600 * 1024), 'first.bin');
    expect(first.status).toBe(200);
    const second = await upload(api, new Uint8Array(600 * 1024), 'second.bin');
    expect(second.status).toBe(413);
    expect(second.body.error?.code).toBe('storage_quota_exceeded');
    expect(second.body.error?.message).toContain('AGENTD_TENANT_STORAGE_QUOTA_BYTES');
    expect(await fileCount()).toBe(1);
    expect(await reservations()).toBe(0);
    expect(await server.server.services.files.repository.usage('tenant_default')).toBe(600 * 1024);
  });

  it('refuses an upload whose declared size cannot fit before reading it', async () => {
    const before = await fileCount();
    const tooBig = await upload(api, new Uint8Array(3 * 1024 * 1024), 'huge.bin');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error?.code).toBe('storage_quota_exceeded');
    expect(tooBig.body.error?.message).toContain('(Content-Length); your tenant has');
    expect(await fileCount()).toBe(before);
    expect(await reservations()).toBe(0);
  });

  it('makes room again when a file is deleted', async () => {
    const { data } = (await api.get('/v1/files?limit=100')).body;
    for (const file of data) expect((await api.delete(`/v1/files/${file.id}`)).status).toBe(200);
    const fits = await upload(api, new Uint8Array(900 * 1024), 'fits.bin');
    expect(fits.status).toBe(200);
  });
});

describe('master key rotation', () => {
  const keyA = Buffer.alloc(32, 1).toString('base64');
  const keyB = Buffer.alloc(32, 2).toString('base64');

  it('rewraps objects and secrets under the new key, after which the old key can go', async () => {
    const first = await startTestServer({ backend: 'pglite', env: { AGENTD_MASTER_KEY: keyA } });
    const dataDir = first.dataDir;
    let api = new ApiClient(first.url, first.adminKey);
    const created = await upload(api, 'rotate me', 'rotate.txt');
    expect(created.status).toBe(200);
    expect((await api.post('/v1/secrets', { name: 'weather-key', value: 'sk-weather-123' })).status).toBe(
      200,
    );
    const dataFile = filesUnder(join(dataDir, 'objects')).find(
      (path) => path.includes(created.body.id) && !path.endsWith('.dek'),
    )!;
    const sealedBytes = readFileSync(dataFile);
    await first.stop();

    const rotating = await startTestServer({
      backend: 'pglite',
      reuse: { dataDir },
      env: { AGENTD_MASTER_KEY: keyB, AGENTD_MASTER_KEY_PREVIOUS: keyA },
    });
    for (let attempt = 0; attempt < 200; attempt++) {
      if (rotating.logs.some((line) => String(line.msg).startsWith('master key rotation complete'))) break;
      await sleep(25);
    }
    const done = rotating.logs.find((line) => String(line.msg).startsWith('master key rotation complete'));
    expect(done).toMatchObject({ objects_rewrapped: 1, secrets_rewrapped: 1 });
    await rotating.stop();
    // The data object was not rewritten: only its wrapped data key changed.
    expect(readFileSync(dataFile).equals(sealedBytes)).toBe(true);

    const after = await startTestServer({
      backend: 'pglite',
      reuse: { dataDir },
      env: { AGENTD_MASTER_KEY: keyB },
    });
    api = new ApiClient(after.url, after.adminKey);
    const content = await download(api, created.body.id);
    expect(content.status).toBe(200);
    expect(content.bytes.toString()).toBe('rotate me');
    expect(await after.server.services.secrets.reveal('tenant_default', 'weather-key')).toBe(
      'sk-weather-123',
    );
    expect(after.rawLogs()).not.toContain(keyA);
    expect(after.rawLogs()).not.toContain(keyB);
    await after.close();
  });
});

describe('files on an S3-compatible object store (s3rver)', () => {
  let s3: S3TestServer;
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    s3 = await startS3TestServer();
    server = await startTestServer({
      backend: 'pglite',
      env: {
        AGENTD_OBJECT_STORE: 's3',
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_PREFIX: 'agentd',
      },
    });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });

  it('stores, indexes and serves files from the bucket, encrypted there', async () => {
    const text = 'Bucket-stored handbook: the fire exit is behind the kitchen. BUCKET-PLAINTEXT-MARKER';
    const created = await upload(api, text, 'handbook.txt');
    expect(created.status).toBe(200);
    expect((await download(api, created.body.id)).bytes.toString()).toBe(text);

    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'agentd/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
    const dataKey = keys.find((key) => key.endsWith(created.body.id));
    expect(dataKey).toBeDefined();
    expect(keys).toContain(`${dataKey}.dek`);
    const raw = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: dataKey }));
    expect(Buffer.from(await raw.Body!.transformToByteArray()).includes('BUCKET-PLAINTEXT-MARKER')).toBe(
      false,
    );

    const store = await api.post('/v1/vector_stores', { file_ids: [created.body.id] });
    await indexed(api, store.body.id);
    const found = await api.post(`/v1/vector_stores/${store.body.id}/search`, {
      query: 'where is the fire exit',
    });
    expect(found.body.data[0].file_id).toBe(created.body.id);

    expect((await api.delete(`/v1/files/${created.body.id}`)).status).toBe(200);
    const after = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'agentd/' }));
    expect((after.Contents ?? []).map((object) => object.Key)).not.toContain(dataKey);
    client.destroy();
  });
});

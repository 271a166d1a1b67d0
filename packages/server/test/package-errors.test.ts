/**
 * Every package's errors reach an API client the same way: the error's
 * category picks the status and type (http/error-response.ts), and the body
 * is `{ error: { type, code, message, param } }`.
 *
 * Provoked for real: a tampered file, a file whose data key sidecar is gone,
 * a file whose bytes are gone, an embeddings API that refuses the key, a
 * filter SQL cannot apply, a tool at the cloud metadata address. The rest are
 * thrown through the same real route (vector store search) by the embedder
 * the server is started with, which throws the error a query names.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkPolicyError } from '@agentd/net-policy';
import { InvalidObjectKeyError, ObjectTamperedError, UnknownMasterKeyError } from '@agentd/object-store';
import { ModelError } from '@agentd/providers';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { CellOutputError } from '@agentd/tool-code-interpreter';
import {
  EmbeddingError,
  type EmbeddingProvider,
  OpenAIEmbeddings,
  UnsupportedFileError,
} from '@agentd/tool-files';
import { WebToolError } from '@agentd/tool-web';
import { AdapterError, UnknownToolError } from '@agentd/tools-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadedId } from './support/uploads.js';

const EMBEDDINGS_KEY = 'sk-embeddings-secret-4417';

/** An error and what a client must see of it; the message is the error's own, passed through unchanged. */
interface Thrown {
  error: Error;
  status: number;
  type: string;
  code: string;
  param: string | null;
}

function thrown(
  error: Error,
  status: number,
  type: string,
  code: string,
  param: string | null = null,
): Thrown {
  return { error, status, type, code, param };
}

/** One error of each package class (several categories of some), by the query that throws it. */
const THROWN: Record<string, Thrown> = {
  'object-store: an invalid key': thrown(
    new InvalidObjectKeyError('../escape', 'it climbs out of the store'),
    400,
    'invalid_request_error',
    'invalid_key',
  ),
  'object-store: a tampered object (integrity)': thrown(
    new ObjectTamperedError('tenants/t1/files/f1', 'segment 2 failed authentication'),
    500,
    'integrity_error',
    'object_tampered',
  ),
  'object-store: an unknown master key': thrown(
    new UnknownMasterKeyError('tenants/t1/files/f1', 'mk-old', 'mk-new'),
    500,
    'server_error',
    'unknown_master_key',
  ),
  'tool-files: an unsupported file': thrown(
    new UnsupportedFileError('image/png', '"photo.png" is an image; it has no text to read.'),
    400,
    'invalid_request_error',
    'unsupported_file',
  ),
  'tool-files: an embeddings API that asks to slow down': thrown(
    new EmbeddingError('embeddings request failed: HTTP 429: slow down', { status: 429 }),
    429,
    'rate_limit_error',
    'embedding_failed',
  ),
  'tool-web: every browser session busy': thrown(
    new WebToolError('busy', 'All 4 browser sessions are in use; try again shortly.'),
    503,
    'server_error',
    'busy',
  ),
  'tool-web: a remote site that answers an error': thrown(
    new WebToolError('http_error', 'https://example.com/ answered 404 Not Found.'),
    502,
    'upstream_error',
    'http_error',
  ),
  'tools-gateway: an adapter refused by the network policy': thrown(
    new AdapterError(
      'blocked_by_policy',
      "the network policy refused the tool 'lookup': 10.0.0.1 is private",
    ),
    403,
    'permission_error',
    'blocked_by_policy',
  ),
  'tools-gateway: an unknown capability': thrown(
    new UnknownToolError('unknown_capability', "No tool provides the capability 'teleport'.", 2),
    400,
    'invalid_request_error',
    'unknown_capability',
    'tools[2]',
  ),
  'net-policy: a blocked address': thrown(
    NetworkPolicyError.blocked('10.1.2.3 is a private address', 'http://10.1.2.3/'),
    403,
    'permission_error',
    'blocked_by_policy',
  ),
  'net-policy: a network failure': thrown(
    new NetworkPolicyError('network_error', 'Could not resolve nowhere.invalid.'),
    502,
    'upstream_error',
    'network_error',
  ),
  'providers: a model server that asks to slow down': thrown(
    new ModelError('model_http_error', 'the model server answered 429 Too Many Requests', {
      status: 429,
    }),
    429,
    'rate_limit_error',
    'model_http_error',
  ),
  'providers: a model server that cannot be reached': thrown(
    new ModelError('model_connection_error', 'the model server could not be reached: ECONNREFUSED'),
    503,
    'server_error',
    'model_connection_error',
  ),
  'providers: a model stream that breaks': thrown(
    new ModelError('model_stream_error', 'The stream ended before a finish reason arrived'),
    502,
    'upstream_error',
    'model_stream_error',
  ),
  'tool-code-interpreter: a malformed cell output': thrown(
    new CellOutputError('cell output is not an object'),
    500,
    'server_error',
    'invalid_cell_output',
  ),
};

/** Embeds with the real OpenAI-compatible client, except for a query that names an error of THROWN. */
class ThrowingEmbedder implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;

  constructor(private readonly inner: EmbeddingProvider) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
  }

  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]> {
    const thrown = texts.length === 1 ? THROWN[texts[0]!] : undefined;
    if (thrown) return Promise.reject(thrown.error);
    return this.inner.embed(texts, options);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('package errors through the API', () => {
  let fake: FakeOpenAI;
  let agentd: Agentd;
  let storeId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const embedder = new OpenAIEmbeddings({
      baseUrl: fake.baseURL,
      apiKey: EMBEDDINGS_KEY,
      model: 'text-embedding-3-small',
      dimensions: 16,
      maxRetries: 0,
    });
    agentd = await startAgentd({
      backend: 'pglite',
      overrides: { embedder: new ThrowingEmbedder(embedder) },
    });
    const store = await agentd.api.post('/v1/vector_stores', { name: 'errors' });
    expect(store.status).toBe(200);
    storeId = store.body.id;
  });
  afterAll(async () => {
    await agentd?.close();
    await fake?.close();
  });

  const search = (query: string, extra: Record<string, unknown> = {}) =>
    agentd.api.post(`/v1/vector_stores/${storeId}/search`, { query, ...extra });

  const upload = (text: string) => uploadedId(agentd.api, text, 'notes.txt');

  const content = (id: string) => agentd.api.get(`/v1/files/${id}/content`);

  /** The stored object of a file: its ciphertext and its data key sidecar. */
  function storedParts(id: string): { data: string; sidecar: string } {
    const paths = filesUnder(join(agentd.server.dataDir, 'objects')).filter((path) => path.includes(id));
    const sidecar = paths.find((path) => path.endsWith('.dek'));
    const data = paths.find((path) => !path.endsWith('.dek'));
    expect(data).toBeDefined();
    expect(sidecar).toBeDefined();
    return { data: data!, sidecar: sidecar! };
  }

  it.each(Object.entries(THROWN))('answers %s with its category’s status and body', async (query, thrown) => {
    const response = await search(query);
    expect(response.status).toBe(thrown.status);
    expect(response.body).toEqual({
      error: {
        type: thrown.type,
        code: thrown.code,
        message: thrown.error.message,
        param: thrown.param ?? null,
      },
    });
  });

  it('answers a tampered file with an integrity error, and logs it', async () => {
    const id = await upload('y'.repeat(5000));
    const { data } = storedParts(id);
    const bytes = readFileSync(data);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
    writeFileSync(data, bytes);
    const response = await content(id);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: {
        type: 'integrity_error',
        code: 'file_unreadable',
        message: `The stored bytes of ${id} failed their integrity check (altered, truncated, or sealed with another master key), so they are not returned.`,
        param: null,
      },
    });
    const logged = agentd.server.logs.filter((line) => line.msg === 'integrity check failed');
    expect(logged.map((line) => [line.level, line.code])).toContainEqual(['error', 'file_unreadable']);
  });

  it('answers a file whose data key sidecar is gone with the same integrity error', async () => {
    const id = await upload('the sidecar will go');
    rmSync(storedParts(id).sidecar);
    const response = await content(id);
    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({
      type: 'integrity_error',
      code: 'file_unreadable',
      param: null,
    });
  });

  it('answers a file whose stored bytes are gone with a 404 from the object store', async () => {
    const id = await upload('the bytes will go');
    rmSync(storedParts(id).data);
    const response = await content(id);
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      type: 'not_found_error',
      code: 'object_not_found',
      message: expect.stringMatching(new RegExp(`^no object with key "tenants/[^"]+/files/${id}"$`)),
      param: null,
    });
  });

  it('answers an embeddings API that refuses the key with a 502 that does not show the key', async () => {
    fake.enqueueEmbeddings({
      error: {
        status: 401,
        body: {
          error: { message: `Incorrect API key provided: ${EMBEDDINGS_KEY}`, type: 'invalid_request_error' },
        },
      },
    });
    const response = await search('otters');
    expect(response.status).toBe(502);
    expect(response.body.error).toEqual({
      type: 'upstream_error',
      code: 'embedding_failed',
      message: `embeddings request to ${fake.baseURL}/embeddings (model "text-embedding-3-small") failed: HTTP 401: Incorrect API key provided: ***`,
      param: null,
    });
  });

  it('answers a filter that SQL cannot apply with a 400 naming filters', async () => {
    const response = await search('otters', { filters: { type: 'in', key: 'team', value: 'blue' } });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_filter',
      message: "'in' needs an array value",
      param: 'filters',
    });
  });

  it('answers a tool at the cloud metadata address with the 400 of tool registration', async () => {
    const response = await agentd.api.post('/v1/tools', {
      name: 'meta',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://169.254.169.254/latest/meta-data/' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'tool_unavailable',
      message: expect.stringMatching(
        /^The tool could not be loaded: the network policy refused the tool 'meta': 169\.254\.169\.254 is a link-local \(cloud metadata\) address/,
      ),
      param: 'adapter',
    });
  });
});

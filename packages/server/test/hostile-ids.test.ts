import { BACKENDS, type TestServer } from '@agentd/test-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

type Parameter = {
  name: string;
  in: string;
  schema: { type?: string; pattern?: string; maxLength?: number };
};
type Operation = { method: string; path: string; parameters: Parameter[] };

/** Every operation of the document, with its parameters. */
function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
    })),
  );
}

/**
 * Uploads a file whose part header carries `disposition` as written (say
 * `filename*=UTF-8''a%00b.txt`, which a FormData cannot produce).
 */
async function upload(server: TestServer, disposition: string) {
  const boundary = 'fuzzboundary';
  const body = [
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n\r\nhello\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const response = await fetch(`${server.url}/v1/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.adminKey}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body: Buffer.from(body, 'utf8'),
  });
  return {
    status: response.status,
    body: (await response.json()) as { filename?: string; id: string; error?: { code: string } },
  };
}

/**
 * Ids, cursors and names that cannot be valid are refused where the routes
 * are declared, before any query: NUL (which PostgreSQL refuses in text)
 * once cost a 500 on every route that takes an id.
 */
describe.each(BACKENDS)('ids, cursors and file names that cannot be valid (%s)', (backend) => {
  const suite = testServerSuite({ backend });
  let operations: Operation[];

  beforeAll(async () => {
    operations = operationsOf((await suite.api.get('/openapi.json')).body);
  });

  it('answers a path id holding NUL, a control or a right-to-left override with a 404 naming it', async () => {
    const withIds = operations.filter((operation) => operation.path.includes('{'));
    expect(withIds.length).toBeGreaterThan(30);
    for (const bad of ['%00', 'agent_%00', '%07', '%E2%80%AEevil']) {
      for (const operation of withIds) {
        const path = operation.path.replace(/\{[^}]+\}/g, bad);
        const answer = await suite.api.request(
          operation.method,
          path,
          ['GET', 'DELETE'].includes(operation.method) ? undefined : {},
        );
        const first = operation.path.match(/\{([^}]+)\}/)?.[1];
        const label = `${operation.method} ${operation.path} with ${bad}`;
        expect(answer.status, label).toBe(404);
        expect(answer.body.error, label).toMatchObject({ type: 'not_found_error', param: first });
      }
    }
  });

  it('answers a bogus `after` cursor with a 400 naming it', async () => {
    const lists = operations.filter((operation) => operation.parameters.some((p) => p.name === 'after'));
    expect(lists.length).toBeGreaterThan(10);
    const agent = await suite.api.post('/v1/agents', { name: 'cursor-owner' });
    const conversation = await suite.api.post('/v1/conversations', {});
    for (const operation of lists) {
      // Real ids in the path, so that only the cursor can be wrong; memories also need their user.
      const path = operation.path
        .replace('/agents/{id}', `/agents/${agent.body.id}`)
        .replace('/conversations/{id}', `/conversations/${conversation.body.id}`)
        .replace(/\{[^}]+\}/g, 'x');
      for (const cursor of ['%00', 'a%00b', '%1B[31m', '%E2%80%AE', 'x'.repeat(201)]) {
        const user = path.startsWith('/v1/memories') ? 'user=u&' : '';
        const answer = await suite.api.get(`${path}?${user}after=${cursor}`);
        const label = `${operation.method} ${operation.path}?after=${cursor.slice(0, 20)}`;
        expect(answer.status, label).toBe(400);
        expect(answer.body.error, label).toMatchObject({ code: 'invalid_value', param: 'after' });
      }
    }
  });

  it('documents the rule once for every path id and cursor in the OpenAPI document', () => {
    const declared = operations.flatMap((operation) =>
      // Ids and cursors are strings; agent versions and event sequence numbers are integers.
      operation.parameters.filter(
        (p) => p.schema.type === 'string' && (p.in === 'path' || p.name === 'after'),
      ),
    );
    expect(declared.length).toBeGreaterThan(60);
    for (const parameter of declared) {
      expect(parameter.schema.maxLength, parameter.name).toBe(200);
      // JSON Schema patterns are read with Unicode semantics: the `u` flag.
      const pattern = new RegExp(parameter.schema.pattern ?? '', 'u');
      expect(pattern.test('agent_01jq8z3v'), parameter.name).toBe(true);
      for (const bad of ['a\u0000b', '\u001b', '\u202Eabc', 'x\uD800']) expect(pattern.test(bad)).toBe(false);
    }
  });

  it('keeps an uploaded file name safe: no directories, no controls, no overrides, at most 255', async () => {
    const cases: [string, string][] = [
      [`filename*=UTF-8''a%00b.txt`, 'a_b.txt'],
      [`filename*=UTF-8''bell%07.txt`, 'bell_.txt'],
      [`filename*=UTF-8''%E2%80%AEtxt.exe`, '_txt.exe'],
      ['filename="report\u202Etxt.exe"', 'report_txt.exe'],
      ['filename="café \u{1F600}.txt"', 'café \u{1F600}.txt'],
      ['filename="../../etc/passwd"', 'passwd'],
      [`filename*=UTF-8''..%2F..%2Fsecret`, 'secret'],
      ['filename="C:\\temp\\notes.txt"', 'notes.txt'],
      [`filename="${'n'.repeat(300)}.txt"`, 'n'.repeat(255)],
    ];
    for (const [disposition, kept] of cases) {
      const answer = await upload(suite.server, disposition);
      expect(answer.status, disposition.slice(0, 40)).toBe(200);
      expect(answer.body.filename, disposition.slice(0, 40)).toBe(kept);
      expect((await suite.api.get(`/v1/files/${answer.body.id}`)).body.filename).toBe(kept);
    }
  });

  it('refuses a raw control character in a part header as a malformed upload', async () => {
    const answer = await upload(suite.server, 'filename="a\u0000b.txt"');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_upload' });
  });

  it('answers a URL past the 16 KB header limit with a JSON 431', async () => {
    const answer = await suite.api.get(`/v1/agents/${'x'.repeat(70_000)}`);
    expect(answer.status).toBe(431);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'headers_too_large' });
    expect((await suite.api.get('/healthz')).status).toBe(200);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenApiAdapterConfig, ToolManifest } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, createOpenApiAdapter } from '../../src/index.js';
import { type LoopbackServer, readBody, startLoopbackServer } from './support/loopback-server.js';
import { toolContext } from './support/tool-context.js';

const TOKEN = 'petstore-bearer-91f2';
const STORE_KEY = 'store-key-55aa';

const PETSTORE_YAML = `
openapi: 3.0.3
info: { title: Petstore, version: '1.0' }
servers:
  - url: /api/{version}
    variables:
      version: { default: v1 }
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      parameters:
        - $ref: '#/components/parameters/Limit'
        - name: tags
          in: query
          schema: { type: array, items: { type: string } }
      responses: { '200': { description: ok } }
    post:
      operationId: createPet
      summary: Create a pet
      description: Adds a pet to the store.
      requestBody:
        $ref: '#/components/requestBodies/NewPet'
      responses: { '201': { description: created } }
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        required: true
        description: The pet's id
        schema: { type: string }
    get:
      operationId: pets.get-one
      parameters:
        - name: X-Trace
          in: header
          schema: { type: string }
        - name: fields
          in: query
          style: form
          explode: false
          schema: { type: array, items: { type: string } }
      responses: { '200': { description: ok } }
    delete:
      summary: Delete a pet
      responses: { '204': { description: gone } }
  /leak:
    get:
      operationId: leak
      responses: { '401': { description: denied } }
components:
  parameters:
    Limit:
      name: limit
      in: query
      description: How many to return
      schema: { type: integer, minimum: 1, nullable: true }
  requestBodies:
    NewPet:
      required: true
      content:
        application/json:
          schema: { $ref: '#/components/schemas/NewPet' }
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        tag: { $ref: '#/components/schemas/Tag' }
    Tag:
      type: string
      example: cat
      enum: [cat, dog]
`;

const STORE_JSON = {
  openapi: '3.1.0',
  info: { title: 'Store', version: '1' },
  servers: [{ url: 'https://store.invalid/v9' }],
  paths: {
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        description: 'One order',
        parameters: [
          { name: 'orderId', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/orders': {
      post: {
        operationId: 'placeOrder',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  // An external $ref, fetched beside the document.
  components: { schemas: { Id: { $ref: 'common.json#/Id' } } },
};

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const seen: Seen[] = [];
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentd-openapi-'));
  server = await startLoopbackServer(async (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '';
    if (path === '/specs/petstore.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      return void res.end(PETSTORE_YAML);
    }
    if (path === '/specs/store.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(STORE_JSON));
    }
    if (path === '/specs/common.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ Id: { type: ['integer', 'null'], minimum: 1 } }));
    }
    if (path === '/specs/broken.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      return void res.end('openapi: 3.0.0\npaths: [unclosed\n');
    }
    if (path.startsWith('/api/v1/')) {
      const body = await readBody(req);
      seen.push({ method: req.method ?? '', url, headers: req.headers, body });
      if (path === '/api/v1/leak') {
        res.writeHead(401, { 'content-type': 'text/plain' });
        return void res.end(`bad credentials: ${req.headers.authorization}; url was ${url}`);
      }
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: true, method: req.method, url }));
    }
    res.writeHead(404).end('not found');
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function manifest(
  adapter: Omit<OpenApiAdapterConfig, 'type'>,
): ToolManifest & { adapter: OpenApiAdapterConfig } {
  return { name: 'petstore', adapter: { type: 'openapi', ...adapter } };
}

const resolveSecret = async (name: string) => {
  const secrets: Record<string, string> = { petstore: TOKEN, store: STORE_KEY };
  const value = secrets[name];
  if (value === undefined) throw new Error(`unknown secret ${name}`);
  return value;
};

describe('OpenAPI adapter: a YAML 3.0 document served over HTTP', () => {
  const adapter = () =>
    createOpenApiAdapter(
      manifest({
        document: `${server.url}/specs/petstore.yaml`,
        auth: { type: 'bearer', secret: 'petstore' },
      }),
      { resolveSecret },
    );

  it('makes each operation a tool with its parameters and body as the input schema', async () => {
    const tools = await adapter().list();
    expect(tools.map((tool) => tool.name)).toEqual([
      'listPets',
      'createPet',
      'pets_get-one',
      'delete_pets_petId',
      'leak',
    ]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('listPets')).toEqual({
      name: 'listPets',
      description: 'List pets',
      inputSchema: {
        type: 'object',
        properties: {
          limit: { type: ['integer', 'null'], minimum: 1, description: 'How many to return' },
          tags: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    });
    expect(byName.get('createPet')).toEqual({
      name: 'createPet',
      description: 'Create a pet\n\nAdds a pet to the store.',
      inputSchema: {
        type: 'object',
        properties: {
          body: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, tag: { type: 'string', enum: ['cat', 'dog'] } },
          },
        },
        required: ['body'],
        additionalProperties: false,
      },
    });
    expect(byName.get('pets_get-one')?.inputSchema).toEqual({
      type: 'object',
      properties: {
        petId: { type: 'string', description: "The pet's id" },
        'X-Trace': { type: 'string' },
        fields: { type: 'array', items: { type: 'string' } },
      },
      required: ['petId'],
      additionalProperties: false,
    });
    expect(byName.get('delete_pets_petId')?.description).toBe('Delete a pet');
  });

  it('calls operations: the relative server resolved against the document URL, bearer auth from a secret', async () => {
    const tools = adapter();
    const listed = await tools.call('listPets', { limit: 5, tags: ['a', 'b'] }, toolContext());
    expect(JSON.parse(listed.output)).toEqual({
      ok: true,
      method: 'GET',
      url: '/api/v1/pets?limit=5&tags=a&tags=b',
    });
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const created = await tools.call('createPet', { body: { name: 'Rex', tag: 'dog' } }, toolContext());
    expect(created.isError).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/api/v1/pets',
      body: '{"name":"Rex","tag":"dog"}',
    });
    expect(seen.at(-1)!.headers['content-type']).toBe('application/json');

    await tools.call(
      'pets_get-one',
      { petId: 'a b/c', 'X-Trace': 't-1', fields: ['name', 'tag'] },
      toolContext(),
    );
    expect(seen.at(-1)!.url).toBe('/api/v1/pets/a%20b%2Fc?fields=name%2Ctag');
    expect(seen.at(-1)!.headers['x-trace']).toBe('t-1');

    const deleted = await tools.call('delete_pets_petId', { petId: '9' }, toolContext());
    expect(deleted.output).toBe('(empty response, HTTP 204)');
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/v1/pets/9' });
  });

  it('returns a non-2xx answer as an error result, with the secret cut out', async () => {
    const result = await adapter().call('leak', {}, toolContext());
    expect(result.isError).toBe(true);
    expect(result.output).toBe(
      "HTTP 401 Unauthorized from the tool 'leak': bad credentials: Bearer [redacted]; url was /api/v1/leak",
    );
  });

  it('fails a call clearly when the auth secret is not stored', async () => {
    const tools = createOpenApiAdapter(
      manifest({ document: `${server.url}/specs/petstore.yaml`, auth: { type: 'bearer', secret: 'gone' } }),
      { resolveSecret },
    );
    await expect(tools.call('listPets', {}, toolContext())).rejects.toThrow(
      "the tool 'listPets' (auth) needs the secret 'gone', which is not stored",
    );
  });
});

describe('OpenAPI adapter: a JSON 3.1 document', () => {
  it('offers only the listed operations, against server_url, with query auth', async () => {
    const tools = createOpenApiAdapter(
      manifest({
        document: `${server.url}/specs/store.json`,
        server_url: `${server.url}/api/v1`,
        operations: ['getOrder'],
        auth: { type: 'query', name: 'api_key', secret: 'store' },
      }),
      { resolveSecret },
    );
    expect(await tools.list()).toEqual([
      {
        name: 'getOrder',
        description: 'One order',
        inputSchema: {
          type: 'object',
          properties: { orderId: { type: ['integer', 'null'], minimum: 1 } },
          required: ['orderId'],
          additionalProperties: false,
        },
      },
    ]);
    const result = await tools.call('getOrder', { orderId: 42 }, toolContext());
    expect(seen.at(-1)!.url).toBe(`/api/v1/orders/42?api_key=${STORE_KEY}`);
    // The server echoes the URL, key included; the result must not carry it.
    expect(result.output).toBe('{"ok":true,"method":"GET","url":"/api/v1/orders/42?api_key=[redacted]"}');
    await expect(tools.call('placeOrder', {}, toolContext())).rejects.toThrow(
      "the tool set 'petstore' has no operation named 'placeOrder'",
    );
  });
});

describe('OpenAPI adapter: files and inline documents', () => {
  it('loads a file relative to baseDir and follows its external file $refs', async () => {
    writeFileSync(
      join(dir, 'schemas.yaml'),
      'Pet:\n  type: object\n  properties:\n    name: { type: string }\n',
    );
    writeFileSync(
      join(dir, 'pets.yaml'),
      [
        'openapi: 3.0.0',
        'info: { title: Pets, version: "1" }',
        'paths:',
        '  /pets:',
        '    put:',
        '      operationId: putPet',
        '      requestBody:',
        '        content:',
        '          application/json:',
        "            schema: { $ref: './schemas.yaml#/Pet' }",
        '      responses: { "200": { description: ok } }',
      ].join('\n'),
    );
    const tools = createOpenApiAdapter(
      manifest({ document: 'pets.yaml', server_url: `${server.url}/api/v1` }),
      {
        baseDir: dir,
      },
    );
    const [tool] = await tools.list();
    expect(tool?.inputSchema).toEqual({
      type: 'object',
      properties: { body: { type: 'object', properties: { name: { type: 'string' } } } },
      additionalProperties: false,
    });
    await tools.call('putPet', { body: { name: 'Tom' } }, toolContext());
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/api/v1/pets', body: '{"name":"Tom"}' });
  });

  it('never follows an inline document’s external $refs to the local disk', async () => {
    writeFileSync(join(dir, 'private.yaml'), 'Pet:\n  type: object\n  description: TOP-SECRET-CONTENT\n');
    const tools = createOpenApiAdapter(
      manifest({
        server_url: 'http://127.0.0.1:9/',
        document: {
          openapi: '3.0.0',
          info: { title: 'x', version: '1' },
          paths: {
            '/x': {
              post: {
                operationId: 'x',
                requestBody: {
                  content: { 'application/json': { schema: { $ref: `${join(dir, 'private.yaml')}#/Pet` } } },
                },
              },
            },
          },
        },
      }),
    );
    const listed = await tools.list();
    expect(JSON.stringify(listed)).not.toContain('TOP-SECRET-CONTENT');
    expect(listed[0]?.inputSchema.properties).toEqual({
      body: { description: 'unresolved or recursive: any value' },
    });
  });

  it('explains each document it cannot load, naming it and the problem', async () => {
    const problem = async (
      document: OpenApiAdapterConfig['document'],
      extra: Partial<OpenApiAdapterConfig> = {},
    ) => {
      const error = await createOpenApiAdapter(manifest({ document, ...extra }), { baseDir: dir })
        .list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdapterError);
      return (error as Error).message;
    };
    expect(await problem(`${server.url}/specs/missing.yaml`)).toBe(
      `the OpenAPI document ${server.url}/specs/missing.yaml could not be loaded: HTTP 404 when fetching it`,
    );
    expect(await problem(`${server.url}/specs/broken.yaml`)).toMatch(
      new RegExp(
        `^the OpenAPI document ${server.url}/specs/broken.yaml could not be loaded: it is not valid YAML`,
      ),
    );
    expect(await problem('nope.yaml')).toMatch(
      new RegExp(`^the OpenAPI document ${join(dir, 'nope.yaml')} could not be loaded: ENOENT`),
    );
    expect(await problem({ swagger: '2.0', paths: {} })).toBe(
      'the OpenAPI document (inline) could not be loaded: it is Swagger 2.0; only OpenAPI 3.0 and 3.1 are supported',
    );
    expect(
      await problem({
        openapi: '3.0.0',
        paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Nope' }] } } },
      }),
    ).toMatch(/^the OpenAPI document \(inline\) could not be loaded: .*Nope/);
    expect(
      await problem({ openapi: '3.0.0', servers: [{ url: '/rel' }], paths: { '/a': { get: {} } } }),
    ).toBe(
      "the OpenAPI document (inline) gives the relative server URL '/rel', which needs the document's own URL; set server_url in the manifest",
    );
    expect(await problem(`${server.url}/specs/store.json`, { operations: ['getOrder', 'nope'] })).toBe(
      `the OpenAPI document ${server.url}/specs/store.json has no operation with the operationId 'nope'`,
    );
  });
});

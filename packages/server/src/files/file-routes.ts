import { Readable } from 'node:stream';
import { ObjectTamperedError } from '@agentd/object-store';
import {
  type FILE_PURPOSES,
  FileContentQuerySchema,
  FileListQuerySchema,
  FileSchema,
  IdParamSchema,
  isAllowed,
  scopesAllow,
  UPLOAD_PURPOSES,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AgentdError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { defineRoute, errorContent, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import type { StoredFile } from './file-repository.js';
import { readUpload } from './multipart-upload.js';

const tags = ['Files'];
const routes = resourceRoutes({
  path: '/v1/files',
  tags,
  schema: FileSchema,
  listName: 'FileList',
  read: 'files:read',
  write: 'files:write',
  noun: 'file',
});

export function presentFile(file: StoredFile): z.infer<typeof FileSchema> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose as (typeof FILE_PURPOSES)[number],
    status: 'processed',
    expires_at: null,
  };
}

const uploadRoute = routes.write('post', '/v1/files', {
  summary: 'Upload a file (multipart/form-data, streamed to storage)',
  request: {
    body: {
      required: true,
      content: {
        // A plain schema, not zod: the body is streamed, never parsed whole by a validator.
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file', 'purpose'],
            properties: {
              file: {
                type: 'string',
                format: 'binary',
                description:
                  'The file. Its name is kept without directories, with control characters, lone surrogates and bidirectional overrides replaced by `_`, at most 255 characters.',
              },
              purpose: { type: 'string', enum: [...UPLOAD_PURPOSES] },
            },
          },
        },
      },
    },
  },
  responses: {
    200: jsonContent(FileSchema, 'The stored file.'),
    413: errorContent('The file is larger than the limit, or the tenant’s storage quota is used up.'),
  },
});

const listRoute = routes.list({ summary: 'List your files', query: FileListQuerySchema });
const getRoute = routes.get({ summary: 'Get a file’s description' });

const CONTENT_PATH = /^\/v1\/files\/[^/]+\/content$/;

/** A request that opens a file by a signed link: a GET of the content route with `token` and no Authorization. */
export function isFileLinkRequest(request: Request): boolean {
  if (request.method !== 'GET' || request.headers.has('authorization')) return false;
  const url = new URL(request.url);
  return CONTENT_PATH.test(url.pathname) && url.searchParams.has('token');
}

const contentRoute = defineRoute({
  method: 'get',
  path: '/v1/files/{id}/content',
  tags,
  summary: 'Download a file’s bytes, with an API key or a signed link’s token',
  description:
    'With `Authorization: Bearer <key>` (permission `files:read`), or without it and with the `token` of a signed link (the `url` of an image or file output), which opens this one file until it expires.',
  // Checked in the handler (readerOf): a key with files:read, or, without a key, a link's token.
  permission: null,
  security: [{ bearerAuth: [] }],
  'x-agentd-permission': 'files:read',
  request: {
    params: IdParamSchema,
    query: FileContentQuerySchema,
  },
  responses: {
    200: {
      description: 'The bytes, as uploaded.',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    401: errorContent('No credentials, or the link has expired.'),
    403: errorContent('The key may not read files, or the token does not open this file.'),
  },
});

/** Whose file a content request may read: the key's tenant, or the tenant a valid link names. */
function readerOf(c: Context<AppEnv>, fileId: string, token: string | undefined): string {
  const principal = c.get('principal');
  if (principal) {
    if (!isAllowed(principal, 'files:read') || !scopesAllow(principal, 'files:read'))
      throw new AgentdError(
        'permission',
        'permission_denied',
        "This operation needs the 'files:read' permission.",
      );
    return principal.tenantId;
  }
  if (token === undefined)
    throw new AgentdError('authentication', 'invalid_api_key', 'Missing or invalid credentials.');
  return c.get('services').fileLinks.verify(token, fileId);
}

/** Images a browser may show in place; anything else downloads, so a stored page or SVG never runs on this origin. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const deleteRoute = routes.delete({
  summary: 'Delete a file, its bytes, and its chunks in every vector store',
});

function checkPurpose(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new AgentdError('invalid_request', 'missing_purpose', 'The form needs a `purpose` field.', {
      param: 'purpose',
    });
  }
  if (!(UPLOAD_PURPOSES as readonly string[]).includes(value)) {
    throw new AgentdError(
      'invalid_request',
      'invalid_purpose',
      `purpose must be one of ${UPLOAD_PURPOSES.join(', ')}; got '${value.slice(0, 64)}'.`,
      { param: 'purpose' },
    );
  }
  return value;
}

/**
 * A tampered object, told in the API's terms: the file, not the store's key
 * and master key id (which the log keeps, as the cause).
 */
function unreadable(error: unknown, id: string): unknown {
  if (!(error instanceof ObjectTamperedError)) return error;
  return new AgentdError(
    'integrity',
    'file_unreadable',
    `The stored bytes of ${id} failed their integrity check (altered, truncated, or sealed with another master key), so they are not returned.`,
    { cause: error },
  );
}

/** Reads the first chunk before answering, so a file that fails to decrypt gets a JSON error, not a cut stream. */
async function startStream(body: Readable, id: string): Promise<Readable> {
  const iterator = body[Symbol.asyncIterator]();
  let first: IteratorResult<unknown>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw unreadable(error, id);
  }
  async function* rest() {
    if (!first.done) yield first.value as Buffer;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return Readable.from(rest());
}

const disposition = (filename: string, inline: boolean) =>
  `${inline ? 'inline' : 'attachment'}; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export function fileRoutes() {
  return newRouter()
    .openapi(uploadRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const length = Number(c.req.header('content-length'));
      const declared = Number.isFinite(length) && length > 0 ? length : undefined;
      await services.files.admit(tenantId, declared);
      const upload = await readUpload(c.req.raw);
      const stored = await services.files.upload(tenantId, {
        filename: upload.filename,
        contentType: upload.contentType,
        body: upload.body,
        sizeHint: declared,
        signal: c.req.raw.signal,
        purpose: upload.fields.then((fields) => checkPurpose(fields.purpose)),
      });
      return c.json(presentFile(stored), 200);
    })
    .openapi(listRoute, async (c) => {
      const { purpose, ...page } = c.req.valid('query');
      const list = await c.get('services').files.repository.list(tenantOf(c), page, purpose);
      return c.json({ ...list, data: list.data.map(presentFile) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const file = await c.get('services').files.repository.get(tenantOf(c), c.req.valid('param').id);
      return c.json(presentFile(file), 200);
    })
    .openapi(contentRoute, async (c) => {
      const { id } = c.req.valid('param');
      const tenantId = readerOf(c, id, c.req.valid('query').token);
      // A signed link was issued to someone who could read the file then; a caller is asked now.
      const principal = c.get('principal');
      if (principal) await c.get('services').policies.authorizeFileRead(principal, id);
      const { file, body } = await c
        .get('services')
        .files.content(tenantId, id)
        .catch((error: unknown) => {
          throw unreadable(error, id);
        });
      const stream = await startStream(body, file.id);
      const contentType = file.contentType ?? 'application/octet-stream';
      return new Response(Readable.toWeb(stream) as ReadableStream, {
        status: 200,
        headers: {
          'content-type': contentType,
          'content-length': String(file.bytes),
          'content-disposition': disposition(file.filename, INLINE_TYPES.has(contentType)),
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        },
      }) as never;
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param');
      await c.get('services').files.delete(tenantOf(c), id);
      return c.json(deleted(id, 'file'), 200);
    });
}

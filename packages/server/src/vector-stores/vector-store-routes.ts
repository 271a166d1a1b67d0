import {
  AttributesSchema,
  ChunkingStrategySchema,
  DeletedSchema,
  IdParamSchema,
  listSchema,
  MetadataSchema,
  PageQuerySchema,
  pathIdSchema,
  VectorStoreFileSchema,
  VectorStoreSchema,
} from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { jsonBody, jsonContent } from '../http/define-route.js';
import { principalOf, tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import { AttributeFilterSchema } from './attribute-filter.js';
import { fromStrategy, presentFile, presentStore } from './vector-store-views.js';

const tags = ['Vector stores'];

const SearchResultSchema = z
  .object({
    file_id: z.string(),
    filename: z.string(),
    score: z.number(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    content: z.array(z.object({ type: z.literal('text'), text: z.string() })),
    chunk_index: z.number().int(),
  })
  .openapi('VectorStoreSearchResult');

const FileParamSchema = IdParamSchema.extend({ file_id: pathIdSchema('file_id') });

const routes = resourceRoutes({
  path: '/v1/vector_stores',
  tags,
  schema: VectorStoreSchema,
  listName: 'VectorStoreList',
  read: 'vector_stores:read',
  write: 'vector_stores:write',
  noun: 'vector store',
});

const createRoute = routes.create({
  summary: 'Create a vector store, optionally with files to index',
  body: z.strictObject({
    name: z.string().max(256).optional(),
    file_ids: z.array(z.string().min(1)).max(500).optional(),
    metadata: MetadataSchema.optional(),
    chunking_strategy: ChunkingStrategySchema.optional(),
  }),
});
const listRoute = routes.list({ summary: 'List your vector stores' });
const getRoute = routes.get({ summary: 'Get a vector store' });
const updateRoute = routes.update({
  method: 'post',
  summary: 'Rename a vector store or change its metadata',
  body: z.strictObject({
    name: z.string().max(256).nullable().optional(),
    metadata: MetadataSchema.optional(),
  }),
});
const deleteRoute = routes.delete({ summary: 'Delete a vector store and its chunks (the files stay)' });

const addFileRoute = routes.write('post', '/v1/vector_stores/{id}/files', {
  summary: 'Add a file to a vector store; it is indexed in the background',
  request: {
    params: IdParamSchema,
    ...jsonBody(
      z.strictObject({
        file_id: z.string().min(1),
        attributes: AttributesSchema.nullable().optional(),
        chunking_strategy: ChunkingStrategySchema.optional(),
      }),
    ),
  },
  responses: { 200: jsonContent(VectorStoreFileSchema, 'The file, in_progress until indexed.') },
});

const listFilesRoute = routes.read('get', '/v1/vector_stores/{id}/files', {
  summary: 'List the files of a vector store, with their ingestion status',
  request: {
    params: IdParamSchema,
    query: PageQuerySchema.extend({
      filter: z.enum(['in_progress', 'completed', 'failed', 'cancelled']).optional(),
    }),
  },
  responses: {
    200: jsonContent(listSchema(VectorStoreFileSchema, 'VectorStoreFileList'), 'A page of files.'),
  },
});

const getFileRoute = routes.read('get', '/v1/vector_stores/{id}/files/{file_id}', {
  summary: 'Get a file of a vector store, with its ingestion status',
  request: { params: FileParamSchema },
  responses: { 200: jsonContent(VectorStoreFileSchema, 'The file.') },
});

const removeFileRoute = routes.write('delete', '/v1/vector_stores/{id}/files/{file_id}', {
  summary: 'Remove a file from a vector store (and its chunks); the file itself stays',
  request: { params: FileParamSchema },
  responses: { 200: jsonContent(DeletedSchema, 'The file was removed from the store.') },
});

const searchRoute = routes.read('post', '/v1/vector_stores/{id}/search', {
  summary: 'Search a vector store: full text and vectors, fused by reciprocal rank',
  request: {
    params: IdParamSchema,
    ...jsonBody(
      z.strictObject({
        query: z.union([z.string().min(1).max(4000), z.array(z.string().min(1).max(4000)).min(1).max(8)]),
        max_num_results: z.number().int().min(1).max(50).default(10),
        filters: AttributeFilterSchema.optional(),
        ranking_options: z
          .strictObject({
            ranker: z.enum(['auto', 'default-2024-11-15', 'none']).optional(),
            score_threshold: z.number().min(0).max(1).optional(),
          })
          .optional(),
        rewrite_query: z.boolean().optional(),
      }),
    ),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          object: z.literal('vector_store.search_results.page'),
          search_query: z.array(z.string()),
          data: z.array(SearchResultSchema),
          has_more: z.literal(false),
          next_page: z.null(),
        })
        .openapi('VectorStoreSearchResults'),
      'The best chunks, best first. `score` is the cosine similarity to the query (0 to 1).',
    ),
  },
});

export function vectorStoreRoutes() {
  return newRouter()
    .openapi(createRoute, async (c) => {
      const body = c.req.valid('json');
      const store = await c.get('services').vectorStores.create(tenantOf(c), {
        name: body.name ?? null,
        metadata: body.metadata ?? {},
        chunking: fromStrategy(body.chunking_strategy),
        fileIds: body.file_ids ?? [],
      });
      return c.json(presentStore(store), 200);
    })
    .openapi(listRoute, async (c) => {
      const page = await c.get('services').vectorStores.repository.list(tenantOf(c), c.req.valid('query'));
      return c.json({ ...page, data: page.data.map(presentStore) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const store = await c.get('services').vectorStores.repository.get(tenantOf(c), c.req.valid('param').id);
      return c.json(presentStore(store), 200);
    })
    .openapi(updateRoute, async (c) => {
      const store = await c
        .get('services')
        .vectorStores.repository.update(tenantOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(presentStore(store), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param');
      await c.get('services').vectorStores.repository.delete(tenantOf(c), id);
      return c.json(deleted(id, 'vector_store.deleted'), 200);
    })
    .openapi(addFileRoute, async (c) => {
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const vectorStores = c.get('services').vectorStores;
      const chunking = body.chunking_strategy ? fromStrategy(body.chunking_strategy) : null;
      const file = await vectorStores.addFile(tenantId, id, body.file_id, body.attributes ?? {}, chunking);
      const store = await vectorStores.repository.get(tenantId, id);
      return c.json(presentFile(file, store.chunking), 200);
    })
    .openapi(listFilesRoute, async (c) => {
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      const { filter, ...page } = c.req.valid('query');
      const repository = c.get('services').vectorStores.repository;
      const store = await repository.get(tenantId, id);
      const files = await repository.listFiles(tenantId, id, page, filter);
      return c.json({ ...files, data: files.data.map((file) => presentFile(file, store.chunking)) }, 200);
    })
    .openapi(getFileRoute, async (c) => {
      const tenantId = tenantOf(c);
      const { id, file_id } = c.req.valid('param');
      const repository = c.get('services').vectorStores.repository;
      const store = await repository.get(tenantId, id);
      return c.json(presentFile(await repository.getFile(tenantId, id, file_id), store.chunking), 200);
    })
    .openapi(removeFileRoute, async (c) => {
      const { id, file_id } = c.req.valid('param');
      await c.get('services').vectorStores.repository.removeFile(tenantOf(c), id, file_id);
      return c.json(deleted(file_id, 'vector_store.file.deleted'), 200);
    })
    .openapi(searchRoute, async (c) => {
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { vectorStores, policies } = c.get('services');
      await vectorStores.repository.get(tenantId, id);
      // The tenant's read_file policies: a refused store is a 403, a refused file's passages are left out.
      await policies.authorizeStoreSearch(principalOf(c), id);
      const queries = Array.isArray(body.query) ? body.query : [body.query];
      const found = await vectorStores.search(tenantId, [id], queries.join('\n'), {
        maxResults: body.max_num_results,
        filter: body.filters,
        scoreThreshold: body.ranking_options?.score_threshold,
        ranker: body.ranking_options?.ranker === 'none' ? 'vector' : 'hybrid',
      });
      const unreadable = await policies.unreadableFiles(
        principalOf(c),
        found.map((hit) => hit.fileId),
      );
      const hits = found.filter((hit) => !unreadable.has(hit.fileId));
      return c.json(
        {
          object: 'vector_store.search_results.page' as const,
          search_query: queries,
          data: hits.map((hit) => ({
            file_id: hit.fileId,
            filename: hit.filename,
            score: hit.score,
            attributes: hit.attributes,
            content: [{ type: 'text' as const, text: hit.text }],
            chunk_index: hit.chunkIndex,
          })),
          has_more: false as const,
          next_page: null,
        },
        200,
      );
    });
}

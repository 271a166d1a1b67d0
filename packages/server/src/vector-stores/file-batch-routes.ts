import {
  AttributesSchema,
  ChunkingStrategySchema,
  FileCountsSchema,
  IdParamSchema,
  listSchema,
  PageQuerySchema,
  pathIdSchema,
  VectorStoreFileSchema,
} from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';
import type { StoredFileBatch } from './file-batch-repository.js';
import { type BatchEntry, batchChunking } from './file-batch-service.js';
import { fromStrategy, presentFile } from './vector-store-views.js';

const routes = routeGroup({
  tags: ['Vector stores'],
  read: 'vector_stores:read',
  write: 'vector_stores:write',
});

/** OpenAI's limit on the files of one batch. */
const MAX_BATCH_FILES = 2000;

/**
 * How soon to ask again about a batch in progress: OpenAI's clients read
 * this header in their polling helpers (5 s without it). Indexing here is
 * local and usually takes well under a second.
 */
const POLL_AFTER_MS = '200';

const FileBatchSchema = z
  .object({
    id: z.string(),
    object: z.literal('vector_store.files_batch'),
    created_at: z.number().int(),
    vector_store_id: z.string(),
    status: z.enum(['in_progress', 'completed', 'cancelled', 'failed']),
    file_counts: FileCountsSchema,
  })
  .openapi('VectorStoreFileBatch');

const BatchParamSchema = IdParamSchema.extend({ batch_id: pathIdSchema('batch_id') });

const CreateBatchSchema = z
  .strictObject({
    file_ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_BATCH_FILES).optional(),
    files: z
      .array(
        z.strictObject({
          file_id: z.string().min(1).max(200),
          attributes: AttributesSchema.nullable().optional(),
          chunking_strategy: ChunkingStrategySchema.optional(),
        }),
      )
      .min(1)
      .max(MAX_BATCH_FILES)
      .optional(),
    attributes: AttributesSchema.nullable().optional(),
    chunking_strategy: ChunkingStrategySchema.optional(),
  })
  // OpenAI's rule: one of the two lists, never both.
  .refine((body) => (body.file_ids === undefined) !== (body.files === undefined), {
    message: 'give either file_ids or files (one of them, not both)',
    path: ['file_ids'],
  });
type CreateBatch = z.infer<typeof CreateBatchSchema>;

function presentBatch(batch: StoredFileBatch): z.infer<typeof FileBatchSchema> {
  return {
    id: batch.id,
    object: 'vector_store.files_batch',
    created_at: batch.createdAt,
    vector_store_id: batch.vectorStoreId,
    status: batch.status,
    file_counts: batch.fileCounts,
  };
}

/** The batch's files with what each gets: `files` entries carry their own settings, `file_ids` share the batch's. */
function entriesOf(body: CreateBatch): BatchEntry[] {
  if (body.files) {
    return body.files.map((file, index) => ({
      fileId: file.file_id,
      attributes: file.attributes ?? {},
      chunking: batchChunking(
        file.chunking_strategy ? fromStrategy(file.chunking_strategy) : null,
        `files[${index}].chunking_strategy`,
      ),
      param: `files[${index}].file_id`,
    }));
  }
  const chunking = batchChunking(
    body.chunking_strategy ? fromStrategy(body.chunking_strategy) : null,
    'chunking_strategy',
  );
  return (body.file_ids ?? []).map((fileId, index) => ({
    fileId,
    attributes: body.attributes ?? {},
    chunking,
    param: `file_ids[${index}]`,
  }));
}

const createRoute = routes.write('post', '/v1/vector_stores/{id}/file_batches', {
  summary: 'Add many files to a vector store at once; they are indexed in the background',
  request: { params: IdParamSchema, ...jsonBody(CreateBatchSchema) },
  responses: { 200: jsonContent(FileBatchSchema, 'The batch, in_progress until every file is indexed.') },
});

const getRoute = routes.read('get', '/v1/vector_stores/{id}/file_batches/{batch_id}', {
  summary: 'Get a file batch, with the ingestion status of its files counted',
  request: { params: BatchParamSchema },
  responses: { 200: jsonContent(FileBatchSchema, 'The batch.') },
});

const cancelRoute = routes.write('post', '/v1/vector_stores/{id}/file_batches/{batch_id}/cancel', {
  summary: 'Cancel a file batch: its files not yet indexed are cancelled (and get no chunks)',
  request: { params: BatchParamSchema },
  responses: {
    200: jsonContent(FileBatchSchema, 'The batch, cancelled.'),
    409: errorContent('The batch has already completed or failed.'),
  },
});

const listFilesRoute = routes.read('get', '/v1/vector_stores/{id}/file_batches/{batch_id}/files', {
  summary: 'List the files of a file batch, with their ingestion status',
  request: {
    params: BatchParamSchema,
    query: PageQuerySchema.extend({
      filter: z.enum(['in_progress', 'completed', 'failed', 'cancelled']).optional(),
    }),
  },
  responses: {
    200: jsonContent(listSchema(VectorStoreFileSchema, 'VectorStoreFileBatchFileList'), 'A page of files.'),
  },
});

export function fileBatchRoutes() {
  return newRouter()
    .openapi(createRoute, async (c) => {
      const { id } = c.req.valid('param');
      const batch = await c
        .get('services')
        .fileBatches.create(tenantOf(c), id, entriesOf(c.req.valid('json')));
      return c.json(presentBatch(batch), 200);
    })
    .openapi(getRoute, async (c) => {
      const { id, batch_id } = c.req.valid('param');
      const batch = await c.get('services').fileBatches.get(tenantOf(c), id, batch_id);
      if (batch.status === 'in_progress') c.header('openai-poll-after-ms', POLL_AFTER_MS);
      return c.json(presentBatch(batch), 200);
    })
    .openapi(cancelRoute, async (c) => {
      const { id, batch_id } = c.req.valid('param');
      return c.json(presentBatch(await c.get('services').fileBatches.cancel(tenantOf(c), id, batch_id)), 200);
    })
    .openapi(listFilesRoute, async (c) => {
      const tenantId = tenantOf(c);
      const { id, batch_id } = c.req.valid('param');
      const { filter, ...page } = c.req.valid('query');
      const services = c.get('services');
      const files = await services.fileBatches.listFiles(tenantId, id, batch_id, page, filter);
      const store = await services.vectorStores.repository.get(tenantId, id);
      return c.json({ ...files, data: files.data.map((file) => presentFile(file, store.chunking)) }, 200);
    });
}

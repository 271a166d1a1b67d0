// The wire shapes of vector stores and their files (OpenAI's), shared by the store and file batch routes.
import { z } from 'zod';

export const ChunkingStrategySchema = z
  .union([
    z.strictObject({ type: z.literal('auto') }),
    z.strictObject({
      type: z.literal('static'),
      static: z.strictObject({
        max_chunk_size_tokens: z.number().int().min(100).max(4096),
        chunk_overlap_tokens: z.number().int().min(0),
      }),
    }),
  ])
  .meta({ id: 'ChunkingStrategy' });

export const AttributesSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= 16, { message: 'at most 16 attributes' })
  .meta({ id: 'FileAttributes' });

/** How many of a store's (or a batch's) files are in each ingestion status, and in all. */
export const FileCountsSchema = z.object({
  in_progress: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  total: z.number().int(),
});

export const VectorStoreSchema = z
  .object({
    id: z.string(),
    object: z.literal('vector_store'),
    created_at: z.number().int(),
    last_active_at: z.number().int(),
    name: z.string().nullable(),
    usage_bytes: z.number().int(),
    file_counts: FileCountsSchema,
    status: z.enum(['in_progress', 'completed']),
    expires_after: z.null(),
    expires_at: z.null(),
    metadata: z.record(z.string(), z.string()),
  })
  .meta({ id: 'VectorStore' });

export const VectorStoreFileSchema = z
  .object({
    id: z.string(),
    object: z.literal('vector_store.file'),
    created_at: z.number().int(),
    vector_store_id: z.string(),
    status: z.enum(['in_progress', 'completed', 'failed', 'cancelled']),
    last_error: z.object({ code: z.string(), message: z.string() }).nullable(),
    usage_bytes: z.number().int(),
    chunking_strategy: ChunkingStrategySchema,
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    flagged_chunks: z
      .number()
      .int()
      .nullable()
      .meta({
        description:
          "agentd's: how many of the file's chunks the safety checks flagged when it was indexed (they seem to hold " +
          'instructions; file_search marks them for the model). null until the file is indexed, and for files indexed ' +
          'before agentd stored flags.',
      }),
  })
  .meta({ id: 'VectorStoreFile' });

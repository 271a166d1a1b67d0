// The API's views of vector stores and their files; their schemas are in @agentd/spec/wire.
import type { ChunkingStrategySchema, VectorStoreFileSchema, VectorStoreSchema } from '@agentd/spec/wire';
import type { z } from 'zod';
import type { Chunking, StoredVectorStore, StoredVectorStoreFile } from './vector-store-repository.js';
import { DEFAULT_CHUNKING } from './vector-store-service.js';

export function toStrategy(chunking: Chunking) {
  return { type: 'static' as const, static: chunking };
}

export function fromStrategy(strategy: z.infer<typeof ChunkingStrategySchema> | undefined): Chunking {
  return strategy?.type === 'static' ? strategy.static : DEFAULT_CHUNKING;
}

export function presentStore(store: StoredVectorStore): z.infer<typeof VectorStoreSchema> {
  return {
    id: store.id,
    object: 'vector_store',
    created_at: store.createdAt,
    last_active_at: store.lastActiveAt,
    name: store.name,
    usage_bytes: store.usageBytes,
    file_counts: store.fileCounts,
    status: store.fileCounts.in_progress > 0 ? 'in_progress' : 'completed',
    expires_after: null,
    expires_at: null,
    metadata: store.metadata,
  };
}

/** A store's file as the API shows it; `storeChunking` applies when the file was added without its own. */
export function presentFile(
  file: StoredVectorStoreFile,
  storeChunking: Chunking,
): z.infer<typeof VectorStoreFileSchema> {
  return {
    id: file.fileId,
    object: 'vector_store.file',
    created_at: file.createdAt,
    vector_store_id: file.vectorStoreId,
    status: file.status,
    last_error: file.lastError,
    usage_bytes: file.usageBytes,
    chunking_strategy: toStrategy(file.chunking ?? storeChunking),
    attributes: file.attributes,
    flagged_chunks: file.status === 'completed' ? file.flaggedChunks : null,
  };
}

import { requireReferenced } from '../errors.js';
import type { FileRepository } from '../files/file-repository.js';
import { newId } from '../ids.js';
import type { AttributeFilter } from './attribute-filter.js';
import type { ChunkHit, ChunkIndex } from './chunk-index.js';
import type { TenantEmbeddings } from './embedding-cache.js';
import type { IngestionDispatch } from './ingestion-dispatch.js';
import {
  type Attributes,
  type Chunking,
  invalidChunking,
  type StoredVectorStore,
  type StoredVectorStoreFile,
  type VectorStoreRepository,
} from './vector-store-repository.js';

/** OpenAI's defaults for the `auto` chunking strategy. */
export const DEFAULT_CHUNKING: Chunking = { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 };

export function checkChunking(chunking: Chunking): Chunking {
  const { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } = chunking;
  if (size < 100 || size > 4096) throw invalidChunking('max_chunk_size_tokens must be from 100 to 4096.');
  if (overlap < 0 || overlap > size / 2)
    throw invalidChunking(
      'chunk_overlap_tokens must be at least 0 and at most half of max_chunk_size_tokens.',
    );
  return chunking;
}

export interface SearchOptions {
  maxResults: number;
  filter?: AttributeFilter | undefined;
  scoreThreshold?: number | undefined;
  ranker?: 'hybrid' | 'vector' | undefined;
}

/** Vector stores: their files' ingestion and search over their chunks. */
export class VectorStoreService {
  constructor(
    readonly repository: VectorStoreRepository,
    private readonly files: FileRepository,
    private readonly chunks: ChunkIndex,
    private readonly ingestion: IngestionDispatch,
    private readonly embeddings: TenantEmbeddings,
  ) {}

  async create(
    tenantId: string,
    request: {
      name: string | null;
      metadata: Record<string, string>;
      chunking: Chunking;
      fileIds: readonly string[];
    },
  ): Promise<StoredVectorStore> {
    for (const [index, fileId] of request.fileIds.entries())
      await this.requireFile(tenantId, fileId, `file_ids[${index}]`);
    const store = await this.repository.create(tenantId, {
      id: newId('vectorStore'),
      name: request.name,
      metadata: request.metadata,
      chunking: checkChunking(request.chunking),
    });
    for (const fileId of request.fileIds) await this.addFile(tenantId, store.id, fileId, {});
    return request.fileIds.length > 0 ? this.repository.get(tenantId, store.id) : store;
  }

  async addFile(
    tenantId: string,
    vectorStoreId: string,
    fileId: string,
    attributes: Attributes,
    /** null: the store's. */
    chunking: Chunking | null = null,
  ): Promise<StoredVectorStoreFile> {
    await this.repository.get(tenantId, vectorStoreId);
    await this.requireFile(tenantId, fileId, 'file_id');
    const added = await this.repository.addFile(
      tenantId,
      vectorStoreId,
      fileId,
      attributes,
      chunking && checkChunking(chunking),
    );
    this.ingestion.enqueue({ tenantId, vectorStoreId, fileId });
    return added;
  }

  async search(
    tenantId: string,
    vectorStoreIds: readonly string[],
    query: string,
    options: SearchOptions,
  ): Promise<ChunkHit[]> {
    const [embedding] = await this.embeddings.of(tenantId).embed([query]);
    // A filter SQL cannot apply throws FilterError, a 400 naming `filters`.
    const hits = await this.chunks.search({
      tenantId,
      vectorStoreIds,
      query,
      embedding: embedding!,
      ...options,
    });
    await this.repository.touch(tenantId, vectorStoreIds);
    return hits;
  }

  private requireFile(tenantId: string, fileId: string, param: string): Promise<void> {
    return requireReferenced(this.files.get(tenantId, fileId), {
      code: 'unknown_file',
      what: 'file',
      id: fileId,
      param,
    });
  }
}

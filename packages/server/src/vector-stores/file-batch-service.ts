import type { ListPage, PageQuery } from '@agentd/spec';
import { AgentdError, requireReferenced } from '../errors.js';
import type { FileRepository } from '../files/file-repository.js';
import { newId } from '../ids.js';
import type { Database } from '../storage/database.js';
import { FileBatchRepository, type StoredFileBatch } from './file-batch-repository.js';
import type { IngestionDispatch } from './ingestion-dispatch.js';
import {
  type Attributes,
  type Chunking,
  type IngestionStatus,
  type StoredVectorStoreFile,
  VectorStoreRepository,
} from './vector-store-repository.js';
import { checkChunking } from './vector-store-service.js';

/** One file of a new batch; `param` names it in the request, for errors. */
export interface BatchEntry {
  fileId: string;
  attributes: Attributes;
  /** null: the store's chunking. */
  chunking: Chunking | null;
  param: string;
}

/**
 * File batches: many files added to a vector store in one request, indexed
 * by the same background ingestion as single files, followed and cancelled
 * as one.
 */
export class FileBatchService {
  readonly repository: FileBatchRepository;

  constructor(
    private readonly db: Database,
    private readonly stores: VectorStoreRepository,
    private readonly files: FileRepository,
    private readonly ingestion: IngestionDispatch,
  ) {
    this.repository = new FileBatchRepository(db);
  }

  /** Adds every file (all or none) and starts their ingestion. */
  async create(
    tenantId: string,
    vectorStoreId: string,
    entries: readonly BatchEntry[],
  ): Promise<StoredFileBatch> {
    await this.stores.get(tenantId, vectorStoreId);
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry.fileId)) {
        throw new AgentdError(
          'invalid_request',
          'duplicate_file',
          `The file ${entry.fileId} is in the batch twice.`,
          { param: entry.param },
        );
      }
      seen.add(entry.fileId);
      await requireReferenced(this.files.get(tenantId, entry.fileId), {
        code: 'unknown_file',
        what: 'file',
        id: entry.fileId,
        param: entry.param,
      });
    }
    const id = newId('fileBatch');
    await this.db.transaction(async (tx) => {
      const stores = new VectorStoreRepository(tx);
      for (const entry of entries)
        await stores.addFile(tenantId, vectorStoreId, entry.fileId, entry.attributes, entry.chunking);
      await new FileBatchRepository(tx).create(tenantId, {
        id,
        vectorStoreId,
        fileIds: entries.map((entry) => entry.fileId),
      });
    });
    for (const entry of entries) this.ingestion.enqueue({ tenantId, vectorStoreId, fileId: entry.fileId });
    return this.repository.get(tenantId, vectorStoreId, id);
  }

  async get(tenantId: string, vectorStoreId: string, id: string): Promise<StoredFileBatch> {
    await this.stores.get(tenantId, vectorStoreId);
    return this.repository.get(tenantId, vectorStoreId, id);
  }

  /** Stops the files not yet indexed; a batch that has already finished cannot be cancelled. */
  async cancel(tenantId: string, vectorStoreId: string, id: string): Promise<StoredFileBatch> {
    const batch = await this.get(tenantId, vectorStoreId, id);
    if (batch.status === 'completed' || batch.status === 'failed') {
      throw new AgentdError(
        'conflict',
        'batch_not_cancellable',
        `The file batch ${id} has already ${batch.status === 'completed' ? 'completed' : 'failed'}: there is nothing left to cancel.`,
      );
    }
    await this.db.transaction((tx) => new FileBatchRepository(tx).cancel(tenantId, vectorStoreId, id));
    return this.repository.get(tenantId, vectorStoreId, id);
  }

  async listFiles(
    tenantId: string,
    vectorStoreId: string,
    id: string,
    page: PageQuery,
    status?: IngestionStatus,
  ): Promise<ListPage<StoredVectorStoreFile>> {
    await this.get(tenantId, vectorStoreId, id);
    return this.repository.listFiles(tenantId, vectorStoreId, id, page, status);
  }
}

/** A batch's chunking, checked; errors name where it was given. */
export function batchChunking(chunking: Chunking | null, param: string): Chunking | null {
  if (!chunking) return null;
  try {
    return checkChunking(chunking);
  } catch (error) {
    if (error instanceof AgentdError)
      throw new AgentdError(error.category, error.code, error.message, { param });
    throw error;
  }
}

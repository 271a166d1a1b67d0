import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EncryptedObjectStore, Keyring, type ObjectStore, objectStoreFromConfig } from '@agentd/object-store';
import type { GraphileTasks } from '@agentd/runtime';
import type { EmbeddingProvider, FileSearchFunction } from '@agentd/tool-files';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { FileLinks, ownUrl } from './files/file-links.js';
import { FileService } from './files/file-service.js';
import { MemoryRepository } from './memories/memory-repository.js';
import { MemoryService } from './memories/memory-service.js';
import { createPassageFlagger } from './safety/passage-flags.js';
import type { Database } from './storage/database.js';
import type { AttributeFilter } from './vector-stores/attribute-filter.js';
import { ChunkIndex } from './vector-stores/chunk-index.js';
import { createEmbedder } from './vector-stores/embedder.js';
import { type EmbeddingMeter, TenantEmbeddings } from './vector-stores/embedding-cache.js';
import { FileBatchService } from './vector-stores/file-batch-service.js';
import { IngestionQueue } from './vector-stores/ingestion.js';
import type { IngestionDispatch, IngestionJob } from './vector-stores/ingestion-dispatch.js';
import { QueuedIngestion } from './vector-stores/queued-ingestion.js';
import { VectorColumn } from './vector-stores/vector-column.js';
import { VectorStoreRepository } from './vector-stores/vector-store-repository.js';
import { VectorStoreService } from './vector-stores/vector-store-service.js';

/** Files, vector stores and memory: what gives agents documents and a memory. */
export interface KnowledgeServices {
  objectStore: EncryptedObjectStore;
  embedder: EmbeddingProvider;
  files: FileService;
  /** Links to files that open without an API key (image and file outputs). */
  fileLinks: FileLinks;
  vectorStores: VectorStoreService;
  fileBatches: FileBatchService;
  /** Where files to index are sent: this process's queue (embedded) or background jobs (scaled). */
  ingestion: IngestionDispatch;
  memories: MemoryService;
  vectors: VectorColumn;
  /** file_search's backend: the scope's tenant's vector stores (the given ones, or all). */
  fileSearch: FileSearchFunction;
}

export interface KnowledgeOptions {
  masterKey?: Buffer | undefined;
  /** How embeddings are stored (VectorColumn.detect); assumed from the database when absent. */
  vectors?: VectorColumn | undefined;
  /** The raw object store under the encryption; by default from configuration. */
  objectStore?: ObjectStore | undefined;
  embedder?: EmbeddingProvider | undefined;
  /** Scaled mode: files are indexed as background jobs on PostgreSQL, by any worker. */
  ingestionTasks?: GraphileTasks<IngestionJob> | undefined;
  /** Records the tokens each tenant's embeddings use (usage and budgets). */
  meterEmbeddings?: EmbeddingMeter | undefined;
}

export function createKnowledgeServices(
  config: Config,
  db: Database,
  logger: Logger,
  options: KnowledgeOptions = {},
): KnowledgeServices {
  const masterKey = options.masterKey ?? randomBytes(32);
  const keyring = Keyring.fromConfig({
    current: masterKey,
    ...(config.AGENTD_MASTER_KEY_PREVIOUS ? { previous: config.AGENTD_MASTER_KEY_PREVIOUS } : {}),
  });
  const raw =
    options.objectStore ??
    objectStoreFromConfig({
      AGENTD_OBJECT_STORE: config.AGENTD_OBJECT_STORE,
      dataDir: join(config.AGENTD_DATA_DIR, 'objects'),
      S3_BUCKET: config.S3_BUCKET,
      S3_REGION: config.S3_REGION,
      S3_ENDPOINT: config.S3_ENDPOINT,
      S3_FORCE_PATH_STYLE: config.S3_FORCE_PATH_STYLE === 'true',
      S3_ACCESS_KEY_ID: config.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: config.S3_SECRET_ACCESS_KEY,
      S3_PREFIX: config.S3_PREFIX,
    });
  const objectStore = new EncryptedObjectStore(raw, keyring);
  const embedder = options.embedder ?? createEmbedder(config);
  const vectors = options.vectors ?? VectorColumn.assume(db.hasVector ? 'pgvector' : 'array', logger);
  const files = new FileService(db, objectStore, {
    maxFileBytes: config.AGENTD_FILE_MAX_BYTES,
    tenantQuotaBytes: config.AGENTD_TENANT_STORAGE_QUOTA_BYTES,
  });
  const chunks = new ChunkIndex(db, vectors, embedder.dimensions);
  const stores = new VectorStoreRepository(db);
  const embeddings = new TenantEmbeddings(db, embedder, options.meterEmbeddings);
  // Passages of uploaded files that hold instructions are flagged when indexed, and marked for the model (issue 13).
  const flagPassage = createPassageFlagger();
  const local = new IngestionQueue(db, { stores, files, chunks, embeddings, logger, flagPassage });
  const ingestion: IngestionDispatch = options.ingestionTasks
    ? new QueuedIngestion({ tasks: options.ingestionTasks, local, stores, logger })
    : local;
  const vectorStores = new VectorStoreService(stores, files.repository, chunks, ingestion, embeddings);
  const fileSearch: FileSearchFunction = async (scope, query, options) => {
    const ids = options.vectorStoreIds ?? (await stores.allIds(scope.tenantId));
    const hits = await vectorStores.search(scope.tenantId, ids, query, {
      maxResults: options.maxResults,
      filter: options.filters as AttributeFilter | undefined,
      scoreThreshold: options.scoreThreshold,
    });
    return hits.map((hit) => ({
      fileId: hit.fileId,
      filename: hit.filename,
      chunkIndex: hit.chunkIndex,
      text: hit.text,
      score: hit.score,
      vectorStoreId: hit.vectorStoreId,
      // Chunks indexed before flags were stored (migration 0015) are checked now.
      flagged: hit.flags ?? flagPassage(hit.text),
    }));
  };
  return {
    fileSearch,
    objectStore,
    embedder,
    files,
    fileLinks: new FileLinks({
      masterKey,
      ttlSeconds: config.AGENTD_FILE_LINK_TTL_SECONDS,
      publicUrl: config.AGENTD_PUBLIC_URL,
      fallbackUrl: ownUrl(config.AGENTD_HOST, config.AGENTD_PORT),
    }),
    vectorStores,
    fileBatches: new FileBatchService(db, stores, files.repository, ingestion),
    ingestion,
    vectors,
    memories: new MemoryService(
      db,
      new MemoryRepository(db, vectors, embedder.dimensions),
      embeddings,
      config.AGENTD_MEMORY_PII,
    ),
  };
}

/**
 * At start: the HNSW indexes for the embedder's dimension, and the files a
 * stopped process left half-indexed.
 */
export async function startKnowledgeServices(db: Database, services: KnowledgeServices): Promise<number> {
  await services.vectors.ensureIndex(db, 'chunks', services.embedder.dimensions);
  await services.vectors.ensureIndex(db, 'memories', services.embedder.dimensions);
  return services.ingestion.recover();
}

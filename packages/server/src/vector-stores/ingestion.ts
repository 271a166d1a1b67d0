import { ObjectNotFoundError } from '@agentd/object-store';
import { chunkText, ExtractionError, extractText, UnsupportedFileError } from '@agentd/tool-files';
import { htmlToMarkdown } from '@agentd/tool-web';
import type { Logger } from 'pino';
import type { FileService } from '../files/file-service.js';
import type { Database } from '../storage/database.js';
import type { ChunkIndex } from './chunk-index.js';
import type { TenantEmbeddings } from './embedding-cache.js';
import type { IngestionDispatch, IngestionJob } from './ingestion-dispatch.js';
import { type Chunking, VectorStoreRepository } from './vector-store-repository.js';

type Job = IngestionJob;

/** Largest file handed to the extractor (PDFs are parsed whole). */
const MAX_EXTRACT_BYTES = 64 * 1024 * 1024;

/**
 * Turns files into searchable chunks, in the background: read the bytes,
 * extract the text, chunk it, embed the chunks (through the tenant's
 * embedding cache), and store them. A few at a time; the status of each
 * vector-store file says where it is, and why it failed.
 */
export class IngestionQueue implements IngestionDispatch {
  private readonly queue: Job[] = [];
  private readonly queued = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly options: {
      stores: VectorStoreRepository;
      files: FileService;
      chunks: ChunkIndex;
      embeddings: TenantEmbeddings;
      logger: Logger;
      concurrency?: number;
      /** The safety checks' findings for a passage (injection categories); stored with each chunk. */
      flagPassage?: (text: string) => readonly string[];
    },
  ) {}

  enqueue(job: Job): void {
    if (this.closed) return;
    const key = `${job.vectorStoreId}/${job.fileId}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(job);
    this.pump();
  }

  /** Picks up files left in progress by a stopped process. */
  async recover(): Promise<number> {
    const pending = await this.options.stores.pending();
    for (const job of pending) this.enqueue(job);
    return pending.length;
  }

  /** Indexes here as files are enqueued: always, in embedded mode. */
  startWorking(): void {}

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await this.idle();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 2;
    while (this.running < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.queued.delete(`${job.vectorStoreId}/${job.fileId}`);
      this.running++;
      void this.ingestNow(job).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  /** Indexes one file now; records a failure on the file rather than throwing it. */
  async ingestNow(job: Job): Promise<void> {
    const { stores, files, chunks, embeddings, logger } = this.options;
    try {
      const store = await stores.get(job.tenantId, job.vectorStoreId);
      const member = await stores.getFile(job.tenantId, job.vectorStoreId, job.fileId);
      if (member.status !== 'in_progress') return; // cancelled while it waited
      const { file, bytes } = await files.readAll(job.tenantId, job.fileId, MAX_EXTRACT_BYTES);
      const extracted = await extractText(
        { bytes, filename: file.filename, ...(file.contentType ? { contentType: file.contentType } : {}) },
        { htmlToMarkdown },
      );
      const pieces = chunkText(extracted.text, chunkOptions(member.chunking ?? store.chunking));
      const vectors =
        pieces.length === 0 ? [] : await embeddings.of(job.tenantId).embed(pieces.map((piece) => piece.text));
      const usageBytes = pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece.text), 0);
      const flags = this.options.flagPassage
        ? await flagAll(
            pieces.map((piece) => piece.text),
            this.options.flagPassage,
          )
        : undefined;
      await this.db.transaction(async (tx) => {
        const repository = new VectorStoreRepository(tx);
        if (!(await repository.lockInProgress(job.tenantId, job.vectorStoreId, job.fileId))) return;
        await chunks.replace(
          tx,
          job.tenantId,
          job.vectorStoreId,
          job.fileId,
          pieces.map((piece, index) => ({
            index: piece.index,
            text: piece.text,
            tokens: piece.tokens,
            embedding: vectors[index]!,
            flags: flags?.[index],
          })),
        );
        await repository.finishFile(job.tenantId, job.vectorStoreId, job.fileId, {
          status: 'completed',
          chunkCount: pieces.length,
          flaggedChunks: flags?.filter((found) => found.length > 0).length ?? 0,
          usageBytes,
        });
      });
      await chunks
        .analyzeIfGrown()
        .catch((error) => logger.warn({ err: error }, 'could not refresh the statistics of chunks'));
    } catch (error) {
      // The store or the file was removed meanwhile; bytes missing under a file that exists are a failure.
      if (
        (error as { category?: string }).category === 'not_found' &&
        !(error instanceof ObjectNotFoundError)
      )
        return;
      const failure = describeFailure(error);
      logger.warn(
        { vector_store_id: job.vectorStoreId, file_id: job.fileId, code: failure.code },
        `file ingestion failed: ${failure.message}`,
      );
      await stores
        .finishFile(job.tenantId, job.vectorStoreId, job.fileId, { status: 'failed', error: failure })
        .catch((finishError) => logger.error({ err: finishError }, 'could not record an ingestion failure'));
    }
  }
}

/** Checks each passage, yielding to the event loop every ~20 ms (a large file has thousands). */
async function flagAll(
  texts: readonly string[],
  flag: (text: string) => readonly string[],
): Promise<(readonly string[])[]> {
  const out: (readonly string[])[] = [];
  let since = performance.now();
  for (const text of texts) {
    out.push(flag(text));
    if (performance.now() - since > 20) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return out;
}

function chunkOptions(chunking: Chunking) {
  return { maxTokens: chunking.max_chunk_size_tokens, overlapTokens: chunking.chunk_overlap_tokens };
}

/** The error the API shows for a failed ingestion: OpenAI's codes, our message. */
function describeFailure(error: unknown): { code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnsupportedFileError) return { code: 'unsupported_file', message };
  if (error instanceof ExtractionError) return { code: 'invalid_file', message };
  if ((error as { code?: string }).code === 'file_too_large') return { code: 'invalid_file', message };
  return { code: 'server_error', message: `The file could not be indexed: ${message}` };
}

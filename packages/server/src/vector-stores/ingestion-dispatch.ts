/** A file of a vector store to be indexed. */
export interface IngestionJob {
  tenantId: string;
  vectorStoreId: string;
  fileId: string;
}

/**
 * Where files to index are sent: the in-process queue (embedded mode) or
 * background jobs any worker takes (scaled mode). Indexing a file twice is
 * safe: the second finds it no longer in progress, or replaces its chunks.
 */
export interface IngestionDispatch {
  enqueue(job: IngestionJob): void;
  /** Sends again the files left in progress by a process that stopped; how many. */
  recover(): Promise<number>;
  /** Starts indexing here (a process whose role includes running work). */
  startWorking(): void;
  /** Resolves when this process has no file queued or being indexed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

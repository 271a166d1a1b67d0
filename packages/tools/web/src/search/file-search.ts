export interface FileSearchHit {
  fileId: string;
  filename: string;
  snippet: string;
  score?: number;
}

/**
 * Searches the tenant's own files (the files index). The server passes one
 * bound to the tenant; without it, web_search says file search is unavailable.
 */
export type FileSearch = (
  query: string,
  options: { limit: number; signal: AbortSignal },
) => Promise<FileSearchHit[]>;

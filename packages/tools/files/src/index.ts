// PII detection moved to @agentd/safety (one rule set among several); re-exported for existing callers.
export { PII_LABELS, type PiiFinding, type PiiType, redactPii, scanPii } from '@agentd/safety';
export {
  type Chunk,
  type ChunkOptions,
  chunkText,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_OVERLAP_TOKENS,
} from './chunk/chunk-text.js';
export { countTokens } from './chunk/token-pieces.js';
export { CachedEmbeddings, embeddingCacheKey } from './embeddings/cached-embeddings.js';
export { cosineSimilarity } from './embeddings/cosine-similarity.js';
export { type EmbeddingCache, MemoryEmbeddingCache } from './embeddings/embedding-cache.js';
export type { EmbeddingProvider, EmbedOptions } from './embeddings/embedding-provider.js';
export { HashingEmbeddings, type HashingEmbeddingsOptions } from './embeddings/hashing-embeddings.js';
export { OpenAIEmbeddings, type OpenAIEmbeddingsOptions } from './embeddings/openai-embeddings.js';
export {
  EmbeddingError,
  ExtractionError,
  FilesError,
  type FilesErrorCode,
  UnsupportedFileError,
} from './errors.js';
export type { HtmlToMarkdown } from './extract/extract-html.js';
export {
  DEFAULT_MAX_EXTRACTED_CHARS,
  type ExtractTextInput,
  type ExtractTextOptions,
  extractText,
} from './extract/extract-text.js';
export { type ExtractedText, SUPPORTED_FILE_TYPES, type TextFormat } from './extract/extracted-text.js';
export { applyPiiPolicy, type PiiMode, type PiiPolicyResult } from './pii/pii-policy.js';
export { type FilesScriptedRule, filesRules } from './rules/files-rules.js';
export {
  createFileSearchTool,
  type FileSearchFunction,
  type FileSearchResult,
  type FileSearchToolOptions,
} from './tools/file-search-tool.js';
export {
  createMemoryTools,
  MEMORY_NEEDS_USER_MESSAGE,
  type MemoryRecord,
  type MemoryToolsOptions,
} from './tools/memory-tools.js';

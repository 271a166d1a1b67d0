import { type EmbeddingProvider, HashingEmbeddings, OpenAIEmbeddings } from '@agentd/tool-files';
import type { Config } from '../config/schema.js';

/**
 * The embedder files and memories share: the local hashing embedder (lexical,
 * zero set-up) unless AGENTD_EMBEDDINGS=openai names an OpenAI-compatible
 * /v1/embeddings endpoint (OpenAI, vLLM, Ollama, TEI).
 */
export function createEmbedder(config: Config): EmbeddingProvider {
  if (config.AGENTD_EMBEDDINGS === 'hashing') {
    return new HashingEmbeddings({ dimensions: config.AGENTD_EMBEDDINGS_DIMENSIONS ?? 384 });
  }
  const baseUrl = config.AGENTD_EMBEDDINGS_BASE_URL ?? config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const apiKey = config.AGENTD_EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY;
  return new OpenAIEmbeddings({
    baseUrl,
    model: config.AGENTD_EMBEDDINGS_MODEL,
    ...(apiKey ? { apiKey } : {}),
    ...(config.AGENTD_EMBEDDINGS_DIMENSIONS ? { dimensions: config.AGENTD_EMBEDDINGS_DIMENSIONS } : {}),
  });
}

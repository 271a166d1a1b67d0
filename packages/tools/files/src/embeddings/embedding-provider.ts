// The contract is in spec; the implementations are beside this file.
export type { EmbeddingProvider, EmbedOptions } from '@agentd/spec';

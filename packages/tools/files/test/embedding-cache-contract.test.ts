import { describeEmbeddingCacheContract } from '@agentd/testing';
import { MemoryEmbeddingCache } from '../src/index.js';

// The in-process cache (no tenants: the server keeps one per tenant, and cannot delete: it only evicts).
describeEmbeddingCacheContract('MemoryEmbeddingCache', () => ({ cache: new MemoryEmbeddingCache() }));

import { describeEmbeddingProviderContract, type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';
import { CachedEmbeddings, HashingEmbeddings, MemoryEmbeddingCache, OpenAIEmbeddings } from '../src/index.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake?.close());

/** Texts the fake embeddings API has been sent. */
const textsSent = () =>
  fake.requests
    .filter((request) => request.path === '/v1/embeddings')
    .reduce((sum, request) => sum + (Array.isArray(request.body?.input) ? request.body.input.length : 1), 0);

const openai = () =>
  new OpenAIEmbeddings({
    baseUrl: fake.baseURL,
    apiKey: 'sk-embeddings-contract',
    model: 'text-embedding-3-small',
    dimensions: 64,
    batchSize: 100,
  });

describeEmbeddingProviderContract('OpenAIEmbeddings against the fake OpenAI server', () => ({
  provider: openai(),
  textsSent,
}));
describeEmbeddingProviderContract('HashingEmbeddings', () => ({ provider: new HashingEmbeddings() }));
describeEmbeddingProviderContract('CachedEmbeddings over OpenAIEmbeddings', () => ({
  provider: new CachedEmbeddings(openai(), new MemoryEmbeddingCache()),
  textsSent,
}));
describeEmbeddingProviderContract('CachedEmbeddings over HashingEmbeddings', () => ({
  provider: new CachedEmbeddings(new HashingEmbeddings(), new MemoryEmbeddingCache()),
}));

import { describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

describe('embeddings count in usage, as the embedding model reports them', () => {
  const suite = fakeModelSuite({
    backend: 'pglite',
    env: {
      AGENTD_EMBEDDINGS: 'openai',
      AGENTD_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      AGENTD_EMBEDDINGS_DIMENSIONS: '64',
    },
  });

  it("records a search's query embedding once (the cache answers the repeat), priced by the table", async () => {
    const { api } = suite;
    const store = await api.post('/v1/vector_stores', { name: 'notes' });
    expect(store.status).toBe(200);
    const query = 'where is the canteen';
    for (let i = 0; i < 2; i++) {
      const search = await api.post(`/v1/vector_stores/${store.body.id}/search`, { query });
      expect(search.status).toBe(200);
    }
    const embedded = suite.fake.requests.filter((request) => request.path.endsWith('/embeddings'));
    expect(embedded).toHaveLength(1);
    // The fake reports a token per four characters.
    const tokens = Math.ceil(query.length / 4);
    const usage = await api.get('/v1/usage?group_by=model');
    expect(usage.body.data).toEqual([
      {
        object: 'usage.bucket',
        model: 'text-embedding-3-small',
        input_tokens: tokens,
        output_tokens: 0,
        total_tokens: tokens,
        cost_usd: expect.closeTo((tokens * 0.02) / 1e6, 12),
        runs: 0,
        model_calls: 0,
        tool_calls: 0,
      },
    ]);
  });
});

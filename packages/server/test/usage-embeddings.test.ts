import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('embeddings count in usage, as the embedding model reports them', () => {
  let agentd: AgentdWithFakeModel;

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: {
        AGENTD_EMBEDDINGS: 'openai',
        AGENTD_EMBEDDINGS_MODEL: 'text-embedding-3-small',
        AGENTD_EMBEDDINGS_DIMENSIONS: '64',
      },
    });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it("records a search's query embedding once (the cache answers the repeat), priced by the table", async () => {
    const { api } = agentd;
    const store = await api.post('/v1/vector_stores', { name: 'notes' });
    expect(store.status).toBe(200);
    const query = 'where is the canteen';
    for (let i = 0; i < 2; i++) {
      const search = await api.post(`/v1/vector_stores/${store.body.id}/search`, { query });
      expect(search.status).toBe(200);
    }
    const embedded = agentd.fake.requests.filter((request) => request.path.endsWith('/embeddings'));
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

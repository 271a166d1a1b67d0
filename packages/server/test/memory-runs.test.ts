/**
 * Long-term memory as a run uses it, over HTTP against a real server and the
 * fake OpenAI server: what is recalled into the model's context (within
 * AGENTD_MEMORY_TOKENS, most relevant first), what memory_search gives the
 * model, and that one user of a tenant never sees another's memories.
 */

import { type AgentdWithFakeModel, BACKENDS, startAgentdWithFakeModel } from '@agentd/test-server';
import type { ApiClient, FakeOpenAI, FakeRequest } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The memory budget of the server under test, in the server's rough tokens (four characters each). */
const MEMORY_TOKENS = 40;

const RECALL_HEADER = 'What you remember about this user';

type ChatMessage = { role: string; content: string | null; tool_call_id?: string };
const messagesOf = (request: FakeRequest): ChatMessage[] => request.body.messages ?? [];

/** The memories recalled into one model request's system message, in the order given. */
function recalled(request: FakeRequest): string[] {
  const system = messagesOf(request)
    .filter((message) => message.role === 'system')
    .map((message) => message.content ?? '')
    .join('\n');
  const at = system.indexOf(RECALL_HEADER);
  if (at === -1) return [];
  return system
    .slice(at)
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

/** The tool result the model was sent back for a call. */
function toolResult(request: FakeRequest, callId: string): string {
  const message = messagesOf(request).find(
    (candidate) => candidate.role === 'tool' && candidate.tool_call_id === callId,
  );
  if (!message) throw new Error(`the model was not sent a result for ${callId}`);
  return message.content ?? '';
}

describe.each(BACKENDS)('memory in runs on %s', (backend) => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let api: ApiClient;
  let agentId: string;

  /** Opts a user in and saves their memories through the API, in order; returns their ids. */
  async function remember(user: string, texts: string[]): Promise<string[]> {
    expect((await api.post('/v1/memories/consent', { user, enabled: true })).status).toBe(200);
    const ids: string[] = [];
    for (const text of texts) {
      const saved = await api.post('/v1/memories', { user, text });
      expect(saved.status).toBe(200);
      expect(saved.body.text).toBe(text);
      ids.push(saved.body.id);
    }
    return ids;
  }

  /** One run of the memory agent for a user, answered by the fake model; returns what the model was sent. */
  async function runAs(user: string, input: string): Promise<FakeRequest> {
    fake.reset();
    fake.enqueue({ text: 'Noted.' });
    const response = await api.post('/v1/responses', { agent: agentId, user, input });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    expect(fake.requests).toHaveLength(1);
    return fake.requests[0]!;
  }

  /** A run in which the model calls memory_search; returns the response and the result the model got. */
  async function searchAs(user: string, args: { query: string; limit?: number }) {
    fake.reset();
    fake.enqueue(
      { toolCalls: [{ id: 'call_mem', name: 'memory_search', arguments: JSON.stringify(args) }] },
      { text: 'Here is what I remember.' },
    );
    const response = await api.post('/v1/responses', { agent: agentId, user, input: 'What do you know?' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    expect(fake.requests).toHaveLength(2);
    const firstTools = (fake.requests[0]!.body.tools ?? []).map(
      (tool: { function: { name: string } }) => tool.function.name,
    );
    expect(firstTools).toContain('memory_search');
    const output = response.body.output.find(
      (item: { type: string; call_id?: string }) =>
        item.type === 'function_call_output' && item.call_id === 'call_mem',
    );
    return { response, output: output?.output as string, sent: toolResult(fake.requests[1]!, 'call_mem') };
  }

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({
      backend,
      env: { OPENAI_API_KEY: 'sk-upstream', AGENTD_MEMORY_TOKENS: String(MEMORY_TOKENS) },
    });
    ({ fake, api } = agentd);
    const agent = await api.post('/v1/agents', {
      name: 'concierge',
      instructions: 'Help the guest.',
      model: 'fake-model',
      memory: { enabled: true },
    });
    expect(agent.status).toBe(200);
    agentId = agent.body.id;
  });
  afterAll(() => agentd?.close());

  it('recalls only as many memories as AGENTD_MEMORY_TOKENS holds, the most relevant first', async () => {
    // Ten memories of 41 to 44 characters: 11 tokens each by the server's count, plus 2 for the
    // list bullet, so 13; a budget of 40 holds three (39) and not four (52). Saved in an order
    // unrelated to their relevance, so the order recalled is the ranking's, not the insertion's.
    const byRelevance = [
      'Likes hiking trails near Lyon best of all.',
      'Likes hiking trails near Lyon on weekdays.',
      'Likes hiking trails near Dijon in autumn.',
      'Likes hiking trails in Brittany, in autumn',
      'Hiking near Lyon: takes an early train there',
      'Hiking trails: carries a map and a compass',
      'Trails by lakes make her calm and cheerful',
    ];
    const unrelated = [
      'Likes swimming in the Vosges when it is hot',
      'Enjoys long walks along rivers in the spring',
      'Often cycles to work along the Rhone quays',
    ];
    const order = [6, 2, 4, 0, 5, 1, 3];
    const saved = [...order.map((i) => byRelevance[i]!), ...unrelated];
    for (const text of saved) expect(Math.ceil(text.length / 4)).toBe(11);
    const ids = await remember('hiker', saved);
    const idOf = (text: string) => ids[saved.indexOf(text)]!;

    const question = 'Which hiking trails near Lyon do I like best?';
    expect(recalled(await runAs('hiker', question))).toEqual(byRelevance.slice(0, 3));

    // The rest were held back by the budget, not by their relevance: with the best three erased,
    // the next three come in, in order, and still no more than three.
    for (const text of byRelevance.slice(0, 3)) {
      expect((await api.delete(`/v1/memories/${idOf(text)}?user=hiker`)).status).toBe(200);
    }
    expect(recalled(await runAs('hiker', question))).toEqual(byRelevance.slice(3, 6));
  });

  it('answers memory_search with the user’s best-matching memories', async () => {
    await remember('searcher', [
      'Drinks her coffee black, without sugar.',
      'Hikes the trails near Lyon every Sunday.',
      'Wears hiking boots with a wide toe box.',
    ]);
    const { output, sent } = await searchAs('searcher', { query: 'hiking trails near Lyon', limit: 2 });
    // What the model was sent is what the response shows as the call's output.
    expect(sent).toBe(output);
    expect(sent).toContain('memory_search: 2 memory(ies) for "hiking trails near Lyon"');
    const lines = sent.split('\n').filter((line) => /^\[\d\] saved /.test(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Hikes the trails near Lyon every Sunday.');
    expect(lines[1]).toContain('Wears hiking boots with a wide toe box.');
    expect(sent).not.toContain('coffee');
  });

  describe('isolation between users of one tenant', () => {
    const ALICE = ['Hikes the trails near Lyon every Sunday.', 'Drinks her coffee black, without sugar.'];
    const BOB = ['Hikes the trails near Lyon every Saturday.', 'Is learning to play the cello.'];
    let aliceIds: string[];
    let bobIds: string[];

    beforeAll(async () => {
      // Nearly the same memory for both, so a leak would rank as high as the user's own.
      aliceIds = await remember('alice', ALICE);
      bobIds = await remember('bob', BOB);
    });

    it('lists only the user’s own memories, and erases none of another’s', async () => {
      const listed = async (user: string) =>
        (await api.get(`/v1/memories?user=${user}&order=asc`)).body.data.map(
          (memory: { id: string; user: string; text: string }) => [memory.id, memory.user, memory.text],
        );
      expect(await listed('bob')).toEqual(BOB.map((text, i) => [bobIds[i], 'bob', text]));
      expect(await listed('alice')).toEqual(ALICE.map((text, i) => [aliceIds[i], 'alice', text]));
      expect(await listed('carol')).toEqual([]);

      const erase = await api.delete(`/v1/memories/${aliceIds[0]}?user=bob`);
      expect(erase.status).toBe(404);
      expect(erase.body.error).toMatchObject({ code: 'memory_not_found' });
      expect((await listed('alice')).map((row: unknown[]) => row[0])).toEqual(aliceIds);
    });

    it('recalls only the user’s own memories into the model’s context', async () => {
      const question = 'Which trails near Lyon should I hike?';
      // The budget holds three memories; each user gets their own one, and nothing of the other's.
      expect(recalled(await runAs('bob', question))).toEqual([BOB[0]]);
      expect(recalled(await runAs('alice', question))).toEqual([ALICE[0]]);
      const sent = JSON.stringify((await runAs('bob', question)).body);
      for (const text of ALICE) expect(sent).not.toContain(text);
    });

    it('gives memory_search only the user’s own memories', async () => {
      const bob = await searchAs('bob', { query: 'hiking trails near Lyon', limit: 20 });
      for (const text of BOB) expect(bob.sent).toContain(text);
      for (const text of ALICE) expect(bob.sent).not.toContain(text);
      expect(bob.sent).toContain('2 memory(ies)');

      const alice = await searchAs('alice', { query: 'hiking trails near Lyon', limit: 20 });
      for (const text of ALICE) expect(alice.sent).toContain(text);
      for (const text of BOB) expect(alice.sent).not.toContain(text);
      // The whole run's requests: nothing of Alice's anywhere in what the model saw for Bob.
      await searchAs('bob', { query: 'coffee', limit: 20 });
      const everything = JSON.stringify(fake.requests.map((request) => request.body));
      for (const text of ALICE) expect(everything).not.toContain(text);
    });
  });
});

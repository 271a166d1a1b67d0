import { BACKENDS } from '@agentd/test-server';
import { describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

interface Item {
  id: string;
  type: string;
  content?: Array<{ type: string; text?: string }>;
  [field: string]: unknown;
}

describe.each(BACKENDS)('conversations API on %s', (backend) => {
  const suite = testServerSuite({ backend });

  /** Every item of a conversation, oldest first, read page by page. */
  async function allItems(conversationId: string, limit = 100): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await suite.api.get(
        `/v1/conversations/${conversationId}/items?order=asc&limit=${limit}${after ? `&after=${after}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.data);
      if (!page.body.has_more) return items;
      after = page.body.last_id;
    }
  }

  it('creates a conversation with metadata and initial items, normalising string content', async () => {
    const created = await suite.api.post('/v1/conversations', {
      metadata: { topic: 'billing', customer: 'c-42' },
      items: [
        { role: 'user', content: 'Hello, I have a question.' },
        { type: 'message', role: 'assistant', content: 'Sure, ask away.' },
        {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'Why was I charged twice?' }],
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^conv_/),
      object: 'conversation',
      created_at: expect.any(Number),
      metadata: { topic: 'billing', customer: 'c-42' },
    });
    const nowSeconds = Date.now() / 1000;
    expect(Math.abs(created.body.created_at - nowSeconds)).toBeLessThan(120);
    const id = created.body.id as string;

    const items = await allItems(id);
    expect(items).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        content: [{ type: 'input_text', text: 'Hello, I have a question.' }],
        status: 'completed',
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Sure, ask away.', annotations: [] }],
        status: 'completed',
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        content: [{ type: 'input_text', text: 'Why was I charged twice?' }],
        status: 'completed',
      },
    ]);
    expect(new Set(items.map((item) => item.id)).size).toBe(3);
  });

  it('gets, lists, updates and deletes a conversation', async () => {
    const created = await suite.api.post('/v1/conversations', { metadata: { stage: 'one' } });
    expect(created.status).toBe(200);
    const id = created.body.id as string;

    const got = await suite.api.get(`/v1/conversations/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const empty = await suite.api.post('/v1/conversations', {});
    expect(empty.status).toBe(200);
    expect(empty.body.metadata).toEqual({});
    const emptyItems = await suite.api.get(`/v1/conversations/${empty.body.id}/items`);
    expect(emptyItems.body).toEqual({
      object: 'list',
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });

    const list = await suite.api.get('/v1/conversations?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.object).toBe('list');
    const listedIds = list.body.data.map((c: { id: string }) => c.id);
    expect(listedIds).toContain(id);
    expect(listedIds).toContain(empty.body.id);
    // Newest first by default.
    expect(listedIds.indexOf(empty.body.id)).toBeLessThan(listedIds.indexOf(id));
    expect(list.body.data.find((c: { id: string }) => c.id === id)).toEqual(created.body);

    const ascending = await suite.api.get('/v1/conversations?order=asc&limit=100');
    const ascIds = ascending.body.data.map((c: { id: string }) => c.id);
    expect(ascIds.indexOf(id)).toBeLessThan(ascIds.indexOf(empty.body.id));

    const updated = await suite.api.post(`/v1/conversations/${id}`, {
      metadata: { stage: 'two', owner: 'ana' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...created.body, metadata: { stage: 'two', owner: 'ana' } });
    expect((await suite.api.get(`/v1/conversations/${id}`)).body.metadata).toEqual({
      stage: 'two',
      owner: 'ana',
    });

    // Metadata is replaced, not merged.
    const replaced = await suite.api.post(`/v1/conversations/${id}`, { metadata: { owner: 'bo' } });
    expect(replaced.body.metadata).toEqual({ owner: 'bo' });

    const missingMetadata = await suite.api.post(`/v1/conversations/${id}`, {});
    expect(missingMetadata.status).toBe(400);
    expect(missingMetadata.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'missing_required_parameter',
      param: 'metadata',
    });

    const deleted = await suite.api.delete(`/v1/conversations/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id, object: 'conversation.deleted', deleted: true });

    for (const response of [
      await suite.api.get(`/v1/conversations/${id}`),
      await suite.api.post(`/v1/conversations/${id}`, { metadata: {} }),
      await suite.api.delete(`/v1/conversations/${id}`),
      await suite.api.get(`/v1/conversations/${id}/items`),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        type: 'not_found_error',
        code: 'conversation_not_found',
        param: 'id',
      });
    }
    const afterDelete = await suite.api.get('/v1/conversations?limit=100');
    expect(afterDelete.body.data.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  it('deletes the items of a deleted conversation with it', async () => {
    const created = await suite.api.post('/v1/conversations', { items: [{ role: 'user', content: 'bye' }] });
    const id = created.body.id as string;
    const [item] = await allItems(id);
    expect((await suite.api.get(`/v1/conversations/${id}/items/${item!.id}`)).status).toBe(200);
    expect((await suite.api.delete(`/v1/conversations/${id}`)).status).toBe(200);
    const gone = await suite.api.get(`/v1/conversations/${id}/items/${item!.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('conversation_not_found');
  });

  it('adds message, function_call and function_call_output items and reads them back', async () => {
    const conversation = await suite.api.post('/v1/conversations', {
      items: [{ role: 'system', content: 'You are terse.' }],
    });
    const id = conversation.body.id as string;

    const added = await suite.api.post(`/v1/conversations/${id}/items`, {
      items: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is 2+3?' }] },
        {
          type: 'function_call',
          call_id: 'call_abc',
          name: 'add',
          arguments: '{"a":2,"b":3}',
        },
        { type: 'function_call_output', call_id: 'call_abc', output: '{"sum":5}' },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'It is 5.' }],
          status: 'incomplete',
        },
        { role: 'developer', content: 'Be brief.' },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body.object).toBe('list');
    expect(added.body.has_more).toBe(false);
    const data = added.body.data as Item[];
    expect(data).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        content: [{ type: 'input_text', text: 'What is 2+3?' }],
        status: 'completed',
      },
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/),
        call_id: 'call_abc',
        name: 'add',
        arguments: '{"a":2,"b":3}',
        status: 'completed',
      },
      {
        type: 'function_call_output',
        id: expect.stringMatching(/^fco_/),
        call_id: 'call_abc',
        output: '{"sum":5}',
        status: 'completed',
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'assistant',
        content: [{ type: 'output_text', text: 'It is 5.', annotations: [] }],
        status: 'incomplete',
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'developer',
        content: [{ type: 'input_text', text: 'Be brief.' }],
        status: 'completed',
      },
    ]);
    expect(added.body.first_id).toBe(data[0]!.id);
    expect(added.body.last_id).toBe(data[4]!.id);

    const all = await allItems(id);
    expect(all).toHaveLength(6);
    expect(all[0]).toMatchObject({
      role: 'system',
      content: [{ type: 'input_text', text: 'You are terse.' }],
    });
    expect(all.slice(1)).toEqual(data);

    // Each item can be read on its own, exactly as listed.
    for (const item of data) {
      const one = await suite.api.get(`/v1/conversations/${id}/items/${item.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(item);
    }

    // A second batch lands after the first, in order.
    const more = await suite.api.post(`/v1/conversations/${id}/items`, {
      items: [
        { role: 'user', content: 'thanks' },
        { role: 'assistant', content: 'welcome' },
      ],
    });
    expect(more.status).toBe(200);
    const after = await allItems(id);
    expect(after.map((item) => item.id)).toEqual([...all, ...more.body.data].map((item: Item) => item.id));
    expect(after.at(-1)).toMatchObject({
      role: 'assistant',
      content: [{ type: 'output_text', text: 'welcome', annotations: [] }],
    });
  });

  it('pages through items with after, limit and order in insertion order', async () => {
    const conversation = await suite.api.post('/v1/conversations', {});
    const id = conversation.body.id as string;
    const texts = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];
    // Several separate requests, then a batch: insertion order must hold across both.
    const ids: string[] = [];
    for (const text of texts.slice(0, 3)) {
      const added = await suite.api.post(`/v1/conversations/${id}/items`, {
        items: [{ role: 'user', content: text }],
      });
      ids.push(added.body.data[0].id);
    }
    const batch = await suite.api.post(`/v1/conversations/${id}/items`, {
      items: texts.slice(3).map((text) => ({ role: 'user', content: text })),
    });
    ids.push(...batch.body.data.map((item: Item) => item.id));

    const textOf = (item: Item) => item.content?.[0]?.text as string;

    const first = await suite.api.get(`/v1/conversations/${id}/items?order=asc&limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.data.map(textOf)).toEqual(['one', 'two', 'three']);
    expect(first.body.first_id).toBe(ids[0]);
    expect(first.body.last_id).toBe(ids[2]);
    expect(first.body.has_more).toBe(true);

    const second = await suite.api.get(
      `/v1/conversations/${id}/items?order=asc&limit=3&after=${first.body.last_id}`,
    );
    expect(second.body.data.map(textOf)).toEqual(['four', 'five', 'six']);
    expect(second.body.first_id).toBe(ids[3]);
    expect(second.body.last_id).toBe(ids[5]);
    expect(second.body.has_more).toBe(true);

    const third = await suite.api.get(
      `/v1/conversations/${id}/items?order=asc&limit=3&after=${second.body.last_id}`,
    );
    expect(third.body.data.map(textOf)).toEqual(['seven']);
    expect(third.body.first_id).toBe(ids[6]);
    expect(third.body.last_id).toBe(ids[6]);
    expect(third.body.has_more).toBe(false);

    // An exact fit: the page after the last item is empty.
    const end = await suite.api.get(`/v1/conversations/${id}/items?order=asc&after=${ids[6]}`);
    expect(end.body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });

    // desc is the default: newest first.
    const newest = await suite.api.get(`/v1/conversations/${id}/items?limit=2`);
    expect(newest.body.data.map(textOf)).toEqual(['seven', 'six']);
    expect(newest.body.has_more).toBe(true);
    const older = await suite.api.get(
      `/v1/conversations/${id}/items?order=desc&limit=4&after=${newest.body.last_id}`,
    );
    expect(older.body.data.map(textOf)).toEqual(['five', 'four', 'three', 'two']);
    expect(older.body.has_more).toBe(true);
    const oldest = await suite.api.get(
      `/v1/conversations/${id}/items?order=desc&after=${older.body.last_id}`,
    );
    expect(oldest.body.data.map(textOf)).toEqual(['one']);
    expect(oldest.body.has_more).toBe(false);

    const everything = await suite.api.get(`/v1/conversations/${id}/items?order=asc&limit=7`);
    expect(everything.body.data.map(textOf)).toEqual(texts);
    expect(everything.body.has_more).toBe(false);

    const badLimit = await suite.api.get(`/v1/conversations/${id}/items?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.param).toBe('limit');
    const badOrder = await suite.api.get(`/v1/conversations/${id}/items?order=up`);
    expect(badOrder.status).toBe(400);
    expect(badOrder.body.error.param).toBe('order');
  });

  it('gets and deletes a single item', async () => {
    const conversation = await suite.api.post('/v1/conversations', {
      metadata: { kind: 'single' },
      items: [
        { role: 'user', content: 'keep me' },
        { role: 'user', content: 'drop me' },
        { role: 'user', content: 'keep me too' },
      ],
    });
    const id = conversation.body.id as string;
    const [keep, drop, keepToo] = await allItems(id);

    const got = await suite.api.get(`/v1/conversations/${id}/items/${drop!.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(drop);

    const deleted = await suite.api.delete(`/v1/conversations/${id}/items/${drop!.id}`);
    expect(deleted.status).toBe(200);
    // Like the OpenAI Conversations API: deleting an item returns the conversation.
    expect(deleted.body).toEqual(conversation.body);

    const gone = await suite.api.get(`/v1/conversations/${id}/items/${drop!.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ type: 'not_found_error', code: 'item_not_found' });
    const again = await suite.api.delete(`/v1/conversations/${id}/items/${drop!.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('item_not_found');

    expect((await allItems(id)).map((item) => item.id)).toEqual([keep!.id, keepToo!.id]);

    // An item is only found through its own conversation.
    const other = await suite.api.post('/v1/conversations', {});
    const wrongConversation = await suite.api.get(`/v1/conversations/${other.body.id}/items/${keep!.id}`);
    expect(wrongConversation.status).toBe(404);
    expect(wrongConversation.body.error.code).toBe('item_not_found');
    const wrongDelete = await suite.api.delete(`/v1/conversations/${other.body.id}/items/${keep!.id}`);
    expect(wrongDelete.status).toBe(404);
    expect((await suite.api.get(`/v1/conversations/${id}/items/${keep!.id}`)).status).toBe(200);

    const unknownConversation = await suite.api.get(`/v1/conversations/conv_nope/items/${keep!.id}`);
    expect(unknownConversation.status).toBe(404);
    expect(unknownConversation.body.error.code).toBe('conversation_not_found');
    const unknownConversationDelete = await suite.api.delete(`/v1/conversations/conv_nope/items/${keep!.id}`);
    expect(unknownConversationDelete.status).toBe(404);
    expect(unknownConversationDelete.body.error.code).toBe('conversation_not_found');
  });

  it('rejects bad items with a 400 naming the field, and stores nothing', async () => {
    const conversation = await suite.api.post('/v1/conversations', {
      items: [{ role: 'user', content: 'seed' }],
    });
    const id = conversation.body.id as string;
    const validItem = { role: 'user', content: 'fine' };
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ role: 'user', content: `m${i}` }));

    const cases: Array<[string, unknown, string, string]> = [
      [
        'unknown item type',
        { items: [{ type: 'image_generation_call', id: 'x' }] },
        'invalid_value',
        'items[0].type',
      ],
      [
        'missing call_id',
        { items: [validItem, { type: 'function_call_output', output: 'ok' }] },
        'missing_required_parameter',
        'items[1].call_id',
      ],
      [
        'missing call_id on a function_call',
        { items: [{ type: 'function_call', name: 'add', arguments: '{}' }] },
        'missing_required_parameter',
        'items[0].call_id',
      ],
      [
        'unknown field in an item',
        { items: [{ role: 'user', content: 'hi', colour: 'blue' }] },
        'unknown_parameter',
        'items[0].colour',
      ],
      [
        'unknown field in a content part',
        { items: [{ role: 'user', content: [{ type: 'input_text', text: 'x', colour: 'red' }] }] },
        'unknown_parameter',
        'items[0].content[0].colour',
      ],
      ['bad role', { items: [{ role: 'robot', content: 'hi' }] }, 'invalid_value', 'items[0].role'],
      ['more than 20 items', { items: tooMany }, 'invalid_value', 'items'],
      ['no items', { items: [] }, 'invalid_value', 'items'],
      ['missing items', {}, 'missing_required_parameter', 'items'],
      ['unknown top-level field', { items: [validItem], colour: 'blue' }, 'unknown_parameter', 'colour'],
    ];
    for (const [label, body, code, param] of cases) {
      const response = await suite.api.post(`/v1/conversations/${id}/items`, body);
      expect(response.status, label).toBe(400);
      expect(response.body.error, label).toMatchObject({ type: 'invalid_request_error', code, param });
      expect(typeof response.body.error.message, label).toBe('string');
    }
    // None of the rejected requests added anything.
    const items = await allItems(id);
    expect(items.map((item) => item.content?.[0]?.text)).toEqual(['seed']);

    // Creating a conversation validates its items the same way, and creates nothing on failure.
    const before = (await suite.api.get('/v1/conversations?limit=100')).body.data.length;
    const badCreate = await suite.api.post('/v1/conversations', {
      metadata: { x: 'y' },
      items: [{ role: 'user', content: 'hi', colour: 'blue' }],
    });
    expect(badCreate.status).toBe(400);
    expect(badCreate.body.error).toMatchObject({ code: 'unknown_parameter', param: 'items[0].colour' });
    const tooManyCreate = await suite.api.post('/v1/conversations', { items: tooMany });
    expect(tooManyCreate.status).toBe(400);
    expect(tooManyCreate.body.error).toMatchObject({ code: 'invalid_value', param: 'items' });
    const badMetadata = await suite.api.post('/v1/conversations', { metadata: { n: 1 } });
    expect(badMetadata.status).toBe(400);
    expect(badMetadata.body.error).toMatchObject({ code: 'invalid_value', param: 'metadata.n' });
    expect((await suite.api.get('/v1/conversations?limit=100')).body.data.length).toBe(before);

    // Exactly 20 is allowed.
    const twenty = await suite.api.post(`/v1/conversations/${id}/items`, { items: tooMany.slice(0, 20) });
    expect(twenty.status).toBe(200);
    expect(twenty.body.data).toHaveLength(20);
  });

  it('answers an unknown conversation with 404 and a foreign cursor with 400', async () => {
    const missing = '/v1/conversations/conv_doesnotexist';
    const requests = [
      await suite.api.get(missing),
      await suite.api.post(missing, { metadata: {} }),
      await suite.api.delete(missing),
      await suite.api.get(`${missing}/items`),
      await suite.api.post(`${missing}/items`, { items: [{ role: 'user', content: 'hi' }] }),
    ];
    for (const response of requests) {
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        type: 'not_found_error',
        code: 'conversation_not_found',
        param: 'id',
      });
    }

    const one = await suite.api.post('/v1/conversations', { items: [{ role: 'user', content: 'a' }] });
    const two = await suite.api.post('/v1/conversations', { items: [{ role: 'user', content: 'b' }] });
    const [foreignItem] = await allItems(two.body.id);
    const foreignCursor = await suite.api.get(
      `/v1/conversations/${one.body.id}/items?after=${foreignItem!.id}`,
    );
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_cursor',
      param: 'after',
    });
    const madeUpCursor = await suite.api.get(`/v1/conversations/${one.body.id}/items?after=msg_nothing`);
    expect(madeUpCursor.status).toBe(400);
    expect(madeUpCursor.body.error.param).toBe('after');
  });
});

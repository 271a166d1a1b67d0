import {
  AddItemsSchema,
  ConversationSchema,
  CreateConversationSchema,
  IdParamSchema,
  ItemSchema,
  listSchema,
  PageQuerySchema,
  pathIdSchema,
  UpdateConversationSchema,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import { toItem } from './to-item.js';

const tags = ['Conversations'];
const ItemParamSchema = IdParamSchema.extend({ item_id: pathIdSchema('item_id') });
const ItemListSchema = listSchema(ItemSchema, 'ConversationItemList');

const routes = resourceRoutes({
  path: '/v1/conversations',
  tags,
  schema: ConversationSchema,
  listName: 'ConversationList',
  read: 'conversations:read',
  write: 'conversations:write',
  noun: 'conversation',
});

const createConversation = routes.create({
  summary: 'Create a conversation, optionally with up to 20 items',
  body: CreateConversationSchema,
});
const listConversations = routes.list({ summary: 'List conversations' });
const getConversation = routes.get({ summary: 'Get a conversation' });
const updateConversation = routes.update({
  method: 'post',
  summary: "Replace a conversation's metadata",
  body: UpdateConversationSchema,
});
const deleteConversation = routes.delete({ summary: 'Delete a conversation and its items' });

const listItems = routes.read('get', '/v1/conversations/{id}/items', {
  summary: "List a conversation's items",
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: { 200: jsonContent(ItemListSchema, 'A page of items.') },
});

const addItems = routes.write('post', '/v1/conversations/{id}/items', {
  summary: 'Add up to 20 items to a conversation',
  request: { params: IdParamSchema, ...jsonBody(AddItemsSchema) },
  responses: { 200: jsonContent(ItemListSchema, 'The items added, in order.') },
});

const getItem = routes.read('get', '/v1/conversations/{id}/items/{item_id}', {
  summary: 'Get one item of a conversation',
  request: { params: ItemParamSchema },
  responses: { 200: jsonContent(ItemSchema, 'The item.') },
});

const deleteItem = routes.write('delete', '/v1/conversations/{id}/items/{item_id}', {
  summary: 'Delete one item of a conversation',
  request: { params: ItemParamSchema },
  responses: { 200: jsonContent(ConversationSchema, 'The conversation the item was removed from.') },
});

export function conversationRoutes() {
  return newRouter()
    .openapi(createConversation, async (c) => {
      const { conversations } = c.get('services');
      const body = c.req.valid('json');
      return c.json(
        await conversations.create(tenantOf(c), body.metadata ?? {}, (body.items ?? []).map(toItem)),
        200,
      );
    })
    .openapi(listConversations, async (c) => {
      const { conversations } = c.get('services');
      return c.json(await conversations.list(tenantOf(c), c.req.valid('query')), 200);
    })
    .openapi(getConversation, async (c) => {
      const { conversations } = c.get('services');
      return c.json(await conversations.get(tenantOf(c), c.req.valid('param').id), 200);
    })
    .openapi(updateConversation, async (c) => {
      const { conversations } = c.get('services');
      return c.json(
        await conversations.update(tenantOf(c), c.req.valid('param').id, c.req.valid('json').metadata),
        200,
      );
    })
    .openapi(deleteConversation, async (c) => {
      const { conversations } = c.get('services');
      const { id } = c.req.valid('param');
      await conversations.delete(tenantOf(c), id);
      return c.json(deleted(id, 'conversation.deleted'), 200);
    })
    .openapi(listItems, async (c) => {
      const { conversations } = c.get('services');
      const page = await conversations.listItems(tenantOf(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json(page as unknown as z.infer<typeof ItemListSchema>, 200);
    })
    .openapi(addItems, async (c) => {
      const { conversations } = c.get('services');
      const items = await conversations.addItems(
        tenantOf(c),
        c.req.valid('param').id,
        c.req.valid('json').items.map(toItem),
      );
      const page = {
        object: 'list' as const,
        data: items,
        first_id: items[0]?.id ?? null,
        last_id: items.at(-1)?.id ?? null,
        has_more: false,
      };
      return c.json(page as unknown as z.infer<typeof ItemListSchema>, 200);
    })
    .openapi(getItem, async (c) => {
      const { conversations } = c.get('services');
      const { id, item_id } = c.req.valid('param');
      return c.json(
        (await conversations.getItem(tenantOf(c), id, item_id)) as unknown as Record<string, unknown>,
        200,
      );
    })
    .openapi(deleteItem, async (c) => {
      const { conversations } = c.get('services');
      const { id, item_id } = c.req.valid('param');
      const tenantId = tenantOf(c);
      await conversations.deleteItem(tenantId, id, item_id);
      return c.json(await conversations.get(tenantId, id), 200);
    });
}

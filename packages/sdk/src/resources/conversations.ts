import type { Item, ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { Conversation } from '../types.js';
import { Collection, type ListQuery } from './resource.js';

/** /v1/conversations and their items. */
export class Conversations extends Collection<Conversation, ListQuery & { q?: string }> {
  protected readonly path = '/v1/conversations';

  create(
    params: { items?: unknown[]; metadata?: Record<string, string> } = {},
    options?: RequestOptions,
  ): Promise<Conversation> {
    return this.post(this.path, params, options);
  }
  update(
    id: string,
    params: { metadata: Record<string, string> },
    options?: RequestOptions,
  ): Promise<Conversation> {
    return this.post(this.pathOf(id), params, options);
  }
  listItems(id: string, query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<Item>> {
    return this.get(`/v1/conversations/${seg(id)}/items`, query, options);
  }
  addItems(id: string, items: unknown[], options?: RequestOptions): Promise<ListPage<Item>> {
    return this.post(`/v1/conversations/${seg(id)}/items`, { items }, options);
  }
  retrieveItem(id: string, itemId: string, options?: RequestOptions): Promise<Item> {
    return this.get(`/v1/conversations/${seg(id)}/items/${seg(itemId)}`, undefined, options);
  }
  deleteItem(id: string, itemId: string, options?: RequestOptions): Promise<Conversation> {
    return this.delete(`/v1/conversations/${seg(id)}/items/${seg(itemId)}`, undefined, options);
  }
}

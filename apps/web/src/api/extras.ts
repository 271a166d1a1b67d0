import type { Agentd } from '@agentd/sdk';
import { paginate } from '@agentd/sdk';
import type { Item, VectorStore } from './types.js';

/** What the chat composes from several SDK calls: whole lists, waits, blob links. */

/** Every item of a conversation, oldest first. */
export async function conversationItems(api: Agentd, id: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of paginate((after) =>
    api.conversations.listItems(id, { limit: 100, order: 'asc', ...(after ? { after } : {}) }),
  ))
    items.push(item);
  return items;
}

type Counted = VectorStore & { file_counts?: { completed: number; failed: number; total: number } };

/** Waits until every file of a vector store is indexed (or failed), so that file_search finds them. */
export async function vectorStoreReady(api: Agentd, id: string, timeoutMs = 60_000): Promise<VectorStore> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    const store = (await api.vectorStores.retrieve(id)) as Counted;
    const counts = store.file_counts;
    if (!counts || counts.completed + counts.failed >= counts.total || Date.now() > deadline) return store;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The names of the tools this tenant can use, built-in ones included. */
export async function toolNames(api: Agentd): Promise<string[]> {
  return (await api.tools.list({ limit: 100 })).data.map((tool) => tool.name);
}

/** A file's bytes as a blob URL (the content route needs the credential, so a plain link cannot open it). */
export async function fileObjectUrl(api: Agentd, id: string): Promise<string> {
  const response = await api.files.content(id);
  return URL.createObjectURL(await response.blob());
}

/** The text the user sent to start a run (its last user message), or '' (an approval answer). */
export async function runUserText(api: Agentd, id: string): Promise<string> {
  let text = '';
  for await (const item of paginate((after) =>
    api.responses.inputItems(id, { limit: 100, order: 'asc', ...(after ? { after } : {}) }),
  )) {
    const message = item as unknown as {
      type: string;
      role?: string;
      content?: { text?: string }[] | string;
    };
    if (message.type !== 'message' || message.role !== 'user') continue;
    text =
      typeof message.content === 'string'
        ? message.content
        : (message.content ?? []).map((part) => part.text ?? '').join('');
  }
  return text;
}

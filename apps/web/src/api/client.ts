import { json, send } from './http.js';
import { readSse } from './sse.js';
import type {
  Agent,
  ApiKey,
  Conversation,
  CreatedApiKey,
  FileObject,
  Item,
  Page,
  ResponseEvent,
  ResponseObject,
  Role,
} from './types.js';

/**
 * The public API, as the UI uses it: one small typed function per route.
 * Nothing here knows React; it is the seed of the SDK.
 */
const enc = encodeURIComponent;

export const agents = {
  list: () => json<Page<Agent>>('GET', '/v1/agents?limit=100&order=asc'),
  create: (body: { name: string; instructions?: string; model?: string; description?: string }) =>
    json<Agent>('POST', '/v1/agents', { body }),
};

export const conversations = {
  list: (after?: string) =>
    json<Page<Conversation>>('GET', `/v1/conversations?limit=100${after ? `&after=${enc(after)}` : ''}`),
  get: (id: string) => json<Conversation>('GET', `/v1/conversations/${enc(id)}`),
  create: (metadata: Record<string, string>) =>
    json<Conversation>('POST', '/v1/conversations', { body: { metadata } }),
  update: (id: string, metadata: Record<string, string>) =>
    json<Conversation>('POST', `/v1/conversations/${enc(id)}`, { body: { metadata } }),
  remove: (id: string) => json<{ deleted: boolean }>('DELETE', `/v1/conversations/${enc(id)}`),
  /** Every item, oldest first. */
  async items(id: string): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | null = null;
    for (;;) {
      const query: string = `limit=100&order=asc${after ? `&after=${enc(after)}` : ''}`;
      const page: Page<Item> = await json<Page<Item>>('GET', `/v1/conversations/${enc(id)}/items?${query}`);
      items.push(...page.data);
      if (!page.has_more || !page.last_id) return items;
      after = page.last_id;
    }
  },
};

/** The request body of a streamed run (POST /v1/responses); `stream` is set here. */
export interface RunRequest {
  agent?: string;
  conversation?: string;
  input: string | Item[] | Record<string, unknown>[];
  tools?: unknown[];
}

/** agentd's own run events (tool calls, safety verdicts, cancels) besides OpenAI's. */
const ALL_EVENTS = { 'agentd-events': 'all' };
/** The hosted tools' results, which a stream leaves out unless asked for: the chat shows them. */
const INCLUDE = ['file_search_call.results', 'code_interpreter_call.outputs'];

async function* eventsOf(response: Response): AsyncGenerator<ResponseEvent> {
  if (!response.body) return;
  for await (const message of readSse(response.body)) {
    yield JSON.parse(message.data) as ResponseEvent;
  }
}

export const responses = {
  /** Starts a run and streams its events. */
  async *stream(body: RunRequest, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const response = await send('POST', '/v1/responses', {
      body: { ...body, stream: true, include: INCLUDE },
      headers: ALL_EVENTS,
      signal,
    });
    yield* eventsOf(response);
  },
  /** Picks a run's stream up after sequence number `after`: nothing missing, nothing repeated. */
  async *resume(id: string, after: number, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const query = `stream=true&starting_after=${after}&include=${INCLUDE.join(',')}`;
    const response = await send('GET', `/v1/responses/${enc(id)}?${query}`, {
      headers: ALL_EVENTS,
      signal,
    });
    yield* eventsOf(response);
  },
  get: (id: string) => json<ResponseObject>('GET', `/v1/responses/${enc(id)}`),
  cancel: (id: string) => json<ResponseObject>('POST', `/v1/responses/${enc(id)}/cancel`),
  events: (id: string, after = 0) =>
    json<Page<ResponseEvent>>('GET', `/v1/responses/${enc(id)}/events?limit=1000&after=${after}`),
};

export const files = {
  upload(file: File, purpose = 'user_data'): Promise<FileObject> {
    const form = new FormData();
    form.append('purpose', purpose);
    form.append('file', file);
    return json<FileObject>('POST', '/v1/files', { raw: form });
  },
  /** A file's bytes as a blob URL (the content route needs the credential, so a plain link cannot open it). */
  async objectUrl(id: string): Promise<string> {
    const response = await send('GET', `/v1/files/${enc(id)}/content`);
    return URL.createObjectURL(await response.blob());
  },
};

interface VectorStore {
  id: string;
  file_counts: { completed: number; failed: number; total: number };
}

export const vectorStores = {
  create: (name: string, fileIds: string[]) =>
    json<VectorStore>('POST', '/v1/vector_stores', { body: { name, file_ids: fileIds } }),
  get: (id: string) => json<VectorStore>('GET', `/v1/vector_stores/${enc(id)}`),
  /** Waits until every file is indexed (or failed), so that file_search finds them. */
  async ready(id: string, timeoutMs = 60_000): Promise<VectorStore> {
    const deadline = Date.now() + timeoutMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      const store = await vectorStores.get(id);
      const { completed, failed, total } = store.file_counts;
      if (completed + failed >= total || Date.now() > deadline) return store;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  },
};

export const tools = {
  /** The names of the tools this tenant can use, built-in ones included. */
  names: async () =>
    (await json<Page<{ name: string }>>('GET', '/v1/tools?limit=100')).data.map((tool) => tool.name),
};

export const apiKeys = {
  list: () => json<Page<ApiKey>>('GET', '/v1/api_keys?limit=100'),
  create: (name: string, role: Role) => json<CreatedApiKey>('POST', '/v1/api_keys', { body: { name, role } }),
  revoke: (id: string) => json<{ deleted: boolean }>('DELETE', `/v1/api_keys/${enc(id)}`),
};

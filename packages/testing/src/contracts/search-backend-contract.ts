import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SearchBackend, SearchResult } from '@agentd/spec';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** A request the fake search API received. */
export interface SearchApiRequest {
  method: string;
  url: URL;
  body: string;
}

/** One backend and the HTTP API it speaks, for the suite's local fake of that API. */
export interface SearchBackendSubject {
  /** The backend pointed at `baseUrl` (the local fake of its API). */
  create(options: { baseUrl: string; timeoutMs?: number }): SearchBackend;
  /** The API's answer holding these results, as its documentation shows it (fields may carry HTML). */
  answer(results: readonly SearchResult[]): unknown;
  /** The query a request carried. */
  queryOf(request: SearchApiRequest): string | undefined;
  /** The API key `create` configures, which no error message may show; absent for an API without one. */
  secret?: string;
}

type Reply = (request: SearchApiRequest, res: ServerResponse) => void;

const WAIT = { timeout: 10_000, interval: 10 };

const RESULTS: SearchResult[] = [
  {
    title: 'Raft <b>Consensus</b>',
    url: 'https://raft.github.io/',
    snippet: 'A consensus algorithm &amp; more.',
  },
  {
    title: 'The Raft paper',
    url: 'https://raft.github.io/raft.pdf',
    snippet: 'In <em>Search</em> of an algorithm.',
  },
  { title: 'Paxos', url: 'https://example.org/paxos', snippet: 'Older &quot;consensus&quot;.' },
  { title: 'Viewstamped replication', url: 'https://example.org/vr', snippet: 'Also old.' },
];

/**
 * The behaviour every SearchBackend promises the web_search tool, run against
 * each backend with a local fake of its HTTP API: results in the engine's
 * order as plain text, at most `count`, entries without a URL dropped, the
 * query passed unchanged; failures (HTTP errors, bodies that are not JSON,
 * an unreachable or silent API) as `upstream` errors naming the backend and
 * never its key; a time-out and the caller's abort both close the request.
 */
export function describeSearchBackendContract(name: string, subject: SearchBackendSubject): void {
  describe(`SearchBackend contract: ${name}`, () => {
    let server: Server;
    let baseUrl: string;
    let reply: Reply;
    const received: SearchApiRequest[] = [];
    const closed: SearchApiRequest[] = [];

    beforeAll(async () => {
      server = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          const request = { method: req.method ?? '', url: new URL(req.url ?? '/', baseUrl), body };
          received.push(request);
          res.on('close', () => {
            if (!res.writableFinished) closed.push(request);
          });
          reply(request, res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      received.length = 0;
      closed.length = 0;
      reply = json(200, subject.answer(RESULTS));
    });

    const backend = (timeoutMs?: number) =>
      subject.create({ baseUrl, ...(timeoutMs === undefined ? {} : { timeoutMs }) });

    it('returns the results in the engine’s order, as plain text', async () => {
      const results = await backend().search('raft consensus', { count: 10 });
      expect(results).toEqual([
        { title: 'Raft Consensus', url: 'https://raft.github.io/', snippet: 'A consensus algorithm & more.' },
        {
          title: 'The Raft paper',
          url: 'https://raft.github.io/raft.pdf',
          snippet: 'In Search of an algorithm.',
        },
        { title: 'Paxos', url: 'https://example.org/paxos', snippet: 'Older "consensus".' },
        { title: 'Viewstamped replication', url: 'https://example.org/vr', snippet: 'Also old.' },
      ]);
    });

    it('returns at most `count` results, even when the API sends more', async () => {
      expect(await backend().search('raft', { count: 2 })).toHaveLength(2);
      expect((await backend().search('raft', { count: 1 }))[0]?.url).toBe('https://raft.github.io/');
    });

    it('drops an entry without a URL, and answers an empty list with no results', async () => {
      reply = json(200, subject.answer([{ title: 'No link', url: '', snippet: 'dropped' }, RESULTS[0]!]));
      expect((await backend().search('raft', { count: 5 })).map((result) => result.url)).toEqual([
        'https://raft.github.io/',
      ]);
      reply = json(200, subject.answer([]));
      expect(await backend().search('nothing at all', { count: 5 })).toEqual([]);
    });

    it('passes the query to the API unchanged', async () => {
      const query = 'café "exact phrase" & a+b=c ?';
      await backend().search(query, { count: 3 });
      expect(received).toHaveLength(1);
      expect(subject.queryOf(received[0]!)).toBe(query);
    });

    it('reports an HTTP error as an upstream error naming the backend and the status, not the key', async () => {
      for (const status of [401, 429, 500]) {
        reply = json(status, { error: `quota exceeded ${subject.secret ?? ''}` });
        const error = await backend()
          .search('raft', { count: 3 })
          .then(
            () => undefined,
            (thrown: unknown) => thrown as Error & { category?: string },
          );
        expect(error?.category, `HTTP ${status}`).toBe('upstream');
        expect(error?.message.toLowerCase()).toContain(name.toLowerCase());
        expect(error?.message).toContain(String(status));
        if (subject.secret) expect(error?.message).not.toContain(subject.secret);
      }
    });

    it('reports an answer that is not JSON as an upstream error', async () => {
      reply = (_request, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>maintenance</html>');
      };
      await expect(backend().search('raft', { count: 3 })).rejects.toMatchObject({ category: 'upstream' });
    });

    it('gives up on an API that does not answer in time, and closes the request', async () => {
      reply = () => {};
      await expect(backend(300).search('raft', { count: 3 })).rejects.toMatchObject({
        category: 'upstream',
        message: expect.stringMatching(/within/),
      });
      await vi.waitFor(() => expect(closed).toHaveLength(1), WAIT);
    });

    it('stops when the caller aborts, with the caller’s reason, and closes the request', async () => {
      reply = () => {};
      const controller = new AbortController();
      const reason = new Error('the run was cancelled');
      const searching = backend().search('raft', { count: 3, signal: controller.signal });
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      controller.abort(reason);
      await expect(searching).rejects.toBe(reason);
      await vi.waitFor(() => expect(closed).toHaveLength(1), WAIT);
    });

    it('reports an unreachable API as an upstream error', async () => {
      const gone = createServer();
      await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
      const port = (gone.address() as AddressInfo).port;
      await new Promise((resolve) => gone.close(resolve));
      await expect(
        subject.create({ baseUrl: `http://127.0.0.1:${port}` }).search('raft', { count: 3 }),
      ).rejects.toMatchObject({ category: 'upstream' });
    });
  });
}

function json(status: number, body: unknown): Reply {
  return (_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

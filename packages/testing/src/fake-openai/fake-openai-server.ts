import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatCompletion, chatCompletionChunks } from './chat-completion-events.js';
import { answerEmbeddings } from './embeddings-endpoint.js';
import {
  openAIError,
  readBody,
  sendError,
  sendJson,
  sseHeaders,
  streamLines,
  waitOrClose,
} from './http-replies.js';
import { finalResponse, responsesEvents } from './responses-events.js';
import { fakeId, turnContent } from './turn-content.js';
import type {
  FakeEmbeddingTurn,
  FakeHandler,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeRequest,
  FakeTurn,
} from './types.js';

const DEFAULT_TEXT = 'Hello from the fake OpenAI server.';

/**
 * A real HTTP server on 127.0.0.1 that answers like the OpenAI API: streaming
 * and plain Chat Completions, the Responses API, embeddings and the model list, with
 * scripted turns and fault injection (HTTP errors, delays, drops, malformed
 * chunks, hangs). Records every request, and whether the client went away.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const queue: FakeTurn[] = [];
  const embeddingQueue: FakeEmbeddingTurn[] = [];
  let handler: FakeHandler | undefined;
  const defaultModel = options.model ?? 'gpt-4o-mini';

  const nextTurn = async (request: FakeRequest): Promise<FakeTurn> =>
    queue.shift() ?? (handler ? await handler(request) : { text: options.defaultText ?? DEFAULT_TEXT });

  const handle = async (req: IncomingMessage, res: ServerResponse, state: { closedByServer: boolean }) => {
    const text = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: FakeRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: undefined,
      aborted: false,
    };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished && !state.closedByServer) record.aborted = true;
    });
    if (text) {
      try {
        record.body = JSON.parse(text);
      } catch {
        return sendJson(
          res,
          400,
          openAIError('We could not parse the JSON body of your request.', 'invalid_request_error'),
        );
      }
    }
    const route = `${record.method} ${path}`;
    if (route === 'GET /v1/models')
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: defaultModel, object: 'model', created: 1_700_000_000, owned_by: 'agentd-fake' }],
      });
    if (route === 'POST /v1/embeddings')
      return answerEmbeddings(res, record.body, embeddingQueue.shift() ?? {}, state);
    if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/responses')
      return sendJson(res, 404, openAIError(`Invalid URL (${route})`, 'invalid_request_error'));

    const turn = await nextTurn(record);
    if (turn.delayBeforeHeadersMs) await waitOrClose(res, turn.delayBeforeHeadersMs);
    if (res.destroyed) return;
    if (turn.error) return sendError(res, turn.error);
    if (turn.hang) {
      res.writeHead(200, sseHeaders()).flushHeaders();
      return waitOrClose(res);
    }
    const body = record.body ?? {};
    const content = turnContent(turn, body);
    const model = typeof body.model === 'string' ? body.model : defaultModel;
    const created = Math.floor(Date.now() / 1000);
    let lines: string[];
    if (path === '/v1/chat/completions') {
      const context = {
        id: fakeId('chatcmpl-'),
        created,
        model,
        includeUsage: body.stream_options?.include_usage === true,
        logprobs: body.logprobs === true,
      };
      if (body.stream !== true) return sendJson(res, 200, chatCompletion(content, context));
      lines = chatCompletionChunks(content, context, turn.interleaveToolCalls, turn.streamError).map(
        (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
      );
      if (!turn.streamError) lines.push('data: [DONE]\n\n');
    } else {
      const context = { id: fakeId('resp_'), createdAt: created, model, request: body };
      const events = responsesEvents(content, context, turn.interleaveToolCalls, turn.streamError);
      if (body.stream !== true) return sendJson(res, 200, finalResponse(events));
      lines = events.map(
        ({ type, ...rest }, i) =>
          `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: i, ...rest })}\n\n`,
      );
    }
    await streamLines(res, lines, turn, state);
  };

  const server = createServer((req, res) => {
    const state = { closedByServer: false };
    handle(req, res, state).catch((error: Error) => {
      if (!res.headersSent)
        sendJson(res, 500, openAIError(`fake server error: ${error.message}`, 'server_error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...turns) => {
      queue.push(...turns);
    },
    enqueueEmbeddings: (...turns) => {
      embeddingQueue.push(...turns);
    },
    setHandler: (next) => {
      handler = next;
    },
    reset: () => {
      queue.length = 0;
      embeddingQueue.length = 0;
      requests.length = 0;
      handler = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

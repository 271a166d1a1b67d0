import { isTerminal } from '@agentd/core';
import { isTerminalEvent } from '@agentd/runtime';
import type { ResponseObject } from '@agentd/spec';
import { ChatCompletionRequestSchema, ChatCompletionSchema } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/app-env.js';
import { defineRoute, errorContent, jsonBody } from '../http/define-route.js';
import { principalOf, tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { keepAlive } from '../http/sse-keep-alive.js';
import { createResponse } from '../responses/create-response.js';
import type { StoredResponse } from '../responses/response-repository.js';
import { ChatAnswer, finishReasonOf, pendingToolCalls, usageOf } from './chat-answer.js';
import { type ChatRun, chatError, chunkOf, completionOf } from './chat-frames.js';
import { toResponseRequest } from './chat-request.js';

export const RESPONSE_ID_HEADER = 'x-agentd-response-id';

const route = defineRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['Chat Completions'],
  summary: 'Create a chat completion: run a model, or an agent with its tools (`model: "agent:<name>"`)',
  permission: 'responses:write',
  request: jsonBody(ChatCompletionRequestSchema),
  responses: {
    200: {
      description:
        'A chat.completion, or with stream: true its chat.completion.chunk events ending in `data: [DONE]`. The run is an agentd response: its id is in the x-agentd-response-id header and the completion id is `chatcmpl-<response id>`.',
      content: {
        'application/json': { schema: ChatCompletionSchema },
        'text/event-stream': { schema: z.string() },
      },
    },
    404: errorContent('`model` names an agent that is not in your tenant (model_not_found).'),
  },
});

/**
 * OpenAI's Chat Completions API over agentd runs, so that chat applications
 * can use agents as models. Each request is a response like any other; a
 * client that goes away cancels it, as chat applications stop a generation.
 */
export function chatCompletionRoutes() {
  return newRouter().openapi(route, async (c) => {
    const services = c.get('services');
    const tenantId = tenantOf(c);
    const chat = c.req.valid('json');
    const { request, rename } = await toResponseRequest(services, tenantId, chat);
    // The origin makes the links of image and file outputs absolute, as for POST /v1/responses.
    const origin = new URL(c.req.url).origin;
    const { response: stored } = await createResponse(
      services,
      tenantId,
      request,
      undefined,
      origin,
      principalOf(c),
    ).catch((error: unknown) => {
      throw rename(error);
    });
    await services.runs.start(stored);
    const run: ChatRun = {
      id: `chatcmpl-${stored.id}`,
      created: stored.snapshot.created_at,
      model: chat.model,
    };
    const signal = cancelOnDisconnect(c, stored);
    c.header(RESPONSE_ID_HEADER, stored.id);
    if (chat.stream) return streamChat(c, stored, run, signal, chat.stream_options?.include_usage === true);
    const answer = new ChatAnswer(stored.id);
    let text = '';
    let final: ResponseObject | undefined;
    for await (const event of services.runs.follow(stored, 0, signal)) {
      text += answer.textOf(event) ?? '';
      if (isTerminalEvent(event) && 'response' in event) final = event.response;
    }
    if (!final) return c.body(null) as never;
    if (final.status === 'failed') throw chatError(final);
    return c.json(completionOf(run, text, final), 200) as never;
  });
}

/**
 * A signal that aborts when the client goes away; the run is then cancelled
 * (unless it has already ended).
 */
function cancelOnDisconnect(c: Context<AppEnv>, stored: StoredResponse): AbortSignal {
  const { runs, responses } = c.get('services');
  const signal = c.req.raw.signal;
  signal.addEventListener(
    'abort',
    () => {
      responses
        .get(stored.tenantId, stored.id)
        .then((current) => (isTerminal(current.snapshot.status) ? undefined : runs.cancel(current)))
        .catch((error) =>
          c.get('logger').warn({ err: error, response_id: stored.id }, 'could not cancel the abandoned run'),
        );
    },
    { once: true },
  );
  return signal;
}

function streamChat(
  c: Context<AppEnv>,
  stored: StoredResponse,
  run: ChatRun,
  signal: AbortSignal,
  includeUsage: boolean,
) {
  const services = c.get('services');
  return streamSSE(c, async (stream) => {
    const closed = services.metrics.streamOpened();
    const send = (payload: unknown) => stream.writeSSE({ data: JSON.stringify(payload) });
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send(chunkOf(run, delta, finish, includeUsage));
    const answer = new ChatAnswer(stored.id);
    const stopKeepAlive = keepAlive(stream, services.config.AGENTD_SSE_HEARTBEAT_MS);
    try {
      await chunk({ role: 'assistant', content: '' });
      for await (const event of services.runs.follow(stored, 0, signal)) {
        const text = answer.textOf(event);
        if (text) await chunk({ content: text });
        if (!isTerminalEvent(event) || !('response' in event)) continue;
        const final = event.response;
        if (final.status === 'failed') {
          // OpenAI reports an error mid-stream as a chunk with `error`; its clients throw it.
          await send(chatError(final).toJSON());
          break;
        }
        const toolCalls = pendingToolCalls(final);
        if (toolCalls.length > 0) {
          await chunk({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) });
        }
        await chunk({}, finishReasonOf(final, toolCalls));
        if (includeUsage) await send({ ...chunkOf(run, {}, null, true), choices: [], usage: usageOf(final) });
      }
      if (!signal.aborted) await stream.writeSSE({ data: '[DONE]' });
    } finally {
      closed();
      stopKeepAlive();
    }
  });
}

import type { ServerResponse } from 'node:http';
import { base64Vector, fakeEmbedding } from './embedding-vectors.js';
import { openAIError, sendError, sendJson, waitOrClose } from './http-replies.js';
import type { FakeEmbeddingTurn } from './types.js';

/** The length of text-embedding-3-small's vectors, used when the request names no `dimensions`. */
const DEFAULT_DIMENSIONS = 1536;

type Checked = { inputs: string[]; model: string; dimensions: number; base64: boolean } | { error: string };

/**
 * Answers `POST /v1/embeddings` in OpenAI's shape, or with the turn's
 * scripted fault: an HTTP error, a delay, a dropped connection, or vectors
 * given by the test (of the wrong length, say).
 */
export async function answerEmbeddings(
  res: ServerResponse,
  body: unknown,
  turn: FakeEmbeddingTurn,
  state: { closedByServer: boolean },
): Promise<void> {
  if (turn.delayBeforeHeadersMs) await waitOrClose(res, turn.delayBeforeHeadersMs);
  if (res.destroyed) return;
  if (turn.drop) {
    state.closedByServer = true;
    res.socket?.destroy();
    return;
  }
  if (turn.error) return sendError(res, turn.error);
  const request = checkRequest(body);
  if ('error' in request) return sendJson(res, 400, openAIError(request.error, 'invalid_request_error'));
  const vectors = turn.embeddings ?? request.inputs.map((input) => fakeEmbedding(input, request.dimensions));
  const tokens = request.inputs.reduce((sum, input) => sum + Math.max(1, Math.ceil(input.length / 4)), 0);
  sendJson(res, 200, {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: request.base64 ? base64Vector(vector) : vector,
    })),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** The request's fields, checked as OpenAI checks them. */
function checkRequest(body: unknown): Checked {
  const { input, model, dimensions, encoding_format: format } = (body ?? {}) as Record<string, unknown>;
  if (typeof model !== 'string' || model === '')
    return { error: "'model' is required: the embedding model's name." };
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((item) => typeof item === 'string'))
    return {
      error:
        "'input' must be a string or a non-empty array of strings (the fake server takes no token arrays).",
    };
  if (inputs.some((item) => item === ''))
    return { error: "'$.input' is invalid: inputs must not be empty strings." };
  if (dimensions !== undefined && (!Number.isInteger(dimensions) || (dimensions as number) < 1))
    return { error: "'dimensions' must be a positive integer." };
  if (format !== undefined && format !== 'float' && format !== 'base64')
    return { error: "'encoding_format' must be 'float' or 'base64'." };
  return {
    inputs: inputs as string[],
    model,
    dimensions: (dimensions as number | undefined) ?? DEFAULT_DIMENSIONS,
    base64: format === 'base64',
  };
}

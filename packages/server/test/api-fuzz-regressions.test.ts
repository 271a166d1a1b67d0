import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemsWith } from './support/api-fuzz/check-answer.js';
import { RAW_JSON } from './support/api-fuzz/hostile-values.js';
import type { Answer } from './support/api-fuzz/send-request.js';

const DEEP = RAW_JSON.__fuzz_deep_object__;
const LONG = 'x'.repeat(70_000);

/**
 * Requests the API fuzzer (api-fuzz.test.ts) once answered with a 500 or a
 * bare status line, kept as fixed cases so that each stays covered whatever
 * the generator draws. Bodies are JSON text as sent, escapes and all.
 */
const CASES: [method: string, path: string, body?: string][] = [
  ['GET', '/v1/agents/a%00b'],
  ['DELETE', '/v1/files/%00'],
  ['POST', '/v1/responses/%00/cancel'],
  ['GET', '/v1/files?after=%00'],
  ['DELETE', '/v1/memories?user=a%00b'],
  ['GET', `/v1/agents/${LONG}`],
  ['POST', '/v1/tenants', '{"name":"nul-tenant","metadata":{"a":"b\\u0000"}}'],
  ['POST', '/v1/api_keys', '{"name":"k\\u0000\\ud800","role":"member"}'],
  ['POST', '/v1/agents', '{"name":"nul-agent","instructions":"a\\u0000b\\udc00"}'],
  ['POST', '/v1/agents', `{"name":"deep-agent","memory":{"x":${DEEP}}}`],
  [
    'POST',
    '/v1/conversations',
    '{"metadata":{"k\\u0000":"v\\u0000"},"items":[{"role":"user","content":"a\\u0000"}]}',
  ],
  ['POST', '/v1/responses', '{"input":"a\\u0000b","instructions":"\\u202eevil","metadata":{"a":"\\ud800"}}'],
  ['POST', '/v1/responses', `{"input":"${LONG}\\u0000","stream":true}`],
  ['POST', '/v1/responses', '{"input":[{"role":"user","content":"\\u0000\\udfff"}],"stream":true}'],
  ['POST', '/v1/responses', `{"input":"hi","text":{"x":${DEEP}}}`],
  [
    'POST',
    '/v1/tools',
    `{"name":"deep_tool","input_schema":${DEEP},"adapter":{"type":"http","url":"http://127.0.0.1:9/x"}}`,
  ],
];

describe.each(BACKENDS)("the fuzzer's past finds (%s)", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(CASES)(
    '%s %s answers a 2xx or a 4xx JSON error, a stream with its end',
    async (method, path, body) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      const answer: Answer = {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
        ms: 0,
      };
      expect(problemsWith(answer, { mutation: undefined })).toEqual([]);
      if (body?.includes('"stream":true')) expect(answer.contentType).toContain('text/event-stream');
    },
  );
});

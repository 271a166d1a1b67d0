import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AgentdError } from '../../../errors.js';
import { jsonDepthLimit } from './json-depth.js';

/** An app that answers with what it parsed, and with the error's fields when refused. */
function app() {
  return new Hono()
    .use(jsonDepthLimit(4))
    .post('/', async (c) => c.json({ parsed: await c.req.json() }))
    .onError((error, c) =>
      error instanceof AgentdError
        ? c.json({ code: error.code, param: error.param, message: error.message }, 400)
        : c.json({ unexpected: String(error) }, 500),
    );
}

const post = (body: string, type = 'application/json') =>
  app().request('/', { method: 'POST', body, headers: { 'content-type': type } });

describe('jsonDepthLimit', () => {
  it('passes a body at the limit through, parsed once for the route', async () => {
    const response = await post('{"a":{"b":{"c":[1]}}}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ parsed: { a: { b: { c: [1] } } } });
  });

  it('refuses a body one level deeper, naming the top-level field', async () => {
    const response = await post('{"ok":1,"deep":{"b":{"c":[[1]]}}}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'nesting_too_deep', param: 'deep' });
  });

  it('refuses 100,000 levels without overflowing its own stack', async () => {
    const response = await post(`{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'nesting_too_deep', param: 'x' });
  });

  it('names no field when the body itself is the deep value', async () => {
    const response = await post('[[[[[1]]]]]');
    expect(await response.json()).toMatchObject({ code: 'nesting_too_deep', param: null });
  });

  it('leaves a body that is not JSON, or not declared JSON, to the route', async () => {
    // The route's own parse fails: the middleware did not answer for it.
    expect(await (await post('{"unterminated": ')).json()).toMatchObject({
      unexpected: expect.stringContaining('SyntaxError'),
    });
    expect((await post('[[[[[[1]]]]]]', 'text/plain')).status).toBe(200);
  });
});

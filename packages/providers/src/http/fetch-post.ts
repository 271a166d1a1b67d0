import type { HttpAnswer, HttpPost } from './http-post.js';

/** Posts with a WHATWG `fetch`: a caller's own, such as a test's. */
export function fetchPost(fetch: typeof globalThis.fetch): HttpPost {
  return async (url, init) => {
    const response = await fetch(url, { method: 'POST', ...init });
    const answer: HttpAnswer = {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text: () => response.text(),
      body: () => response.body?.getReader(),
    };
    return answer;
  };
}

// The benchmark's upstreams, in their own process as real ones would be: the
// fake OpenAI server (zero latency) and an HTTP tool endpoint. Prints one JSON
// line with their URLs, then serves until stdin closes.
import { startFakeOpenAI, startToolServer } from '../packages/testing/dist/index.js';

const TOOL_CALLS = Number(process.argv[2] ?? 3);
const fake = await startFakeOpenAI();
const tools = await startToolServer({ add: (body) => ({ sum: body.a + body.b }) });
// A model streaming a token every 2 ms (bench/latency.mjs): twenty words.
const SLOW_TEXT = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
const LONG_TEXT = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
// The model calls `add` until it has seen TOOL_CALLS results, then answers.
// `bench-slow` streams its answer a token every 2 ms instead of at once.
fake.setHandler((request) => {
  // `bench-long` (bench/scaled.mjs, failover): 400 words, one every 50 ms.
  if (request.body.model === 'bench-long') {
    return { text: LONG_TEXT, chunkDelayMs: 50, usage: { prompt_tokens: 20, completion_tokens: 400 } };
  }
  if (request.body.model === 'bench-slow') {
    return { text: SLOW_TEXT, chunkDelayMs: 2, usage: { prompt_tokens: 20, completion_tokens: 20 } };
  }
  const wanted = request.body.tools ? TOOL_CALLS : 0;
  const results = request.body.messages.filter((message) => message.role === 'tool').length;
  const usage = { prompt_tokens: 20, completion_tokens: 5 };
  if (results < wanted) {
    return { toolCalls: [{ id: `call_${results}`, name: 'add', arguments: '{"a":1,"b":2}' }], usage };
  }
  return { text: 'The answer is 3.', usage };
});
process.stdout.write(`${JSON.stringify({ model: fake.baseURL, tools: tools.url })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await tools.close();
  await fake.close();
  process.exit(0);
});

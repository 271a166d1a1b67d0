// The ceiling for a run without tools: the least any server between a client
// and the model can do. It takes a request, makes one streamed Chat
// Completions call to the model, gathers the text and answers: no auth, no
// storage, no events, no validation. Runs in its own process like agentd;
// prints one JSON line with its URL, then serves until stdin closes.
import { createServer } from 'node:http';
import { request } from 'undici';
import { readChatStream } from './chat-stream.mjs';

const modelUrl = `${process.argv[2]}/chat/completions`;

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const { input } = JSON.parse(body);
  const upstream = await request(modelUrl, {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: input }],
    }),
  });
  const { content } = readChatStream(await upstream.body.text());
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'completed', output_text: content }));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));

// Loaded into an agentd process (NODE_OPTIONS=--import) by bench/request-phases.mjs:
// stamps, inside the server, what one POST /v1/responses waits for, in order,
// from the request's arrival: its body, each statement sent to the PGlite
// worker thread and its reply, the model call (undici's diagnostics
// channels), timers armed during it, and each write of the answer. Requests
// must come one at a time. On SIGUSR2 it writes the last requests' stamps to
// `${AGENTD_BENCH_PHASES}.<pid>.json`.
import dc from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const KEPT = 1000;
const finished = [];
/** The stamps of the request in flight: [ms since it arrived, what]. */
let current;
const stamp = (what) => current?.marks.push([performance.now() - current.t0, what]);

dc.subscribe('http.server.request.start', ({ request, response }) => {
  if (request.method !== 'POST' || !request.url.startsWith('/v1/responses')) return;
  const timeline = { t0: performance.now(), marks: [] };
  current = timeline;
  const at = (what) => timeline.marks.push([performance.now() - timeline.t0, what]);
  at('request arrived');
  request.once('end', () => at('request body read'));
  const write = response.write;
  let writes = 0;
  response.write = function stampedWrite(...args) {
    at(writes++ === 0 ? 'answer: first write' : 'answer: write');
    return write.apply(this, args);
  };
  response.once('finish', () => {
    at('answer: finished');
    finished.push(timeline.marks);
    if (finished.length > KEPT) finished.shift();
    if (current === timeline) current = undefined;
  });
});
dc.subscribe('undici:request:create', () => stamp('model: request created'));
dc.subscribe('undici:client:sendHeaders', () => stamp('model: request sent'));
dc.subscribe('undici:request:headers', () => stamp('model: answer headers'));
dc.subscribe('undici:request:trailers', () => stamp('model: answer ended'));

/** Statements in flight to the PGlite worker, by request id. */
const sent = new Map();
const listening = new WeakSet();
const statementOf = (message) =>
  message.op === 'query' || message.op === 'exec'
    ? String(message.sql).replace(/\s+/g, ' ').trim().slice(0, 48)
    : message.op;
const postMessage = Worker.prototype.postMessage;
Worker.prototype.postMessage = function stampedPostMessage(message, ...rest) {
  if (!listening.has(this)) {
    listening.add(this);
    this.on('message', (reply) => {
      const statement = sent.get(reply?.id);
      if (statement === undefined) return;
      sent.delete(reply.id);
      stamp(`db reply: ${statement}`);
    });
  }
  if (message && typeof message.op === 'string') {
    sent.set(message.id, statementOf(message));
    stamp(`db send:  ${statementOf(message)}`);
  }
  return postMessage.call(this, message, ...rest);
};

const setTimeout = globalThis.setTimeout;
globalThis.setTimeout = function stampedSetTimeout(fn, ms, ...rest) {
  if (ms > 0) stamp(`timer armed: ${Math.round(ms)} ms`);
  return setTimeout(fn, ms, ...rest);
};

process.on('SIGUSR2', () => {
  writeFileSync(`${process.env.AGENTD_BENCH_PHASES}.${process.pid}.json`, JSON.stringify(finished));
});

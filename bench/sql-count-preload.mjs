// Loaded into an agentd process (NODE_OPTIONS=--import) by bench/statements.mjs:
// counts the statements it sends to PostgreSQL (node-postgres, the app's and
// graphile-worker's) and to the embedded PGlite worker thread, by their
// first words. On SIGUSR2 it writes the counts so far to
// `${AGENTD_BENCH_SQL_COUNTS}.<pid>.json`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const counts = {};
const count = (sql) => {
  const key = String(sql).replace(/\s+/g, ' ').trim().slice(0, 72);
  counts[key] = (counts[key] ?? 0) + 1;
};

// The pg the agentd process itself resolves (its checkout's node_modules).
try {
  const pg = createRequire(process.argv[1])('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(config, ...rest) {
    count(typeof config === 'string' ? config : config?.text);
    return query.call(this, config, ...rest);
  };
} catch {
  // No pg in this process's checkout: PGlite only.
}

const postMessage = Worker.prototype.postMessage;
Worker.prototype.postMessage = function countedPostMessage(message, ...rest) {
  if (message && typeof message === 'object' && typeof message.op === 'string') {
    if (message.op === 'query' || message.op === 'exec') count(message.sql);
    else count(message.op.toUpperCase());
  }
  return postMessage.call(this, message, ...rest);
};

process.on('SIGUSR2', () => {
  writeFileSync(`${process.env.AGENTD_BENCH_SQL_COUNTS}.${process.pid}.json`, JSON.stringify(counts));
});

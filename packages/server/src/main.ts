#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { AgentdError } from './errors.js';
import { type RunningServer, startServer } from './server.js';

function fail(message: string): never {
  process.stderr.write(`agentd: ${message}\n`);
  process.exit(1);
}

function banner(config: Config, server: RunningServer): string {
  const display = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  const storage = config.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : `PGlite in ${display(`${config.AGENTD_DATA_DIR}/pglite`)}`;
  const model = config.OPENAI_BASE_URL
    ? `${config.AGENTD_DEFAULT_MODEL ?? '(set AGENTD_DEFAULT_MODEL)'} at ${config.OPENAI_BASE_URL}`
    : 'scripted stand-in (set OPENAI_BASE_URL and OPENAI_API_KEY for a real model)';
  const keyFile = display(server.admin.keyFile);
  const lines = [
    '',
    `agentd listening on ${server.url}`,
    `  data:      ${display(config.AGENTD_DATA_DIR)} (${storage})`,
    `  model:     ${model}`,
    `  API docs:  ${server.url}/docs   OpenAPI: ${server.url}/openapi.json`,
  ];
  switch (server.admin.source) {
    case 'created':
      lines.push(
        `  admin key: ${server.admin.createdKey}`,
        `             shown once; also saved to ${keyFile} (mode 0600)`,
      );
      break;
    case 'env':
      lines.push('  admin key: the value of AGENTD_ADMIN_KEY');
      break;
    case 'existing':
      lines.push(
        existsSync(server.admin.keyFile)
          ? `  admin key: in ${keyFile}`
          : '  admin key: created earlier (by AGENTD_ADMIN_KEY or on another host)',
      );
  }
  const keyExpr = server.admin.source === 'env' ? '$AGENTD_ADMIN_KEY' : `$(cat ${keyFile})`;
  lines.push(`  try:       curl -H "Authorization: Bearer ${keyExpr}" ${server.url}/v1/agents`, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof AgentdError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof AgentdError) fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      fail(
        `cannot listen on ${config.AGENTD_HOST}:${config.AGENTD_PORT}: the port is in use (set AGENTD_PORT)`,
      );
    if (code === 'ECONNREFUSED') fail(`cannot reach the database at DATABASE_URL: connection refused`);
    fail(`failed to start: ${(error as Error).message}`);
  }
  process.stderr.write(`${banner(config, server)}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.services.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();

#!/usr/bin/env node
import { loadConfig } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { AgentdError } from './errors.js';
import { type RunningServer, startServer } from './server.js';
import { banner } from './start-banner.js';
import { warmRunPath } from './warm-run-path.js';

function fail(message: string): never {
  process.stderr.write(`agentd: ${message}\n`);
  process.exit(1);
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
  if (config.AGENTD_ROLE !== 'api') {
    // The browser's modules (and with AGENTD_BROWSER_PREWARM=launch, Chromium) load beside the interpreters' boot,
    // and what the first run would pay once (validators, the classifier's weights, regular expressions).
    void server.services.tools.builtins?.warmBrowser();
    void warmRunPath(server.services, server.url);
    void server.services.tools.builtins?.prewarm().then((ready) => {
      if (ready) process.stderr.write(`  ${ready}\n`);
    });
  }
  // A promise nobody awaited that failed (a boot cut short by shutdown, say) is a bug to log, not a
  // reason to take down the runs in progress with the process.
  process.on('unhandledRejection', (reason) => {
    server.services.logger.error({ err: reason }, 'unhandled rejection');
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.services.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by another process (the CLI's `run --local` and `serve`): tell it where, and end with it.
  if (process.send) {
    process.send({ type: 'agentd.listening', url: server.url });
    process.on('disconnect', () => stop('disconnect'));
  }
}

await main();

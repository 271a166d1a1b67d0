// The benchmark's agentd: a server in its own process, as in production, so
// that the load generator's own HTTP work is not charged to it. Takes its
// configuration as one JSON argument, prints one JSON line with its URL and
// admin key, then serves until stdin closes.
import { createLogger, loadConfig, startServer, warmRunPath } from '../packages/server/dist/index.js';

const settings = JSON.parse(process.argv[2] ?? '{}');
// OpenTelemetry's SDK reads its own variables (a sampler, say) from the environment.
for (const [key, value] of Object.entries(settings)) if (key.startsWith('OTEL_')) process.env[key] = value;
const config = loadConfig(settings);
const server = await startServer(config, { logger: createLogger('silent') });
// As `agentd serve` does: the browser's modules (AGENTD_BROWSER_PREWARM) and the run path warm in the background.
void server.services.tools.builtins?.warmBrowser?.();
void warmRunPath(server.services, server.url);
const key = server.admin.createdKey ?? config.AGENTD_ADMIN_KEY;
process.stdout.write(`${JSON.stringify({ url: server.url, key })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});

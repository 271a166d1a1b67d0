// The code interpreter benchmark's agentd: a server in its own process. Takes its
// configuration as one JSON argument and prints JSON lines: its URL and admin key
// once it listens, then `ready` when the code interpreter's pools are warm
// (prewarm on), and the pools' stats for each `stats` line read from stdin.
// Serves until stdin closes.
import { createInterface } from 'node:readline';
import { createLogger, loadConfig, startServer, warmRunPath } from '../packages/server/dist/index.js';

const config = loadConfig(JSON.parse(process.argv[2] ?? '{}'));
const server = await startServer(config, { logger: createLogger('silent') });
const builtins = server.services.tools.builtins;
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
say({ url: server.url, key: server.admin.createdKey ?? config.AGENTD_ADMIN_KEY });
void builtins.prewarm().then((ready) => say({ ready: ready ?? null }));
// As `agentd serve` does: what the first run would pay once, paid in the background.
void warmRunPath(server.services, server.url);
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  if (line.trim() === 'stats') say({ pools: (await builtins.status()).pools });
});
lines.on('close', async () => {
  await server.close();
  process.exit(0);
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts agentd in its own process (bench/agentd-process.mjs, or `script`)
 * with `env` on top of a port of its own, a fresh data directory and silent
 * logs. Resolves once it listens, with its URL and admin key. `root`: another
 * checkout (built) whose bench script and code run instead of this one's, so
 * that a benchmark can set the code before a change beside the code after it.
 */
export async function spawnAgentd(
  env,
  { dataDirPrefix = 'agentd-bench-', script = 'agentd-process.mjs', root } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  const child = spawn(
    process.execPath,
    [
      // AGENTD_BENCH_NODE_FLAGS: flags for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
      // (node refuses --cpu-prof in NODE_OPTIONS).
      ...(process.env.AGENTD_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      root ? join(root, 'bench', script) : new URL(`./${script}`, import.meta.url).pathname,
      JSON.stringify({ AGENTD_PORT: '0', AGENTD_DATA_DIR: dataDir, AGENTD_LOG_LEVEL: 'silent', ...env }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = await once(child.stdout, 'data');
  const { url, key } = JSON.parse(String(line));
  return { child, url, key, dataDir };
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built entry script of @modelcontextprotocol/server-everything, from its package.json `bin`. */
export function everythingServerScript(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: Record<string, string> };
  const entry = bin['mcp-server-everything'];
  if (!entry) throw new Error('server-everything has no mcp-server-everything bin');
  return join(dirname(packageJson), entry);
}

#!/usr/bin/env node
// Builds the web UI (apps/web) into apps/web/dist, which the server serves at /.
// Skipped when nothing it is built from changed since the last build: the hash of
// those files is kept in dist/.build-hash. Node's standard library only.
//   node scripts/build-web.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'apps/web');
const dist = join(web, 'dist');
const stamp = join(dist, '.build-hash');

/** What the build reads: the app's sources and settings, the lock file, the wire types and the SDK it imports. */
const INPUTS = [
  join(web, 'src'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(web, 'tsconfig.json'),
  join(web, 'package.json'),
  join(root, 'package-lock.json'),
  join(root, 'packages/spec/src'),
  join(root, 'packages/sdk/src'),
];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function run(args, what) {
  // NODE_ENV as set by a caller (Vitest sets `test`) would give React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync(process.execPath, args, { cwd: web, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`agentd: ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Builds unless the last build came from the same sources; answers whether it built. */
export function buildWeb({ force = false } = {}) {
  const hash = sourceHash();
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  console.error('agentd: building the web UI (apps/web)...');
  run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], 'type-checking the web UI');
  // Built beside dist and swapped in, so that a server (or a second build) never sees half a build.
  const staging = `${dist}.${process.pid}.tmp`;
  run(
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', staging],
    'building the web UI',
  );
  writeFileSync(join(staging, '.build-hash'), hash);
  rmSync(dist, { recursive: true, force: true });
  renameSync(staging, dist);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildWeb({ force: process.argv.includes('--force') });

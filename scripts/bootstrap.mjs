#!/usr/bin/env node
// The two commands. Uses nothing but Node's standard library, because it runs
// before any package is installed.
//   node scripts/bootstrap.mjs start   install what is missing (as root, the built-in tools' Debian packages too), build, serve
//   node scripts/bootstrap.mjs test    also install the Debian packages and services the tests need, then test and lint
//   node scripts/bootstrap.mjs bench   install, build, run the benchmarks
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from './build-web.mjs';
import { ensureBenchPackages, ensureSystem, ensureToolPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = process.argv[2];
const rest = process.argv.slice(3);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, what) {
  const status = run(cmd, args);
  if (status !== 0) {
    console.error(`agentd: ${what} failed (exit ${status})`);
    process.exit(status);
  }
}

const lockHash = () =>
  createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .update(readFileSync(join(root, 'package.json')))
    .digest('hex');

/**
 * Installs npm packages when node_modules is missing or the lock file changed
 * since the last install. `npm install` rather than `npm ci`: every dependency
 * is pinned to an exact version, and npm 11 with this workplace's settings
 * writes lock files that `npm ci` rejects for other platforms' optional
 * binaries (Biome's).
 */
function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.agentd-lock-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash()) return;
  console.error('agentd: installing npm packages (npm install)...');
  must('npm', ['install', '--no-audit', '--no-fund'], 'npm install');
  writeFileSync(stamp, lockHash());
}

function build() {
  must('npx', ['--no-install', 'tsc', '-b'], 'build (tsc -b)');
  // The web UI the server serves at / (skipped when its sources did not change).
  buildWeb();
}

// package.json's engines field: Vitest's Vite and rolldown need 20.19 (undici 20.18.1, pdfjs-dist 20.16).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`agentd: Node.js 20.19 or later is required (this is ${process.version})`);
  process.exit(1);
}

switch (command) {
  case 'start': {
    ensureNodeModules();
    ensureToolPackages();
    build();
    process.exit(run(process.execPath, [join(root, 'packages/server/dist/main.js'), ...rest]));
    break;
  }
  case 'test': {
    ensureNodeModules();
    ensureSystem({ ci: process.env.CI === 'true' });
    build();
    const tests = run('npx', ['--no-install', 'vitest', 'run', ...rest]);
    const whole = rest.length === 0;
    // The tests are type-checked too (the build covers only the sources): Vitest runs them untyped.
    const types = whole ? run('npx', ['--no-install', 'tsc', '-p', 'packages/tsconfig.tests.json']) : 0;
    if (types !== 0) console.error('agentd: the tests do not type-check (npm run typecheck)');
    // The linter and formatter (errors only; warnings are printed but pass), on the whole tree.
    const lint = whole
      ? run('npx', [
          '--no-install',
          'biome',
          'check',
          'packages',
          'apps',
          'bench',
          'scripts',
          'redteam',
          'security',
        ])
      : 0;
    if (lint !== 0) console.error('agentd: biome check found errors (npm run format fixes formatting)');
    // The import rules between and within packages (.dependency-cruiser.cjs).
    const deps = whole ? run(process.execPath, [join(root, 'scripts/check-deps.mjs')]) : 0;
    if (deps !== 0) console.error('agentd: an import breaks the import rules (npm run deps)');
    // The security gates: secrets, npm audit, the SBOM, ast-grep rules, the red-team baseline (README: CI security gates).
    const gates = whole ? run(process.execPath, [join(root, 'scripts/security-gates.mjs')]) : 0;
    if (gates !== 0) console.error('agentd: a security gate failed (npm run gates -- <name> runs one)');
    process.exit([tests, types, lint, deps, gates].find((status) => status !== 0) ?? 0);
    break;
  }
  case 'bench': {
    ensureNodeModules();
    ensureBenchPackages();
    build();
    const status = run(process.execPath, [join(root, 'bench/run.mjs'), ...rest]);
    if (status !== 0) process.exit(status);
    // Issue 12: latency on the request path, memory, scaled mode (PostgreSQL and Redis, started as for the tests).
    ensureSystem({ ci: process.env.CI === 'true' });
    for (const bench of [
      'latency.mjs',
      'memory.mjs',
      'scaled.mjs',
      'streams.mjs',
      'web-size.mjs',
      'policies.mjs',
      'audit.mjs',
      'audit-writes.mjs',
    ]) {
      const code = run(process.execPath, [join(root, 'bench', bench), ...rest]);
      if (code !== 0) process.exit(code);
    }
    const interpreter = run(process.execPath, [join(root, 'bench/code-interpreter.mjs'), ...rest]);
    if (interpreter !== 0) process.exit(interpreter);
    const knowledge = run(process.execPath, [join(root, 'bench/knowledge.mjs'), ...rest]);
    if (knowledge !== 0) process.exit(knowledge);
    // The browser tool on real pages: python3-doc and postgresql-doc-15 (it says so when they are missing).
    process.exit(run(process.execPath, [join(root, 'bench/browser.mjs'), ...rest]));
    break;
  }
  default:
    console.error('usage: node scripts/bootstrap.mjs start|test|bench [args...]');
    process.exit(2);
}

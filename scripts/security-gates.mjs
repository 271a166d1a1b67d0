#!/usr/bin/env node
// The CI security gates (README: CI security gates), run by `npm test` after
// the tests and by `npm run gates -- [names...]`: secrets, audit, sbom, sast,
// redteam. Each prints one clear line and the run exits non-zero if any gate
// failed. With CI=true a missing tool is a failure; elsewhere it is skipped
// with a warning.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true';
const SBOM_FILE = join(root, 'build/sbom/agentd.cdx.json');
const ALLOWLIST_FILE = process.env.AGENTD_AUDIT_ALLOWLIST ?? join(root, 'security/audit-allowlist.json');

// AGENTD_GATES_BIN_DIR: where the tools are looked for (tests point it at an empty directory).
const binDir = process.env.AGENTD_GATES_BIN_DIR ?? join(root, 'node_modules/.bin');
const bin = (name) => join(binDir, name);
const run = (cmd, args, options = {}) =>
  spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });

class GateError extends Error {}
class MissingTool extends Error {}
class Skipped extends Error {}

function need(name, pkg) {
  if (!existsSync(bin(name)))
    throw new MissingTool(`${name} is not installed (npm package ${pkg}; run npm install)`);
  return bin(name);
}

/** secretlint (recommended preset, .secretlintrc.json) over every file git would commit. */
function secrets() {
  const secretlint = need('secretlint', 'secretlint');
  // The scanner must still catch a key: a canary through stdin, never written to the tree.
  const canary = `const token = "${['ghp', 'Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0DcBa99'].join('_')}";`;
  const probe = run(secretlint, ['--stdinFileName=canary.ts', '--format', 'compact'], { input: canary });
  if (probe.status === 0)
    throw new GateError('secretlint did not flag a GitHub token canary: its preset is not loaded');
  const files = run('git', ['ls-files', '-co', '--exclude-standard', '-z'])
    .stdout.split('\0')
    .filter((file) => file && existsSync(join(root, file)));
  const result = run(secretlint, ['--format', 'compact', '--maskSecrets', ...files]);
  if (result.status !== 0)
    throw new GateError(
      `secretlint found secrets (a fake key in a test fixture goes to .secretlintrc.json's allows, with the reason in security/README.md):\n${result.stdout}${result.stderr}`,
    );
  return `${files.length} files, no secrets`;
}

/** npm audit against the lockfile; advisories in security/audit-allowlist.json (each with a reason and an expiry) pass. */
function audit() {
  const allow = JSON.parse(readFileSync(ALLOWLIST_FILE, 'utf8')).advisories;
  const today = new Date().toISOString().slice(0, 10);
  const expired = allow.filter((entry) => entry.until < today);
  if (expired.length)
    throw new GateError(
      `audit allow-list entries expired: ${expired.map((e) => `${e.id} (${e.until})`).join(', ')}`,
    );
  // AGENTD_AUDIT_REPORT: a saved `npm audit --json` to judge instead of asking the registry (tests, air-gapped CI).
  const saved = process.env.AGENTD_AUDIT_REPORT;
  const result = saved
    ? { stdout: readFileSync(saved, 'utf8'), stderr: '', status: 1 }
    : run('npm', ['audit', '--json', '--package-lock-only', '--audit-level=low']);
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    report = undefined;
  }
  if (!report?.vulnerabilities) {
    const why = report?.message ?? report?.error?.summary ?? result.stderr.trim().split('\n').at(-1);
    const message = `the registry's advisory service did not answer (${why || `npm exit ${result.status}`})`;
    // No answer is not an advisory: it fails only where the service is required to answer.
    if (process.env.AGENTD_AUDIT_REQUIRED === 'true') throw new GateError(message);
    throw new Skipped(`${message}; AGENTD_AUDIT_REQUIRED=true makes this a failure`);
  }
  const allowed = new Set(allow.map((entry) => entry.id));
  const found = Object.values(report.vulnerabilities).flatMap((vulnerability) =>
    vulnerability.via
      .filter((via) => typeof via === 'object')
      .map((via) => ({
        id: String(via.url).split('/').at(-1),
        name: via.name,
        severity: via.severity,
        title: via.title,
      })),
  );
  const open = found.filter((advisory) => !allowed.has(advisory.id));
  if (open.length)
    throw new GateError(
      `npm audit: advisories not in security/audit-allowlist.json:\n${open.map((a) => `  ${a.id} ${a.severity} ${a.name}: ${a.title}`).join('\n')}`,
    );
  return `${found.length} advisories, all allow-listed`;
}

/** A CycloneDX SBOM of the lockfile, written to build/sbom (a build artifact, not committed). */
function sbom() {
  const cyclonedx = need('cyclonedx-npm', '@cyclonedx/cyclonedx-npm');
  mkdirSync(dirname(SBOM_FILE), { recursive: true });
  const result = run(cyclonedx, [
    '--package-lock-only',
    '--output-format',
    'JSON',
    '--spec-version',
    '1.6',
    '--output-reproducible',
    '--validate',
    '--output-file',
    SBOM_FILE,
  ]);
  if (result.status !== 0) throw new GateError(`cyclonedx-npm failed:\n${result.stderr}`);
  const bom = JSON.parse(readFileSync(SBOM_FILE, 'utf8'));
  if (bom.bomFormat !== 'CycloneDX' || !(bom.components?.length > 0))
    throw new GateError(`the SBOM at ${SBOM_FILE} lists no components`);
  return `${bom.components.length} components, CycloneDX ${bom.specVersion} at build/sbom/agentd.cdx.json`;
}

/** ast-grep rules for prompt-injection sinks: their own samples first, then our code. */
function sast() {
  const astGrep = need('ast-grep', '@ast-grep/cli');
  const config = ['-c', 'security/sast/sgconfig.yml'];
  const tests = run(astGrep, ['test', ...config, '--skip-snapshot-tests']);
  if (tests.status !== 0)
    throw new GateError(`an ast-grep rule no longer catches its samples:\n${tests.stdout}${tests.stderr}`);
  const scan = run(astGrep, ['scan', ...config, '--color', 'never', 'packages', 'apps', 'scripts', 'bench']);
  if (scan.status !== 0)
    throw new GateError(`prompt-injection sinks in our code:\n${scan.stdout}${scan.stderr}`);
  return 'rules pass their samples; no findings in packages, apps, scripts, bench';
}

/** The red-team cases against the committed baseline (redteam/run.mjs). */
function redteam() {
  const result = run(process.execPath, [join(root, 'redteam/run.mjs')], { stdio: 'inherit' });
  if (result.status !== 0) throw new GateError('a red-team case that was stopped gets through (see above)');
  return 'no regressions against redteam/baseline.json';
}

const GATES = { secrets, audit, sbom, sast, redteam };
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GATES);
let failed = 0;
for (const name of names) {
  const gate = GATES[name];
  if (!gate) {
    console.error(`security gate: unknown gate '${name}' (one of ${Object.keys(GATES).join(', ')})`);
    process.exit(2);
  }
  const started = Date.now();
  try {
    const summary = gate();
    console.log(`security gate ${name}: ok, ${summary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    if (error instanceof Skipped) {
      console.warn(`security gate ${name}: SKIPPED, ${error.message}`);
      continue;
    }
    if (error instanceof MissingTool && !ci) {
      console.warn(`security gate ${name}: SKIPPED, ${error.message} (a failure under CI=true)`);
      continue;
    }
    if (!(error instanceof GateError || error instanceof MissingTool)) throw error;
    failed += 1;
    console.error(`security gate ${name}: FAILED, ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
